"""Query-string filters for the corpus endpoints (django-filter)."""

import django_filters
from django.db.models import Q

from claims.models import Article, Quote, Speaker, SpeakerAlias
from config.api import IdFilter, UtcDateTimeFilter


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Words in the title or text")
    outlet = django_filters.CharFilter(field_name="outlet__name", lookup_expr="iexact")
    published_after = UtcDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UtcDateTimeFilter(field_name="published_at", lookup_expr="lt")
    project = IdFilter(field_name="projects", distinct=True)
    extraction_status = django_filters.ChoiceFilter(choices=Article.ExtractionStatus.choices)

    class Meta:
        model = Article
        fields = [
            "q",
            "outlet",
            "published_after",
            "published_before",
            "project",
            "extraction_status",
        ]

    def search(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(text__icontains=word))
        return queryset


class QuoteFilter(django_filters.FilterSet):
    article = IdFilter(field_name="article_id")
    speaker = IdFilter(field_name="speaker_id")
    kind = django_filters.ChoiceFilter(choices=Quote.Kind.choices)
    project = IdFilter(field_name="article__projects", distinct=True)
    origin = django_filters.ChoiceFilter(choices=Quote.Origin.choices)
    is_rejected = django_filters.BooleanFilter()

    class Meta:
        model = Quote
        fields = ["article", "speaker", "kind", "project", "origin", "is_rejected"]


class SpeakerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or alias contains")
    kind = django_filters.ChoiceFilter(choices=Speaker.Kind.choices)

    class Meta:
        model = Speaker
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        aliased = SpeakerAlias.objects.filter(alias__icontains=value).values("speaker_id")
        return queryset.filter(Q(name__icontains=value) | Q(id__in=aliased))
