"""The corpus: outlets, articles, speakers and the quotes found in article text."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower
from django.utils import timezone


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 text: the key that makes importing idempotent."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Outlet(models.Model):
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="outlet_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One import run (command, upload or API call): lets a project take "an imported batch".

    Its records and URLs are staged as ImportItems first and stored by a worker (or after the
    response, without one), so no import depends on a web request's time limit.
    """

    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Imported at the command line, whose operator sees every article. A batch whose creator
    # was deleted is *not* the operator's: its remaining items fail instead.
    by_operator = models.BooleanField(default=False)
    outlet = models.CharField(
        max_length=200, blank=True, help_text="Outlet for records that name none."
    )
    extract = models.BooleanField(default=True, help_text="Extract the new articles' quotes.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def current(self) -> "ArticleQuerySet":
        """The latest version of each article (earlier versions are kept, read-only)."""
        return self.filter(replaced_by__isnull=True)

    def of_lineage(self, article: "Article") -> "ArticleQuerySet":
        """Every version of the article, oldest first."""
        root = article.lineage_id or article.id
        return self.filter(Q(id=root) | Q(lineage_id=root)).order_by("version")


class Article(models.Model):
    class ExtractionStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    title = models.CharField(max_length=500)
    author = models.CharField(max_length=300, blank=True)
    # Neither the URL nor the text is unique across the corpus: an import de-duplicates only
    # among the articles its importer can see (claims/services/articles.py), so another
    # project's copy of a text is a separate article, never a door into that project.
    url = models.URLField(max_length=2000, null=True, blank=True, db_index=True)  # noqa: DJ001
    published_at = models.DateTimeField(null=True, blank=True)
    # Quote offsets index this text, so it never changes after import (a trigger enforces it).
    text = models.TextField()
    # Its length in characters, computed by the database: the triggers that keep every quote
    # span inside the text compare with it rather than measure the text for each quote written.
    text_length = models.GeneratedField(
        expression=Length("text"), output_field=models.PositiveIntegerField(), db_persist=True
    )
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)
    language = models.CharField(max_length=16, default="en")
    source_name = models.CharField(
        max_length=500, blank=True, help_text="File or feed the article was imported from."
    )
    extraction_status = models.CharField(
        max_length=16, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING
    )
    extraction_error = models.TextField(blank=True)
    # When the status last changed: a pending or running article untouched for long lost its
    # task (a killed worker, a flushed broker) and may be queued again.
    extraction_status_at = models.DateTimeField(null=True, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    # Versions (docs/architecture.md, "Article versions"): an edited article is a new Article
    # row with its own immutable text, numbered within its lineage (the first version, which
    # has none). The version it replaces points at it; the current version has no successor.
    lineage = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="later_versions"
    )
    version = models.PositiveIntegerField(default=1)
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="article_text_not_empty"),
            models.CheckConstraint(
                condition=Q(lineage__isnull=True, version=1)
                | Q(lineage__isnull=False, version__gt=1),
                name="article_version_in_lineage",
            ),
            models.UniqueConstraint(
                fields=["lineage", "version"], name="article_version_unique_in_lineage"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(
                condition=Q(extraction_status__in=["pending", "running", "done", "failed"]),
                name="article_extraction_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["extraction_status"]),
            models.Index(fields=["batch", "extraction_status"], name="article_batch_status_idx"),
            # "The same outlet and title" finds the article an import is a new version of.
            models.Index(fields=["outlet", "title"], name="article_outlet_title_idx"),
            # Newest first: lists and searches read articles (and their quotes) in this order
            # and stop after a page, instead of sorting every match.
            models.Index(fields=["-published_at", "-id"], name="article_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.sha256 = text_sha256(self.text)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        """Whether this is the latest version of the article."""
        return self.replaced_by_id is None


class Speaker(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organization"
        GOVERNMENT = "government", "Government"
        MEDIA = "media", "Media"
        UNNAMED = "unnamed", "Unnamed"

    name = models.CharField(max_length=300, help_text="Canonical name, without titles.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERSON)
    description = models.CharField(
        max_length=300, blank=True, help_text="Role or title, e.g. “Ukrainian president”."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="speaker_name_unique_ci"),
            models.CheckConstraint(condition=~Q(name=""), name="speaker_name_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=["person", "organization", "government", "media", "unnamed"]),
                name="speaker_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SpeakerAlias(models.Model):
    """Another name under which a speaker appears ("Zelensky" for "Vladimir Zelensky")."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=300)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "speaker aliases"
        constraints = [
            models.UniqueConstraint(Lower("alias"), name="speaker_alias_unique_ci"),
            models.CheckConstraint(condition=~Q(alias=""), name="speaker_alias_not_empty"),
        ]

    def __str__(self) -> str:
        return self.alias


def _span_pair_constraints(prefix: str) -> list[models.CheckConstraint]:
    start, end = f"{prefix}_start", f"{prefix}_end"
    return [
        models.CheckConstraint(
            condition=Q(**{f"{start}__isnull": True, f"{end}__isnull": True})
            | Q(
                **{
                    f"{start}__isnull": False,
                    f"{end}__isnull": False,
                    f"{end}__gt": models.F(start),
                }
            ),
            name=f"quote_{prefix}_span_valid",
        ),
    ]


class QuoteQuerySet(models.QuerySet):
    def present(self) -> "QuoteQuerySet":
        """Quotes whose words are in their article's current version (not gone in a later
        one): the only ones a queue may hand out."""
        return self.filter(gone_in_version__isnull=True)


class Quote(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct"
        INDIRECT = "indirect", "Indirect"
        MIXED = "mixed", "Mixed"

    class Origin(models.TextChoices):
        EXTRACTED = "extracted", "Extracted"
        MANUAL = "manual", "Added by an annotator"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    content_start = models.PositiveIntegerField()
    content_end = models.PositiveIntegerField()
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    speaker_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_end = models.PositiveIntegerField(null=True, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.EXTRACTED)
    extractor_version = models.CharField(max_length=32, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    # Annotators' fixes: a quote someone edited (or rejected) is never altered by re-extraction.
    is_rejected = models.BooleanField(
        default=False, help_text="Marked “not a quote” by an annotator."
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    # Carried across article versions (claims/services/versions.py): a quote whose words
    # changed in version N keeps its labels, flagged "text changed since labelled"; one whose
    # words are gone stays on the version that has them, out of every queue.
    changed_in_version = models.PositiveIntegerField(null=True, blank=True)
    gone_in_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # article.text[content_start:content_end], written by the database itself (triggers of
    # migration 0005) on insert and whenever the span moves, so search and quote lists read a
    # quote's words without slicing its article's text per row. Code never sets it; an instance
    # created in Python holds None until it is read back. Nullable because adding a NOT NULL
    # column makes SQLite rebuild the table, which drops the span triggers of migration 0002.
    content_text = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "content_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_end__gt=models.F("content_start")),
                name="quote_content_span_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["direct", "indirect", "mixed"]), name="quote_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=["extracted", "manual"]), name="quote_origin_valid"
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0.0, confidence__lte=1.0),
                name="quote_confidence_range",
            ),
            *_span_pair_constraints("speaker"),
            *_span_pair_constraints("cue"),
            models.UniqueConstraint(
                fields=["article", "content_start", "content_end"],
                name="quote_unique_span_per_article",
            ),
        ]

    def __str__(self) -> str:
        span = f"[{self.content_start}:{self.content_end}]"
        return f"{self.get_kind_display()} quote in article {self.article_id} {span}"

    def clean(self) -> None:
        """Check every span lies inside the article text (the database checks it too)."""
        if not self.article_id:
            return
        length = len(self.article.text)
        errors = {}
        for prefix in ("content", "speaker", "cue"):
            start, end = getattr(self, f"{prefix}_start"), getattr(self, f"{prefix}_end")
            if start is None and end is None:
                continue
            if start is None or end is None or not 0 <= start < end <= length:
                errors[f"{prefix}_start"] = (
                    f"The {prefix} span [{start}, {end}) must lie inside the article text "
                    f"(0 to {length}) and not be empty."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def content(self) -> str:
        """The quoted text, sliced from the article."""
        return self.article.text[self.content_start : self.content_end]

    @property
    def speaker_mention(self) -> str:
        """The speaker as written in the article ("he", "the Kremlin")."""
        if self.speaker_start is None:
            return ""
        return self.article.text[self.speaker_start : self.speaker_end]

    @property
    def cue(self) -> str:
        """The reporting verb or phrase as written ("said", "according to")."""
        if self.cue_start is None:
            return ""
        return self.article.text[self.cue_start : self.cue_end]


class QuoteEdit(models.Model):
    """One fix to a quote by a person: who, when, and the fields before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "Added"
        UPDATE = "update", "Changed"
        REJECT = "reject", "Marked not a quote"
        RESTORE = "restore", "Restored"

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="edits")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} quote {self.quote_id}"


class SpeakerMerge(models.Model):
    """One speaker folded into another: enough of the source is kept to undo it exactly."""

    target = models.ForeignKey(
        Speaker, null=True, on_delete=models.SET_NULL, related_name="merges_received"
    )
    target_name = models.CharField(max_length=300)
    source_speaker_id = models.PositiveIntegerField(help_text="The id the source speaker had.")
    source_name = models.CharField(max_length=300)
    source_kind = models.CharField(max_length=16, choices=Speaker.Kind.choices)
    source_description = models.CharField(max_length=300, blank=True)
    source_aliases = models.JSONField(default=list, blank=True)
    added_alias = models.CharField(
        max_length=300, blank=True, help_text="The source's name, added as an alias of the target."
    )
    quote_ids = models.JSONField(default=list, blank=True, help_text="Quotes moved to the target.")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source_name} → {self.target_name}"

    @property
    def is_undone(self) -> bool:
        """Whether the merge has been reverted."""
        return self.undone_at is not None


class ImportItem(models.Model):
    """One record or URL of an import batch, staged before it is stored.

    The request that imports only writes these rows; a worker (claims/services/import_batches.py)
    turns each into an article in the same transaction that marks it done, so a process that
    dies midway leaves every item either done or still staged, never lost or stored twice.
    """

    class Kind(models.TextChoices):
        RECORD = "record", "Record"
        URL = "url", "URL"

    class Status(models.TextChoices):
        STAGED = "staged", "Waiting"
        FETCHING = "fetching", "Fetching"
        CREATED = "created", "New article"
        VERSION = "version", "New version"
        EXISTING = "existing", "Already present"
        FEED = "feed", "Feed read"
        FAILED = "failed", "Not imported"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    source_name = models.CharField(max_length=2000, help_text="File (and line) or URL.")
    url = models.URLField(max_length=2000, blank=True, help_text="What to fetch (URL items).")
    # The parsed record (title, text, url, outlet, published_at as ISO 8601) or, for a URL from
    # a feed, the feed's title and date for the page that lacks them; emptied once stored.
    payload = models.JSONField(default=dict, blank=True)
    # Where the article goes (for Claimlab, a project id: claims/access.py's ImportTarget).
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.STAGED)
    reason = models.TextField(blank=True, help_text="Why it was not imported.")
    retryable = models.BooleanField(
        default=False, help_text="A passing failure (timeout, server error): may be retried."
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["batch_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="import_item_position"),
            models.CheckConstraint(
                condition=Q(kind__in=["record", "url"]), name="import_item_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "staged",
                        "fetching",
                        "created",
                        "version",
                        "existing",
                        "feed",
                        "failed",
                    ]
                ),
                name="import_item_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["batch", "status"], name="import_item_batch_status_idx")]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.status})"


class FetchHost(models.Model):
    """When a host may next be fetched from: the politeness delay, shared by every worker."""

    host = models.CharField(max_length=255, unique=True)
    next_fetch_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.host


class ArticleFingerprint(models.Model):
    """An article's MinHash signature and its LSH band keys, for finding near-duplicates."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="fingerprint"
    )
    minhash = models.BinaryField()

    def __str__(self) -> str:
        return f"fingerprint of article {self.article_id}"


class ArticleBand(models.Model):
    """One LSH band of an article's signature: articles sharing a band are candidates."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band", "key"], name="article_band_key_idx")]

    def __str__(self) -> str:
        return f"band {self.band} of article {self.article_id}"


class SameStory(models.Model):
    """Two articles telling the same story (wire copy republished, lightly edited), stored in
    both directions, with their estimated Jaccard similarity of word shingles."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="same_story")
    other = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()

    class Meta:
        ordering = ["article_id", "-similarity", "other_id"]
        verbose_name_plural = "same stories"
        constraints = [
            models.UniqueConstraint(fields=["article", "other"], name="same_story_unique"),
            models.CheckConstraint(
                condition=~Q(article=models.F("other")), name="same_story_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} ~ {self.other_id}"
