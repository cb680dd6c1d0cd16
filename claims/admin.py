from django.contrib import admin
from django.db import models
from django.db.models import Count

from claims.models import Article, ImportBatch, Outlet, Quote, QuoteEdit, Speaker, SpeakerAlias


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "article_count", "created_at"]
    search_fields = ["name", "domain"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(ordering="article_count", description="Articles")
    def article_count(self, obj):
        return obj.article_count


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "created_at"]
    search_fields = ["name"]
    list_select_related = ["created_by"]


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0
    fields = ["kind", "content_start", "content_end", "speaker", "origin", "is_rejected"]
    raw_id_fields = ["speaker"]
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "outlet",
        "published_at",
        "quote_count",
        "extraction_status",
        "created_at",
    ]
    list_filter = ["extraction_status", "outlet", "language", "published_at"]
    search_fields = ["title", "url", "sha256", "source_name"]
    list_select_related = ["outlet"]
    readonly_fields = ["sha256", "created_at", "extracted_at"]
    date_hierarchy = "published_at"
    raw_id_fields = ["batch"]
    inlines = [QuoteInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        # The text is immutable once stored: quote offsets index it.
        return [*self.readonly_fields, "text"] if obj else self.readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quote_count=Count("quotes"))

    @admin.display(ordering="quote_count", description="Quotes")
    def quote_count(self, obj):
        return obj.quote_count


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "description", "quote_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__alias", "description"]
    inlines = [SpeakerAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quote_count=Count("quotes"))

    @admin.display(ordering="quote_count", description="Quotes")
    def quote_count(self, obj):
        return obj.quote_count


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "speaker"]
    search_fields = ["alias", "speaker__name"]
    list_select_related = ["speaker"]
    raw_id_fields = ["speaker"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "short_content",
        "kind",
        "speaker",
        "article",
        "origin",
        "is_rejected",
        "extractor_version",
    ]
    list_filter = ["kind", "origin", "is_rejected", "extractor_version"]
    search_fields = ["speaker__name", "article__title"]
    list_select_related = ["speaker", "article"]
    raw_id_fields = ["article", "speaker", "edited_by"]

    @admin.display(description="Content")
    def short_content(self, obj):
        content = obj.content
        return content if len(content) <= 80 else content[:77] + "…"


@admin.register(QuoteEdit)
class QuoteEditAdmin(admin.ModelAdmin):
    list_display = ["quote", "action", "editor", "created_at"]
    list_filter = ["action"]
    search_fields = ["editor__username"]
    list_select_related = ["editor", "quote"]
    raw_id_fields = ["quote"]
