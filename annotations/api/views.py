"""REST endpoints for projects: members, schema, labels, queue, gold, agreement, comments, export.

Every endpoint first finds the project among those the caller belongs to (a 404 otherwise, as
if it did not exist), then checks the caller's role for what they ask.
"""

from dataclasses import asdict

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from annotations.access import (
    ADJUDICATING_ROLES,
    LABELLING_ROLES,
    project_for_member,
    projects_visible_to,
    require_role,
)
from annotations.api.serializers import (
    CommentInput,
    CommentOutput,
    DimensionOutput,
    GoldInput,
    GoldOutput,
    LabelOutput,
    LabelSaveInput,
    MemberInput,
    MemberOutput,
    MemberRoleInput,
    ProjectArticlesInput,
    ProjectCreateInput,
    ProjectOutput,
    ProjectUpdateInput,
    QuoteRefInput,
)
from annotations.export import (
    DEFAULT_FORMAT,
    FORMATS,
    dataset_card,
    export_request,
    export_response,
)
from annotations.labelling.comments import comment_add, comment_list
from annotations.labelling.gold import gold_set
from annotations.labelling.labels import LabelState, label_save, labels_visible_to
from annotations.labelling.progress import project_progress, queue_item_state
from annotations.labelling.projects import (
    membership_remove,
    membership_set,
    project_articles_change,
    project_create,
    project_update,
)
from annotations.labelling.queue import (
    assign_next_quote,
    assignment_reopen,
    assignment_skip,
    label_undo_last,
)
from annotations.labelling.review import QualityReport, project_agreement, quality_report
from annotations.labelling.scope import quote_in_project
from annotations.models import Gold, Membership, Project
from claims.api.serializers import QuoteOutput
from claims.models import Quote
from claims.selectors import article_list_visible
from config.api import query_id

MANAGER = Membership.Role.MANAGER

# The labelling loop's outputs (queue-next and save-label, every few seconds per annotator)
# share one serializer each: DRF would otherwise build a new serializer's fields for every
# response, about a millisecond of Python for a quote. to_representation keeps no state.
_QUOTE_OUTPUT = QuoteOutput()
_LABEL_OUTPUT = LabelOutput()


def project_for(user, project_id: int, *roles: str) -> Project:
    """The project if the caller is a member (404 otherwise) with one of `roles` (403)."""
    return project_for_member(user, project_id, *roles)[0]


