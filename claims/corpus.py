"""The whole corpus as one JSON Lines stream, and back into an empty database.

The format is Django's own `jsonl` serialization (one object per line: model, pk, fields; many-
to-many fields as lists of ids), so `manage.py loaddata` can read it too. What this module adds
over dumpdata/loaddata: the right model list (every model of claims and annotations but the
fetch politeness state, plus users), users without password hashes unless asked, rows read in
id-ordered chunks and written one line at a time (flat memory both ways), an empty-database
check, rows inserted without the update attempt loaddata makes first, everything in one
transaction, and id sequences reset so new rows continue after the imported ones. Ids, offsets
and timestamps are kept as they are.
"""

import datetime
import gzip
import io
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.models import Model

CORPUS_APPS = ("claims", "annotations")
# Working state rather than data: when each web host may next be fetched from.
NOT_CORPUS = ("claims.FetchHost",)
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "last_login",
    "date_joined",
)
CHUNK = 2000


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeping microseconds (it rounds times to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class CorpusError(Exception):
    """The corpus cannot be imported here; nothing was written."""


def corpus_models() -> list[type[Model]]:
    """Users, then every model of the corpus apps, each after the models it refers to.

    A model marked `derived_by_database = True` is left out: its rows are computed by
    database triggers from the others (the labelling queue's counts), so an import rebuilds
    them as the rows they come from go in.
    """
    models = [get_user_model()]
    for label in CORPUS_APPS:
        models.extend(
            model
            for model in apps.get_app_config(label).get_models()
            if not model._meta.proxy
            and model._meta.label not in NOT_CORPUS
            and not getattr(model, "derived_by_database", False)
        )
    return serializers.sort_dependencies([(None, models)], allow_cycles=True)


def open_corpus(path: Path | str, mode: str) -> io.TextIOBase:
    """A text stream on the file, gzip-compressed when its name ends in .gz."""
    path = Path(path)
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")
    return path.open(mode, encoding="utf-8")


def corpus_export(*, stream: io.TextIOBase, with_passwords: bool = False) -> Counter:
    """Write every row of the corpus to the stream; returns rows written per model."""
    counts: Counter = Counter()
    serializer = serializers.get_serializer("jsonl")()
    User = get_user_model()
    for model in corpus_models():
        m2m = [field.name for field in model._meta.many_to_many]
        fields = None
        if model is User:
            fields = [*USER_FIELDS, "password"] if with_passwords else list(USER_FIELDS)
            m2m = []  # groups and permissions are not part of the corpus
        rows = model._base_manager.order_by("pk").prefetch_related(*m2m).iterator(chunk_size=CHUNK)
        # One line per row (the jsonl serializer ends each object with a newline).
        serializer.serialize(
            _counting(rows, counts, model._meta.label),
            stream=stream,
            fields=fields,
            cls=ExactJSONEncoder,
        )
    return counts


def _counting(rows: Iterable, counts: Counter, label: str):
    for row in rows:
        counts[label] += 1
        yield row


def corpus_import(*, stream: io.TextIOBase) -> Counter:
    """Load a corpus into an empty database in one transaction; returns rows per model.

    Raises CorpusError (and writes nothing) if the database already holds corpus rows, if a
    line is not valid JSON or names a model outside the corpus, or if a row breaks a
    constraint or trigger.
    """
    models = corpus_models()
    allowed = {model._meta.label_lower for model in models}
    occupied = [model._meta.label for model in models if model._base_manager.exists()]
    if occupied:
        raise CorpusError(
            "The database is not empty (it has rows in "
            + ", ".join(occupied[:5])
            + "). Import a corpus only into a freshly migrated database."
        )
    counts: Counter = Counter()
    User = get_user_model()
    try:
        with transaction.atomic():
            for number, record in enumerate(
                serializers.deserialize("jsonl", _checked_lines(stream, allowed)), 1
            ):
                instance = record.object
                if isinstance(instance, User) and not instance.password:
                    instance.password = make_password(None)  # exported without a hash
                try:
                    # raw: keep timestamps as exported; force_insert: no UPDATE first (which
                    # would also fire the article-text trigger).
                    Model.save_base(instance, raw=True, force_insert=True)
                    for name, ids in (record.m2m_data or {}).items():
                        _m2m_insert(instance, name, ids)
                except DatabaseError as error:  # constraints and the offset triggers
                    raise CorpusError(
                        f"object {number} ({instance._meta.label} {instance.pk}): {error}"
                    ) from None
                counts[instance._meta.label] += 1
            _sequences_reset(models)
    except DeserializationError as error:
        raise CorpusError(f"Not a Claimlab corpus: {error}") from None
    return counts


def _m2m_insert(instance: Model, name: str, ids: list) -> None:
    """The instance's many-to-many rows in one statement (the instance is new: none exist)."""
    field = instance._meta.get_field(name)
    through = field.remote_field.through
    source, target = field.m2m_column_name(), field.m2m_reverse_name()
    through._base_manager.bulk_create(
        through(**{source: instance.pk, target: related_id}) for related_id in ids
    )


def _checked_lines(stream: io.TextIOBase, allowed: set[str]):
    """The stream's lines, refusing any object of a model that is not part of the corpus."""
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise CorpusError(f"line {number} is not JSON: {error}") from None
        model = record.get("model") if isinstance(record, dict) else None
        if model not in allowed:
            raise CorpusError(f"line {number}: {model!r} is not part of a Claimlab corpus")
        yield line


def _sequences_reset(models: list[type[Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
