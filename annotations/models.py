"""The labelling: projects and their members, the label schema, labels, queue, gold, comments."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from claims.models import Article, Quote


class Project(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    guidelines = models.TextField(blank=True, help_text="Markdown shown to annotators.")
    stance_targets = models.JSONField(
        default=list,
        blank=True,
        help_text='What stance is measured toward, e.g. ["negotiations with Russia"].',
    )
    annotators_per_quote = models.PositiveSmallIntegerField(
        default=2, help_text="How many annotators label each quote (k)."
    )
    blind_mode = models.BooleanField(
        default=True, help_text="Annotators do not see each other's labels."
    )
    assignment_timeout_minutes = models.PositiveIntegerField(
        default=60, help_text="An unfinished assignment returns to the pool after this long."
    )
    articles = models.ManyToManyField(Article, blank=True, related_name="projects")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annotators_per_quote__gte=1, annotators_per_quote__lte=50),
                name="project_k_range",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="project_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", "Manager"
        ANNOTATOR = "annotator", "Annotator"
        REVIEWER = "reviewer", "Reviewer"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "role", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=["manager", "annotator", "reviewer"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.project}"


class Dimension(models.Model):
    """One question asked of every quote (stance, attribution, sourcing, …)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dimensions")
    key = models.SlugField(max_length=50, help_text="Machine name used by the API and exports.")
    name = models.CharField(max_length=100)
    help_text = models.TextField(blank=True)
    target = models.CharField(
        max_length=200, blank=True, help_text="Stance target this dimension asks about, if any."
    )
    multiple = models.BooleanField(default=False, help_text="Several choices may be picked.")
    required = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["project_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="dimension_key_unique"),
            models.CheckConstraint(condition=~Q(key=""), name="dimension_key_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Choice(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="choices")
    value = models.SlugField(max_length=50)
    label = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    shortcut = models.CharField(max_length=1, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # A choice that labels use is archived, never deleted, so no label loses its meaning.
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["dimension_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "value"], name="choice_value_unique"),
            models.UniqueConstraint(
                fields=["dimension", "shortcut"],
                condition=~Q(shortcut="") & Q(archived=False),
                name="choice_shortcut_unique",
            ),
            models.CheckConstraint(condition=~Q(value=""), name="choice_value_not_empty"),
        ]

    def __str__(self) -> str:
        return self.label


class ChoiceIdsKept(models.Model):
    """A row whose ``choice_ids`` copy belongs to the triggers of migration 0009. A full save
    of an instance read before its choices changed would write the old copy back over the
    triggers' one, so a save of a stored row leaves that column out."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "choice_ids"
            ]
        super().save(*args, **kwargs)


class Label(ChoiceIdsKept):
    """An annotator's current answer for one quote on one dimension."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="labels")
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="labels")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="labels"
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="labels")
    choices = models.ManyToManyField(Choice, related_name="labels")
    note = models.TextField(blank=True)
    # Kept by the one place that rewrites a label (sql.labels_rewrite), so exports and the
    # dashboard read it without counting the history rows of every label.
    changes = models.PositiveIntegerField(
        db_default=0,
        help_text="Times the answer or its note was changed after it was given: the label's "
        "history rows beyond the first.",
    )
    # Kept by database triggers on the label's choices (migration 0009), whoever writes them;
    # code never sets it. The export reads a label's answer from here, without a lookup into
    # the choices' table per label. Changing the choices' table in a migration on SQLite
    # rebuilds it and drops the triggers: recreate them then.
    choice_ids = models.TextField(
        db_default="",
        editable=False,
        help_text="The ids of the choices, ascending, separated by spaces.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project_id", "quote_id", "annotator_id", "dimension_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "quote", "annotator", "dimension"], name="label_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.annotator} on quote {self.quote_id} / {self.dimension}"


class LabelHistory(models.Model):
    """Append-only record of every label change; nothing an annotator said is lost."""

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="history")
    values = models.JSONField(help_text="Choice values after the change.")
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label_id", "changed_at", "id"]
        verbose_name_plural = "label history"

    def __str__(self) -> str:
        return f"{self.label_id}: {self.values}"