def _visible_article_ids(user, ids: list[int]) -> list[int]:
    found = set(article_list_visible(user=user).filter(id__in=ids).values_list("id", flat=True))
    missing = sorted(set(ids) - found)
    if missing:
        raise ValidationError({"articles": [f"No article(s) {missing[:20]} that you can see."]})
    return list(found)


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Projects the caller belongs to, with their role in each."""

    serializer_class = ProjectOutput
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        user = self.request.user
        my_role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
        return (
            projects_visible_to(user)
            .annotate(article_count=Count("articles", distinct=True), my_role=Subquery(my_role))
            .order_by("-id")
        )

    @extend_schema(request=ProjectCreateInput, responses={201: ProjectOutput})
    def create(self, request):
        """Create a project with the default label schema; the caller becomes its manager."""
        data = ProjectCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        article_ids = _visible_article_ids(request.user, values.pop("articles", []))
        project = project_create(created_by=request.user, **values)
        if article_ids:
            project_articles_change(project=project, add=article_ids)
        return Response(
            ProjectOutput(self.get_queryset().get(id=project.id)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ProjectUpdateInput, responses={200: ProjectOutput})
    def partial_update(self, request, pk=None):
        project = project_for(request.user, pk, MANAGER)
        data = ProjectUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        project_update(project=project, **data.validated_data)
        return Response(ProjectOutput(self.get_queryset().get(id=project.id)).data)

    @extend_schema(request=ProjectArticlesInput, responses={200: ProjectOutput})
    @action(detail=True, methods=["post"])
    def articles(self, request, pk=None):
        """Managers choose the articles in scope: add/remove ids, a whole batch, or all."""
        project = project_for(request.user, pk, MANAGER)
        data = ProjectArticlesInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        visible = article_list_visible(user=request.user)
        add = _visible_article_ids(request.user, values["add"])
        if values.get("batch") is not None:
            add += list(visible.filter(batch_id=values["batch"]).values_list("id", flat=True))
        if values["all"]:
            add += list(visible.values_list("id", flat=True))
        project_articles_change(project=project, add=add, remove=values["remove"])
        return Response(ProjectOutput(self.get_queryset().get(id=project.id)).data)

    @extend_schema(responses={200: DimensionOutput(many=True)})
    @action(detail=True, methods=["get"], url_path="schema")
    def label_schema(self, request, pk=None):
        """The label schema: dimensions in order, each with its choices and definitions."""
        project = project_for(request.user, pk)
        dimensions = project.dimensions.prefetch_related("choices").order_by("order", "id")
        return Response(DimensionOutput(dimensions, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", enum=list(FORMATS), default=DEFAULT_FORMAT),
            OpenApiParameter("gold_only", bool),
            OpenApiParameter("dimension", str),
            OpenApiParameter("min_agreement", float),
            OpenApiParameter("pseudonymise", bool, description="Managers may turn this off."),
        ],
        responses={
            (200, export_format.content_type.split(";")[0]): OpenApiTypes.BINARY
            for export_format in FORMATS.values()
        },
    )
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """The labelled dataset, one record per quote, streamed (reviewers and managers)."""
        project = project_for(request.user, pk, MANAGER, Membership.Role.REVIEWER)
        chosen, options = export_request(request.query_params, project=project, user=request.user)
        return export_response(project=project, export_format=chosen, options=options)

    @extend_schema(
        parameters=[
            OpenApiParameter("pseudonymise", bool, description="Managers may turn this off.")
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], url_path="export/schema")
    def export_schema(self, request, pk=None):
        """The dataset card: dimensions, choice definitions, counts, field meanings and each
        annotator's quality against gold."""
        project = project_for(request.user, pk, MANAGER, Membership.Role.REVIEWER)
        _, options = export_request(
            {"pseudonymise": request.query_params.get("pseudonymise")},
            project=project,
            user=request.user,
        )
        return Response(dataset_card(project=project, pseudonymise=options.pseudonymise))


