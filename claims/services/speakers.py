"""Speakers: finding the canonical speaker for a name, and merging duplicates (and undoing it).

Speakers are shared by every project that quotes them, so a merge is refused to anyone who is
not a manager of every project it would change (claims/access.py).
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.access import corpus_access, sees_everything
from claims.models import Quote, Speaker, SpeakerAlias, SpeakerMerge


class SpeakerLookup:
    """Finds or creates canonical speakers by name, remembering them for one extraction run."""

    def __init__(self) -> None:
        self._cache: dict[str, Speaker] = {}

    def find_or_create(
        self, *, name: str, kind: str = Speaker.Kind.PERSON, description: str = ""
    ) -> Speaker | None:
        name = " ".join(name.split())
        if not name:
            return None
        key = name.lower()
        if key not in self._cache:
            self._cache[key] = speaker_get_or_create(name=name, kind=kind, description=description)
        return self._cache[key]

    def forget(self) -> None:
        """Drop what was remembered (after a rollback, the speakers it made may be gone)."""
        self._cache.clear()


_FINAL_PERIOD = re.compile(r"\.(?=\s|$)")


def _speaker_kind(kind: str) -> str:
    return kind if kind in Speaker.Kind.values else Speaker.Kind.PERSON


def speaker_get_or_create(
    *, name: str, kind: str = Speaker.Kind.PERSON, description: str = ""
) -> Speaker:
    """The one Speaker for a name, matched by name or alias, case-insensitively; a new one
    when none matches.

    It never renames or re-points an existing speaker: speakers are shared by every project,
    so a name seen in one import must not change who said what in another (a bare "Zelensky"
    and "Vladimir Zelensky" stay two speakers until a manager of every project quoting them
    merges them). Within one article the extractor already gives the full name.
    """
    name = " ".join(name.split())[:300]
    matches = Q(name__iexact=name) | Q(aliases__alias__iexact=name)
    # Extractors before 2.5.1 cut an abbreviation's final period ("U.S State Department",
    # "Robert F Kennedy Jr"): a speaker stored so is the same one.
    legacy = _FINAL_PERIOD.sub("", name)
    if legacy != name:
        matches |= Q(name__iexact=legacy)
    speaker = Speaker.objects.filter(matches).order_by("id").first()
    if speaker:
        return speaker
    return Speaker.objects.create(
        name=name, kind=_speaker_kind(kind), description=description[:300]
    )


def speaker_merge_permitted(*, user) -> bool:
    """Whether the user may merge any speakers at all (the page offers the form); each merge
    is then checked against the projects it would change (`speaker_merge`)."""
    return bool(corpus_access().import_targets(user)) or sees_everything(user)


def _refuse_unless_may_change(user, speakers: list[Speaker]) -> None:
    refusal = corpus_access().speakers_change_refusal(user, speakers)
    if refusal is not None:
        raise PermissionDenied(refusal)


@transaction.atomic
def speaker_merge(*, source: Speaker, target: Speaker, merged_by) -> SpeakerMerge:
    """Fold `source` into `target`: its quotes and aliases move over, its name becomes an alias.

    The source is deleted; the returned record keeps its name, kind, description, aliases and
    the ids of the quotes moved, so `speaker_merge_undo` can put everything back.
    """
    if source.pk == target.pk:
        raise ValidationError({"source": "A speaker cannot be merged into itself."})
    locked = {
        speaker.pk: speaker
        for speaker in Speaker.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    if len(locked) != 2:
        raise ValidationError({"source": "One of the speakers no longer exists."})
    source, target = locked[source.pk], locked[target.pk]
    _refuse_unless_may_change(merged_by, [source, target])
    quote_ids = sorted(Quote.objects.filter(speaker=source).values_list("id", flat=True))
    aliases = sorted(source.aliases.values_list("alias", flat=True))
    name_taken = SpeakerAlias.objects.filter(alias__iexact=source.name).exists()
    merge = SpeakerMerge.objects.create(
        target=target,
        target_name=target.name,
        source_speaker_id=source.pk,
        source_name=source.name,
        source_kind=source.kind,
        source_description=source.description,
        source_aliases=aliases,
        added_alias="" if name_taken else source.name,
        quote_ids=quote_ids,
        merged_by=merged_by,
    )
    Quote.objects.filter(id__in=quote_ids).update(speaker=target)
    SpeakerAlias.objects.filter(speaker=source).update(speaker=target)
    source.delete()
    if merge.added_alias:
        SpeakerAlias.objects.create(speaker=target, alias=merge.added_alias)
    return merge


@transaction.atomic
def speaker_merge_undo(*, merge: SpeakerMerge, undone_by=None) -> Speaker:
    """Recreate the merged-away speaker as it was and move exactly its quotes and aliases back.

    Quotes someone has since given to yet another speaker stay where they are.
    """
    merge = SpeakerMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.is_undone:
        raise ValidationError({"merge": "This merge has already been undone."})
    if merge.target_id is None:
        raise ValidationError(
            {"merge": f"{merge.target_name} no longer exists (merged on?); undo that first."}
        )
    if undone_by is not None:
        # The quotes go back to a speaker that does not exist yet: judge by the target's
        # quotes, which are the merged ones and the target's own.
        _refuse_unless_may_change(undone_by, [Speaker.objects.get(pk=merge.target_id)])
    if Speaker.objects.filter(name__iexact=merge.source_name).exists():
        raise ValidationError({"merge": f"A speaker named {merge.source_name!r} exists again."})
    if merge.added_alias:
        SpeakerAlias.objects.filter(speaker_id=merge.target_id, alias=merge.added_alias).delete()
    clashing = SpeakerAlias.objects.filter(alias__in=merge.source_aliases).exclude(
        speaker_id=merge.target_id
    )
    if clashing.exists():
        raise ValidationError(
            {"merge": f"The alias {clashing.first().alias!r} now belongs to another speaker."}
        )
    fields = {
        "name": merge.source_name,
        "kind": merge.source_kind,
        "description": merge.source_description,
    }
    # Give the speaker its old id back when free, so links and API clients keep working.
    if not Speaker.objects.filter(pk=merge.source_speaker_id).exists():
        fields["id"] = merge.source_speaker_id
    source = Speaker.objects.create(**fields)
    SpeakerAlias.objects.filter(speaker_id=merge.target_id, alias__in=merge.source_aliases).delete()
    SpeakerAlias.objects.bulk_create(
        SpeakerAlias(speaker=source, alias=alias) for alias in merge.source_aliases
    )
    Quote.objects.filter(id__in=merge.quote_ids, speaker_id=merge.target_id).update(speaker=source)
    merge.undone_at = timezone.now()
    merge.undone_by = undone_by
    merge.save(update_fields=["undone_at", "undone_by"])
    return source
