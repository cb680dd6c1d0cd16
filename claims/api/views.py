"""REST endpoints for the corpus: articles, quotes and speakers. Thin: parse, call, render."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from claims.access import corpus_access
from claims.api.filters import ArticleFilter, QuoteFilter, SpeakerFilter
from claims.api.serializers import (
    ArticleCreateInput,
    ArticleCreateResult,
    ArticleDetailOutput,
    ArticleListOutput,
    BatchOutput,
    ImportItemOutput,
    QuoteCreateInput,
    QuoteOutput,
    QuoteUpdateInput,
    SpeakerOutput,
    UrlImportInput,
    UrlImportResult,
)
from claims.importing import ArticleInput
from claims.models import Article, ImportBatch, ImportItem, Quote, Speaker
from claims.selectors import (
    article_detail_visible,
    article_list_visible,
    batch_items,
    batch_list_visible,
    import_permitted,
    quote_list_visible,
    speaker_list_visible,
)
from claims.services.import_batches import (
    articles_import_batch,
    import_batch_dispatch,
    import_batch_stage,
)
from claims.services.quotes import quote_create_manual, quote_update
from config.api import IdCursorPagination
from config.background import run_after_response

MAX_ARTICLES_PER_REQUEST = 100


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

    @extend_schema(request=ArticleCreateInput(many=True), responses={201: ArticleCreateResult})
    def create(self, request):
        many = isinstance(request.data, list)
        items = request.data if many else [request.data]
        if not items or len(items) > MAX_ARTICLES_PER_REQUEST:
            raise ValidationError(
                {"non_field_errors": f"Send 1 to {MAX_ARTICLES_PER_REQUEST} articles per request."}
            )
        serializer = ArticleCreateInput(data=items, many=True)
        serializer.is_valid(raise_exception=True)
        access = corpus_access()
        targets = [
            access.import_target(request.user, data.get("project"))
            for data in serializer.validated_data
        ]
        try:
            result = articles_import_batch(
                records=[
                    ArticleInput(
                        title=data["title"],
                        text=data["text"],
                        url=data.get("url") or None,
                        outlet=data.get("outlet"),
                        published_at=data.get("published_at"),
                        source_name="api",
                    )
                    for data in serializer.validated_data
                ],
                name=f"API import by {request.user.get_username()}",
                importer=request.user,
                targets=targets,
                all_or_nothing=True,
            )
        except ValidationError as error:
            # The service names each field "<position>.<field>"; a single object has none.
            fields = error.message_dict
            if not many:
                fields = {key.partition(".")[2]: msgs for key, msgs in fields.items()}
            raise ValidationError(fields) from None
        batch = result.batch
        body = {
            "batch": None
            if batch is None
            else {"id": batch.id, "url": reverse("claims:batch-detail", args=[batch.id])},
            "created": result.created,
            "existing": result.existing,
            "quotes_extracted": result.quote_count,
            "articles": [
                {
                    "id": r.article.id,
                    "title": r.article.title,
                    "created": r.created,
                    "quote_count": r.quote_count,
                    "extraction_status": r.article.extraction_status,
                }
                for r in result.articles
            ],
        }
        return Response(
            body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )

    @extend_schema(request=UrlImportInput, responses={202: UrlImportResult})
    @action(detail=False, methods=["post"], url_path="from-urls")
    def from_urls(self, request):
        """Import web pages or feeds: the URLs are staged in a batch and fetched in the
        background; follow them at the batch's url (page) or /api/v1/batches/{id}/items/."""
        if not import_permitted(user=request.user):
            raise PermissionDenied("Importing needs the manager role in a project.")
        serializer = UrlImportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = corpus_access().import_target(request.user, data.get("project"))
        batch = import_batch_stage(
            urls=data["urls"],
            name=data.get("name") or f"URL import by {request.user.get_username()}",
            importer=request.user,
            target=target,
            outlet=data.get("outlet") or None,
        )
        body = {
            "batch": {"id": batch.id, "url": reverse("claims:batch-detail", args=[batch.id])},
            "staged": batch.items.filter(status=ImportItem.Status.STAGED).count(),
        }
        response = Response(body, status=status.HTTP_202_ACCEPTED)
        return run_after_response(response, import_batch_dispatch(batch=batch))


class ItemPagination(IdCursorPagination):
    """A batch's items in the order they were given."""

    ordering = "position"


class BatchViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Import batches: your own (staff: all) — counts, and each item's outcome and reason."""

    lookup_value_regex = r"[0-9]{1,18}"
    serializer_class = BatchOutput
    pagination_class = ItemPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ImportBatch.objects.none()
        return batch_list_visible(user=self.request.user)

    @extend_schema(responses={200: ImportItemOutput(many=True)})
    @action(detail=True, methods=["get"])
    def items(self, request, pk=None):
        """The batch's items in order; ?show=problems for those not imported."""
        batch = self.get_object()
        items = batch_items(
            batch=batch, problems_only=request.query_params.get("show") == "problems"
        )
        page = self.paginate_queryset(items)
        return self.get_paginated_response(ImportItemOutput(page, many=True).data)


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
