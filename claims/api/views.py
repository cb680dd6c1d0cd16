"""REST endpoints for the corpus: articles, quotes and speakers. Thin: parse, call, render."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from annotations.models import Membership, Project
from claims.api.filters import ArticleFilter, QuoteFilter, SpeakerFilter
from claims.api.serializers import (
    ArticleCreateResult,
    ArticleDetailOutput,
    ArticleInput,
    ArticleListOutput,
    QuoteCreateInput,
    QuoteOutput,
    QuoteUpdateInput,
    SpeakerOutput,
)
from claims.models import Article, ImportBatch, Quote, Speaker
from claims.selectors import (
    article_detail_visible,
    article_is_editable_by,
    article_list_visible,
    quote_list_visible,
    speaker_list_visible,
)
from claims.services import article_import, quote_create_manual, quote_update

MAX_ARTICLES_PER_REQUEST = 100


def _target_project(user, project_id: int | None) -> Project | None:
    """The project new articles join; only its managers (or staff) may add to it."""
    if project_id is None:
        if user.is_staff:
            return None
        raise ValidationError(
            {"project": "Name the project to add the articles to (you must manage it)."}
        )
    project = Project.objects.filter(id=project_id).first()
    role = (
        Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()
        if project is not None
        else None
    )
    if user.is_staff or role == Membership.Role.MANAGER:
        return project
    if role is None:  # another project is, for the caller, one that does not exist
        raise ValidationError({"project": f"No project {project_id} that you manage."})
    raise PermissionDenied("Only the project's managers add articles to it.")


class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Articles in the caller's projects (staff: all). POST one object or a list to import."""

    lookup_value_regex = r"[0-9]{1,18}"
    filterset_class = ArticleFilter
    serializer_class = ArticleListOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Article.objects.none()
        return article_list_visible(user=self.request.user)

    @extend_schema(responses={200: ArticleDetailOutput})
    def retrieve(self, request, pk=None):
        article = article_detail_visible(user=request.user, article_id=pk)
        if article is None:
            raise NotFound("No such article in your projects.")
        return Response(ArticleDetailOutput(article).data)

    @extend_schema(request=ArticleInput(many=True), responses={201: ArticleCreateResult})
    def create(self, request):
        many = isinstance(request.data, list)
        items = request.data if many else [request.data]
        if not items or len(items) > MAX_ARTICLES_PER_REQUEST:
            raise ValidationError(
                {"non_field_errors": f"Send 1 to {MAX_ARTICLES_PER_REQUEST} articles per request."}
            )
        serializer = ArticleInput(data=items, many=True)
        serializer.is_valid(raise_exception=True)
        results = []
        # All or nothing: one bad article rolls the whole request back.
        with transaction.atomic():
            # One import batch per request, so /batches/<id>/ follows its extraction.
            batch = ImportBatch.objects.create(
                name=f"API import by {request.user.get_username()}"[:200], created_by=request.user
            )
            for index, data in enumerate(serializer.validated_data):
                project = _target_project(request.user, data.get("project"))
                try:
                    result = article_import(
                        title=data["title"],
                        text=data["text"],
                        url=data.get("url") or None,
                        outlet=data.get("outlet"),
                        published_at=data.get("published_at"),
                        source_name="api",
                        batch=batch,
                    )
                except ValidationError as error:
                    prefix = f"{index}." if many else ""
                    raise ValidationError(
                        {f"{prefix}{field}": msgs for field, msgs in error.message_dict.items()}
                    ) from None
                if project is not None:
                    project.articles.add(result.article)
                results.append(result)
            if not any(r.created for r in results):
                batch.delete()  # nothing new: no empty batch left behind
                batch = None
        body = {
            "batch": None
            if batch is None
            else {"id": batch.id, "url": reverse("claims:batch-detail", args=[batch.id])},
            "created": sum(r.created for r in results),
            "existing": sum(not r.created for r in results),
            "quotes_extracted": sum(r.quote_count for r in results if r.created),
            "articles": [
                {
                    "id": r.article.id,
                    "title": r.article.title,
                    "created": r.created,
                    "quote_count": r.quote_count,
                    "extraction_status": r.article.extraction_status,
                }
                for r in results
            ],
        }
        created_any = any(r.created for r in results)
        return Response(body, status=status.HTTP_201_CREATED if created_any else status.HTTP_200_OK)


class QuoteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Quotes in the caller's articles; POST adds a missed quote, PATCH corrects one."""

    lookup_value_regex = r"[0-9]{1,18}"
    filterset_class = QuoteFilter
    serializer_class = QuoteOutput
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Quote.objects.none()
        return quote_list_visible(user=self.request.user)

    def _speaker(self, speaker_id):
        """A speaker the caller can see (quoted in their projects' articles; staff: any)."""
        if speaker_id is None:
            return None
        speaker = speaker_list_visible(user=self.request.user).filter(id=speaker_id).first()
        if speaker is None:
            raise ValidationError({"speaker": f"No speaker {speaker_id} in your projects."})
        return speaker

    @extend_schema(request=QuoteCreateInput, responses={201: QuoteOutput})
    def create(self, request):
        serializer = QuoteCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        article = article_list_visible(user=request.user).filter(id=data.pop("article")).first()
        if article is None:
            raise ValidationError({"article": "No such article in your projects."})
        if not article_is_editable_by(user=request.user, article=article):
            raise PermissionDenied("You cannot add quotes to this article.")
        quote = quote_create_manual(
            article=article,
            editor=request.user,
            speaker=self._speaker(data.pop("speaker", None)),
            **data,
        )
        return Response(QuoteOutput(quote).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=QuoteUpdateInput, responses={200: QuoteOutput})
    def partial_update(self, request, pk=None):
        quote = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = QuoteUpdateInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "speaker" in changes:
            changes["speaker"] = self._speaker(changes["speaker"])
        quote = quote_update(quote=quote, editor=request.user, **changes)
        return Response(QuoteOutput(quote).data)


class SpeakerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Speakers quoted in the caller's articles, with aliases and quote counts."""

    lookup_value_regex = r"[0-9]{1,18}"
    filterset_class = SpeakerFilter
    serializer_class = SpeakerOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Speaker.objects.none()
        return speaker_list_visible(user=self.request.user)