class MemberViewSet(viewsets.ViewSet):
    """A project's members; managers add, change and remove them."""

    lookup_value_regex = r"[0-9]{1,18}"

    @extend_schema(responses={200: MemberOutput(many=True)})
    def list(self, request, project_pk=None):
        project = project_for(request.user, project_pk)
        members = project.memberships.select_related("user").order_by("user__username")
        return Response(MemberOutput(members, many=True).data)

    @extend_schema(request=MemberInput, responses={201: MemberOutput})
    def create(self, request, project_pk=None):
        project = project_for(request.user, project_pk, MANAGER)
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = get_user_model().objects.get(username=data.validated_data["username"])
        membership = membership_set(project=project, user=user, role=data.validated_data["role"])
        return Response(MemberOutput(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberRoleInput, responses={200: MemberOutput})
    def partial_update(self, request, project_pk=None, pk=None):
        project = project_for(request.user, project_pk, MANAGER)
        membership = get_object_or_404(project.memberships, user_id=pk)
        data = MemberRoleInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = membership_set(
            project=project, user=membership.user, role=data.validated_data["role"]
        )
        return Response(MemberOutput(membership).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, project_pk=None, pk=None):
        project = project_for(request.user, project_pk, MANAGER)
        membership = get_object_or_404(project.memberships, user_id=pk)
        membership_remove(membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


def quote_in(project: Project, quote_id) -> Quote:
    quote = quote_in_project(project=project, quote_id=quote_id)
    if quote is None:
        raise ValidationError({"quote": [f"No quote {quote_id} in this project."]})
    return quote


def _queue_item(request, project: Project, quote: Quote | None) -> Response:
    if quote is None:
        return Response(status=status.HTTP_204_NO_CONTENT)
    article = quote.article
    answers, progress = queue_item_state(project=project, quote=quote, annotator=request.user)
    return Response(
        {
            "quote": _QUOTE_OUTPUT.to_representation(quote),
            "article": {
                "id": article.id,
                "title": article.title,
                "outlet": article.outlet.name if article.outlet_id else None,
                "published_at": article.published_at,
            },
            "my_labels": answers,
            "progress": asdict(progress),
        }
    )


def _quality_output(report: QualityReport) -> dict:
    """The dashboard's quality figures as JSON: each annotator against gold, a confusion matrix
    per question, agreement by week."""

    return {
        "annotators": [
            {
                "annotator": person.username,
                "submitted": person.submitted,
                "overall": person.overall.as_dict(),
                "dimensions": {
                    key: figures.as_dict() for key, figures in person.per_dimension.items()
                },
                "median_seconds": person.median_seconds,
                "timed_quotes": person.timed_quotes,
                "label_changes": person.label_changes,
            }
            for person in report.annotators
        ],
        "confusion": [asdict(matrix) for matrix in report.confusion],
        "weeks": [
            {
                "week": week.week.isoformat(),
                "quotes": week.quotes,
                "alpha": {
                    key: {"value": alpha.value, "reason": alpha.reason}
                    for key, alpha in week.alpha.items()
                },
                "gold_compared": week.gold_compared,
                "gold_accuracy": week.gold_accuracy,
            }
            for week in report.weeks
        ],
    }


class LabellingViewSet(viewsets.ViewSet):
    """Labels, the queue, gold labels, agreement and comments of one project."""

    @extend_schema(request=LabelSaveInput, responses={200: LabelOutput(many=True)})
    def save_labels(self, request, project_pk=None):
        """Save the caller's labels for one quote; saving again updates and keeps history."""
        project = project_for(request.user, project_pk)
        data = LabelSaveInput(data=request.data)
        data.is_valid(raise_exception=True)
        labels = label_save(
            project=project,
            # label_save locks the quote's row and checks it is in the project (a 400 if not).
            quote=Quote(pk=data.validated_data["quote"]),
            annotator=request.user,
            labels=data.validated_data["labels"],
            note=data.validated_data["note"],
            seconds=data.validated_data["seconds"],
        )
        # The caller's own labels, which they may always see, as label_save wrote them.
        return Response([_LABEL_OUTPUT.to_representation(label) for label in labels])

    @extend_schema(
        parameters=[OpenApiParameter("quote", int), OpenApiParameter("annotator", str)],
        responses={200: LabelOutput(many=True)},
    )
    def list_labels(self, request, project_pk=None):
        """Labels the caller may see (blind mode: annotators see only their own)."""
        project = project_for(request.user, project_pk)
        labels = labels_visible_to(project=project, user=request.user).order_by("id")
        if (quote_id := query_id(request.query_params, "quote")) is not None:
            labels = labels.filter(quote_id=quote_id)
        if annotator := request.query_params.get("annotator"):
            labels = labels.filter(annotator__username=annotator)
        return Response(LabelOutput(map(LabelState.of, labels[:5000]), many=True).data)

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 204: None})
    def queue_next(self, request, project_pk=None):
        """The caller's next quote (their open one first); 204 when there is nothing left."""
        project = project_for(request.user, project_pk, *LABELLING_ROLES)
        return _queue_item(
            request, project, assign_next_quote(project=project, annotator=request.user)
        )

    @extend_schema(request=QuoteRefInput, responses={200: OpenApiTypes.OBJECT, 204: None})
    def queue_skip(self, request, project_pk=None):
        """Skip a quote (never offered to the caller again) and get the next one."""
        project = project_for(request.user, project_pk, *LABELLING_ROLES)
        data = QuoteRefInput(data=request.data)
        data.is_valid(raise_exception=True)
        quote = quote_in(project, data.validated_data["quote"])
        assignment_skip(project=project, annotator=request.user, quote=quote)
        return _queue_item(
            request, project, assign_next_quote(project=project, annotator=request.user)
        )

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT, 204: None})
    def queue_undo(self, request, project_pk=None):
        """Reopen the caller's last submission and return it."""
        project = project_for(request.user, project_pk, *LABELLING_ROLES)
        return _queue_item(
            request, project, label_undo_last(project=project, annotator=request.user)
        )

    @extend_schema(request=QuoteRefInput, responses={200: OpenApiTypes.OBJECT})
    def queue_reopen(self, request, project_pk=None):
        """Reopen a quote the caller skipped or submitted (not once a reviewer settled it); it
        is their next quote."""
        project = project_for(request.user, project_pk, *LABELLING_ROLES)
        data = QuoteRefInput(data=request.data)
        data.is_valid(raise_exception=True)
        quote = quote_in(project, data.validated_data["quote"])
        return _queue_item(
            request,
            project,
            assignment_reopen(project=project, annotator=request.user, quote=quote),
        )

    @extend_schema(responses={200: GoldOutput(many=True)})
    def list_gold(self, request, project_pk=None):
        """Gold labels (in blind mode only reviewers and managers see them)."""
        project = project_for(request.user, project_pk)
        if project.blind_mode:
            require_role(request.user, project, *ADJUDICATING_ROLES)
        gold = (
            Gold.objects.filter(project=project)
            .select_related("dimension", "decided_by")
            .prefetch_related("choices")
            .order_by("quote_id", "dimension__order")
        )
        if (quote_id := query_id(request.query_params, "quote")) is not None:
            gold = gold.filter(quote_id=quote_id)
        return Response(GoldOutput(gold[:5000], many=True).data)

    @extend_schema(request=GoldInput, responses={201: GoldOutput})
    def set_gold(self, request, project_pk=None):
        """A reviewer or manager sets the gold label of one quote on one dimension."""
        project = project_for(request.user, project_pk, *ADJUDICATING_ROLES)
        data = GoldInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data["values"]
        if not (
            isinstance(values, str)
            or (isinstance(values, list) and all(isinstance(v, str) for v in values))
        ):
            raise ValidationError({"values": ["Give a choice value or a list of them."]})
        gold = gold_set(
            project=project,
            quote=quote_in(project, data.validated_data["quote"]),
            dimension_key=data.validated_data["dimension"],
            values=values,
            reviewer=request.user,
        )
        return Response(GoldOutput(gold).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def agreement(self, request, project_pk=None):
        """Krippendorff's alpha and pairwise Cohen's kappa per dimension, counts, progress, and
        quality: each annotator against gold, a confusion matrix per question, agreement by week."""
        project = project_for(request.user, project_pk)
        if project.blind_mode:
            require_role(request.user, project, *ADJUDICATING_ROLES)
        result = project_agreement(project=project)
        names = {a.annotator_id: a.username for a in result.annotators}
        return Response(
            {
                "quotes_labelled": result.quotes_labelled,
                "labels": result.labels,
                "quotes_with_disagreement": result.quotes_with_disagreement,
                "progress": asdict(project_progress(project=project)),
                "dimensions": [
                    {
                        "key": d.key,
                        "name": d.name,
                        "alpha": d.alpha.value,
                        "alpha_reason": d.alpha.reason,
                        "pairable_quotes": d.alpha.pairable_quotes,
                        "quotes_labelled": d.quotes_labelled,
                        "labels": d.labels,
                        "quotes_with_disagreement": d.quotes_with_disagreement,
                        "kappa": [
                            {
                                "annotators": [
                                    names.get(k.annotator_a, str(k.annotator_a)),
                                    names.get(k.annotator_b, str(k.annotator_b)),
                                ],
                                "shared_quotes": k.shared_quotes,
                                "value": k.value,
                                "reason": k.reason,
                            }
                            for k in d.kappas
                        ],
                    }
                    for d in result.dimensions
                ],
                "annotators": [asdict(a) for a in result.annotators],
                "quality": _quality_output(quality_report(project=project)),
            }
        )

    @extend_schema(responses={200: CommentOutput(many=True)})
    def list_comments(self, request, project_pk=None, quote_pk=None):
        project = project_for(request.user, project_pk)
        quote = quote_in(project, int(quote_pk))
        return Response(CommentOutput(comment_list(project=project, quote=quote), many=True).data)

    @extend_schema(request=CommentInput, responses={201: CommentOutput})
    def add_comment(self, request, project_pk=None, quote_pk=None):
        project = project_for(request.user, project_pk)
        quote = quote_in(project, int(quote_pk))
        data = CommentInput(data=request.data)
        data.is_valid(raise_exception=True)
        comment = comment_add(
            project=project, quote=quote, author=request.user, text=data.validated_data["text"]
        )
        return Response(CommentOutput(comment).data, status=status.HTTP_201_CREATED)
