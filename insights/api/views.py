"""REST endpoints for the insight aggregates: search, a speaker's figures, an outlet's figures.

The same selectors as the pages (insights.selectors, .search, .figures), so a page and its API
agree to the number.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from insights.figures import CountTable, outlet_insights, outlet_sourcing_table, speaker_insights
from insights.forms import SearchForm
from insights.search import full_text_search_available, search
from insights.selectors import (
    insight_scope,
    outlet_get_visible,
    outlets_visible,
    speaker_get_visible,
)

OUTLETS_LISTED = 500


class CountTableOutput(serializers.Serializer):
    """One chart's numbers: rows × series counts, as on the page and in its CSV."""

    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    row_header = serializers.CharField()
    series = serializers.ListField(child=serializers.CharField())
    rows = serializers.SerializerMethodField()
    total = serializers.IntegerField()

    def get_rows(self, table: CountTable) -> list[dict]:
        return [
            {"label": row, "counts": dict(zip(table.series, counts, strict=True)), "total": total}
            for row, counts, total in table.matrix
        ]


def _speaker_data(speaker) -> dict:
    return {
        "id": speaker.id,
        "name": speaker.name,
        "kind": speaker.kind,
        "description": speaker.description,
        "aliases": [alias.alias for alias in speaker.aliases.all()],
        "quote_count": speaker.quote_count,
    }


class InsightSearchView(APIView):
    """Quotes (paged) and articles matching words and filters, best match first on PostgreSQL."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words (PostgreSQL: web-search syntax)"),
            OpenApiParameter("speaker", int),
            OpenApiParameter("outlet", int),
            OpenApiParameter("date_from", str, description="YYYY-MM-DD, inclusive"),
            OpenApiParameter("date_to", str, description="YYYY-MM-DD, inclusive"),
            OpenApiParameter("kind", str, enum=["direct", "indirect", "mixed"]),
            OpenApiParameter("label", str, description="dimension:value, e.g. stance:against"),
            OpenApiParameter("page", int),
        ],
        responses={200: dict},
    )
    def get(self, request):
        scope = insight_scope(user=request.user)
        form = SearchForm(request.query_params, scope=scope)
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        filters = form.filters()
        results = search(scope=scope, filters=filters)
        page = results.quote_page(request.query_params.get("page"))
        articles = results.first_articles()
        return Response(
            {
                "full_text": full_text_search_available(),
                "count": page.paginator.count,
                "count_capped": page.paginator.is_capped,
                "page": page.number,
                "num_pages": page.paginator.num_pages,
                "quotes": [
                    {
                        "id": quote.id,
                        "kind": quote.kind,
                        "content": quote.content_text,
                        "speaker": (
                            {"id": quote.speaker.id, "name": quote.speaker.name}
                            if quote.speaker
                            else None
                        ),
                        "article": {
                            "id": quote.article.id,
                            "title": quote.article.title,
                            "published_at": quote.article.published_at,
                            "outlet": quote.article.outlet.name if quote.article.outlet else None,
                        },
                        "rank": getattr(quote, "rank", None),
                    }
                    for quote in page.object_list
                ],
                "articles": [
                    {
                        "id": article.id,
                        "title": article.title,
                        "published_at": article.published_at,
                        "outlet": article.outlet.name if article.outlet else None,
                        "quote_count": article.quote_count,
                    }
                    for article in articles
                ],
            }
        )


class SpeakerInsightsView(APIView):
    """A speaker's stance per target by month and the sourcing mix of articles quoting them."""

    @extend_schema(responses={200: dict})
    def get(self, request, speaker_id: int):
        speaker = speaker_get_visible(user=request.user, speaker_id=speaker_id)
        if speaker is None:
            raise NotFound("No such speaker in your projects.")
        insights = speaker_insights(user=request.user, speaker=speaker)
        return Response(
            {
                "speaker": _speaker_data(speaker),
                "articles_quoting": insights.articles_quoting,
                "labelled_quotes": insights.labelled_quotes,
                "stance": CountTableOutput(insights.stance_tables, many=True).data,
                "sourcing": CountTableOutput(insights.sourcing_table).data,
            }
        )


class OutletInsightsView(APIView):
    """An outlet's speakers, sourcing shares and stance mix per target."""

    @extend_schema(responses={200: dict})
    def get(self, request, outlet_id: int):
        outlet = outlet_get_visible(user=request.user, outlet_id=outlet_id)
        if outlet is None:
            raise NotFound("No such outlet in your projects.")
        insights = outlet_insights(user=request.user, outlet=outlet)
        return Response(
            {
                "outlet": {"id": outlet.id, "name": outlet.name, "domain": outlet.domain},
                "article_count": outlet.article_count,
                "quote_count": outlet.quote_count,
                "speaker_count": insights.speaker_count,
                "top_speakers": insights.top_speakers,
                "anonymous_share": insights.anonymous_share,
                "media_report_share": insights.media_report_share,
                "stance": CountTableOutput(insights.stance_table).data,
                "sourcing": CountTableOutput(insights.sourcing_table).data,
            }
        )


class OutletSourcingView(APIView):
    """Every visible outlet with its counts and sourcing mix (first 500 by name)."""

    @extend_schema(operation_id="v1_insights_outlets_list", responses={200: dict})
    def get(self, request):
        outlets = list(outlets_visible(user=request.user)[:OUTLETS_LISTED])
        table = outlet_sourcing_table(user=request.user, outlets=outlets)
        return Response(
            {
                "outlets": [
                    {
                        "id": outlet.id,
                        "name": outlet.name,
                        "article_count": outlet.article_count,
                        "quote_count": outlet.quote_count,
                        "labelled_quotes": table.row_total(outlet.name),
                        "anonymous": table.count(outlet.name, "anonymous"),
                        "media_report": table.count(outlet.name, "media-report"),
                    }
                    for outlet in outlets
                ],
                "sourcing": CountTableOutput(table).data,
            }
        )
