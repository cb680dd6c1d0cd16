"""Loading labels back from a dataset export (`manage.py import_labels`)."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.scope import quotes_in_project
from annotations.models import Project


@transaction.atomic
def labels_import(
    *, project: Project, records: Iterable[dict], reviewer: AbstractBaseUser | None = None
) -> dict[str, int]:
    """Load labels from export records (JSONL exported with real annotator names).

    Each record's quote must be in the project at the same offsets; each annotator must be a
    labelling member. Reviewer gold is restored as set by `reviewer` when one is given. All or
    nothing: every problem is collected and, if there is any, nothing is written.
    """
    users = {user.username: user for user in get_user_model().objects.all()}
    quotes = {quote.id: quote for quote in quotes_in_project(project=project)}
    errors: list[str] = []
    counts = {"quotes": 0, "labels": 0, "gold": 0}
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            errors.append(f"record {number}: not a JSON object")
            continue
        quote = quotes.get(record.get("quote_id"))
        if quote is None:
            errors.append(f"record {number}: no quote {record.get('quote_id')!r} in this project")
            continue
        if (record.get("content_start"), record.get("content_end")) != (
            quote.content_start,
            quote.content_end,
        ):
            errors.append(f"record {number}: quote {quote.id} has other offsets here")
            continue
        counts["quotes"] += 1
        for name, labels in (record.get("labels") or {}).items():
            user = users.get(name)
            if user is None:
                hint = (
                    " (export with pseudonymise=false to re-import)"
                    if name.startswith("annotator-")
                    else ""
                )
                errors.append(f"record {number}: no user {name!r}{hint}")
                continue
            try:
                with transaction.atomic():
                    counts["labels"] += len(
                        label_save(project=project, quote=quote, annotator=user, labels=labels)
                    )
            except ValidationError as error:
                errors.append(f"record {number}, {name}: {' '.join(error.messages)}")
        for key, entry in (record.get("gold") or {}).items():
            if reviewer is None or not isinstance(entry, dict) or entry.get("method") != "reviewer":
                continue
            try:
                with transaction.atomic():
                    gold_set(
                        project=project,
                        quote=quote,
                        dimension_key=key,
                        values=entry.get("value"),
                        reviewer=reviewer,
                    )
                counts["gold"] += 1
            except ValidationError as error:
                errors.append(f"record {number}, gold {key}: {' '.join(error.messages)}")
    if errors:
        transaction.set_rollback(True)
        raise ValidationError({"records": errors[:100]})
    return counts
