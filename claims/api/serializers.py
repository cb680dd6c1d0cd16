"""API shapes for the corpus: one input and one output serializer per use."""

from rest_framework import serializers

from claims.models import Article, Quote, Speaker
from config.api import id_field, offset_field


class QuoteOutput(serializers.ModelSerializer):
    content = serializers.CharField(read_only=True)
    speaker = serializers.SerializerMethodField()
    speaker_mention = serializers.CharField(read_only=True)
    cue = serializers.CharField(read_only=True)

    class Meta:
        model = Quote
        fields = [
            "id",
            "article",
            "kind",
            "content_start",
            "content_end",
            "content",
            "speaker",
            "speaker_start",
            "speaker_end",
            "speaker_mention",
            "cue_start",
            "cue_end",
            "cue",
            "origin",
            "extractor_version",
            "confidence",
            "is_rejected",
            "edited_at",
        ]

    def get_speaker(self, quote) -> dict | None:
        if quote.speaker is None:
            return None
        return {"id": quote.speaker.id, "name": quote.speaker.name, "kind": quote.speaker.kind}


class ArticleListOutput(serializers.ModelSerializer):
    outlet = serializers.CharField(source="outlet.name", default=None, read_only=True)
    quote_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "url",
            "outlet",
            "author",
            "version",
            "replaced_by",
            "published_at",
            "language",
            "sha256",
            "extraction_status",
            "extraction_error",
            "quote_count",
            "created_at",
        ]


class ArticleDetailOutput(ArticleListOutput):
    quotes = QuoteOutput(many=True, read_only=True, source="visible_quotes")

    class Meta(ArticleListOutput.Meta):
        fields = [*ArticleListOutput.Meta.fields, "text", "quotes"]


class ArticleCreateInput(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    text = serializers.CharField(trim_whitespace=False)
    url = serializers.URLField(max_length=2000, required=False, allow_null=True, allow_blank=True)
    outlet = serializers.CharField(
        max_length=200, required=False, allow_null=True, allow_blank=True
    )
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    project = id_field(
        required=False, allow_null=True, help_text="Add the article to this project (managers)."
    )


class ArticleCreateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    created = serializers.BooleanField()
    quote_count = serializers.IntegerField()
    extraction_status = serializers.CharField()


class ImportBatchRef(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="The batch page: extraction status and progress.")


class ArticleCreateResult(serializers.Serializer):
    batch = ImportBatchRef(
        allow_null=True, help_text="The import batch of this request; null when nothing was new."
    )
    created = serializers.IntegerField(help_text="Articles stored by this request.")
    existing = serializers.IntegerField(help_text="Articles whose text was already stored.")
    quotes_extracted = serializers.IntegerField()
    articles = ArticleCreateOutput(many=True)


class UrlImportInput(serializers.Serializer):
    urls = serializers.ListField(
        child=serializers.CharField(max_length=2000),
        min_length=1,
        max_length=1000,
        help_text="Article pages or RSS/Atom feeds (whose entries are fetched in turn).",
    )
    project = id_field(
        required=False, allow_null=True, help_text="Add the articles to this project (managers)."
    )
    outlet = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class UrlImportResult(serializers.Serializer):
    batch = ImportBatchRef()
    staged = serializers.IntegerField(help_text="URLs staged; each is fetched in the background.")


class ImportItemOutput(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.CharField()
    source = serializers.CharField(source="source_name")
    status = serializers.CharField()
    reason = serializers.CharField()
    retryable = serializers.BooleanField()
    article = serializers.IntegerField(source="article_id", allow_null=True)


class BatchOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    items = serializers.IntegerField(source="item_total")
    items_waiting = serializers.IntegerField(source="item_waiting")
    items_failed = serializers.IntegerField(source="item_failed")
    articles = serializers.IntegerField(source="article_total")
    extraction = serializers.SerializerMethodField()

    def get_extraction(self, batch) -> dict[str, int]:
        return {status: getattr(batch, f"{status}_count") for status in Article.ExtractionStatus}


class QuoteCreateInput(serializers.Serializer):
    article = id_field()
    kind = serializers.ChoiceField(choices=Quote.Kind.choices)
    content_start = offset_field()
    content_end = offset_field(min_value=1)
    speaker = id_field(required=False, allow_null=True)
    speaker_start = offset_field(required=False, allow_null=True)
    speaker_end = offset_field(min_value=1, required=False, allow_null=True)
    cue_start = offset_field(required=False, allow_null=True)
    cue_end = offset_field(min_value=1, required=False, allow_null=True)


class QuoteUpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Quote.Kind.choices, required=False)
    content_start = offset_field(required=False)
    content_end = offset_field(min_value=1, required=False)
    speaker = id_field(required=False, allow_null=True)
    speaker_start = offset_field(required=False, allow_null=True)
    speaker_end = offset_field(min_value=1, required=False, allow_null=True)
    cue_start = offset_field(required=False, allow_null=True)
    cue_end = offset_field(min_value=1, required=False, allow_null=True)
    is_rejected = serializers.BooleanField(required=False)


class SpeakerOutput(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField()
    quote_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Speaker
        fields = ["id", "name", "kind", "description", "aliases", "quote_count"]

    def get_aliases(self, speaker) -> list[str]:
        return [alias.alias for alias in speaker.aliases.all()]