class Assignment(models.Model):
    """The queue: one quote handed to one annotator in one project."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        SUBMITTED = "submitted", "Submitted"
        SKIPPED = "skipped", "Skipped"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    assigned_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    seconds_spent = models.FloatField(
        null=True,
        blank=True,
        help_text="Seconds the annotator spent on the quote, from display to submit, added up "
        "over every submission that measured it (empty when none did).",
    )

    class Meta:
        ordering = ["project_id", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "quote", "annotator"], name="assignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(seconds_spent__gte=0), name="assignment_seconds_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["assigned", "submitted", "skipped"]),
                name="assignment_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "annotator", "status"]),
            # Open assignments that can expire, oldest first: the queue's expiry sweep.
            models.Index(
                fields=["project", "assigned_at"],
                condition=Q(status="assigned", completed_at__isnull=True),
                name="assignment_open_by_age",
            ),
        ]

    def __str__(self) -> str:
        return f"quote {self.quote_id} → {self.annotator} ({self.status})"


class Gold(ChoiceIdsKept):
    """The adjudicated label for one quote on one dimension."""

    class Method(models.TextChoices):
        UNANIMOUS = "unanimous", "Unanimous"
        MAJORITY = "majority", "Majority"
        REVIEWER = "reviewer", "Reviewer"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="gold_labels")
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="gold_labels")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="gold_labels")
    choices = models.ManyToManyField(Choice, related_name="gold_labels")
    method = models.CharField(max_length=16, choices=Method.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)
    # As Label.choice_ids: kept by triggers on the gold's choices (migration 0009).
    choice_ids = models.TextField(
        db_default="",
        editable=False,
        help_text="The ids of the choices, ascending, separated by spaces.",
    )

    class Meta:
        ordering = ["project_id", "quote_id", "dimension_id"]
        verbose_name_plural = "gold labels"
        constraints = [
            models.UniqueConstraint(fields=["project", "quote", "dimension"], name="gold_unique"),
            models.CheckConstraint(
                condition=Q(method__in=["unanimous", "majority", "reviewer"]),
                name="gold_method_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"gold for quote {self.quote_id} / {self.dimension}"


class Comment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quote_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="comment_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.author} on quote {self.quote_id}"


class QueueCount(models.Model):
    """The queue's view of one quote in one project: a row for every quote of the project's
    articles, with how many assignments hold one of its places (submitted or open; skipped ones
    do not) and how many are submitted, and the quote's text position for ordering.

    Kept exact by database triggers (migration 0003, annotations/queue_counts.py) on
    assignments, quotes and the project's articles, so every door — services, admin, corpus
    import, cascades — keeps it in step; the queue reads it to find the next quote and count
    what is left without counting assignments. Derived data: `manage.py queue_counts_rebuild`
    checks it against its sources and repairs it.
    """

    derived_by_database = True  # not exported with the corpus: the triggers rebuild it

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    # Plain ids, not foreign keys: the corpus protects quotes that other apps refer to from
    # re-extraction (found through model metadata), and this row is no such reference.
    quote_id = models.BigIntegerField()
    article_id = models.BigIntegerField()
    content_start = models.PositiveIntegerField()
    rejected = models.BooleanField(default=False)
    held = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quote_id", "project"], name="queuecount_unique"),
        ]
        indexes = [
            # The candidate pick: fullest first, then text order, rejected quotes left out.
            models.Index(
                fields=["project", "-held", "article_id", "content_start", "quote_id"],
                condition=Q(rejected=False),
                name="queuecount_pick",
            ),
            models.Index(fields=["project", "article_id"], name="queuecount_article"),
        ]

    def __str__(self) -> str:
        return f"quote {self.quote_id} in project {self.project_id}: {self.held} held"


# QueueTotal shares per project; migration 0003's triggers split by quote id modulo this.
QUEUE_TOTAL_SHARDS = 16


class QueueTotal(models.Model):
    """One share (of QUEUE_TOTAL_SHARDS per project, by quote id) of a project's totals over
    its QueueCount rows, kept by the same triggers; a project's total is the sum of its
    shares. Shares, because every submission changes them: writers of different quotes
    rarely wait for the same row."""

    derived_by_database = True

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    shard = models.PositiveSmallIntegerField()
    annotators_per_quote = models.PositiveSmallIntegerField()  # the project's k, kept in step
    quotes = models.PositiveIntegerField(default=0)  # not rejected
    quotes_open = models.PositiveIntegerField(default=0)  # of those, fewer than k places held
    quotes_complete = models.PositiveIntegerField(default=0)  # k or more submitted
    done = models.PositiveIntegerField(default=0)  # submissions, at most k per quote

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "shard"], name="queuetotal_unique"),
        ]

    def __str__(self) -> str:
        return f"project {self.project_id} share {self.shard}"


class QueueAnnotatorCount(models.Model):
    """One annotator's assignments in one project by status, counting only quotes still in
    the project and not rejected — kept by the same triggers as QueueCount (migration 0004),
    so the annotator's progress needs no count over their own history."""

    derived_by_database = True

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    annotator_id = models.BigIntegerField()  # a plain id: users are never deleted who labelled
    submitted = models.PositiveIntegerField(default=0)
    assigned = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "annotator_id"], name="queueannotatorcount_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"annotator {self.annotator_id} in project {self.project_id}"


class SchemaVersion(models.Model):
    """A token that changes whenever one of the project's questions or choices is written —
    by triggers on Dimension and Choice (migration 0008), so the services, the admin, imports
    and plain SQL all change it — and never comes back (a random 63-bit number, not a
    counter: a rolled-back edit or a reused project id cannot make an old token current
    again). Label saves keep the schema they read per process, under this token
    (annotations.labelling.schema.schema_read)."""

    derived_by_database = True

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"schema of project {self.project_id}: {self.version}"
