"""One canonical speaker per person, whatever the order their names arrive in."""

import pytest

from claims.models import Speaker, SpeakerAlias
from claims.services.speakers import speaker_get_or_create

pytestmark = pytest.mark.django_db


def test_same_name_in_any_case_is_one_speaker():
    first = speaker_get_or_create(name="Vladimir Zelensky")
    assert speaker_get_or_create(name="vladimir  ZELENSKY") == first


def test_a_bare_surname_is_not_guessed_to_be_someone_with_that_surname():
    """Speakers are shared by every project: "Biden" in one import must not become whichever
    Biden another import named first (the extractor gives the full name within an article)."""
    full = speaker_get_or_create(name="Hunter Biden")
    bare = speaker_get_or_create(name="Biden")
    assert bare != full
    assert (bare.name, full.name) == ("Biden", "Hunter Biden")


def test_a_full_name_never_renames_an_existing_speaker():
    bare = speaker_get_or_create(name="Shoigu")
    full = speaker_get_or_create(name="Sergey Shoigu")
    bare.refresh_from_db()
    assert full.pk != bare.pk
    assert bare.name == "Shoigu"
    assert not SpeakerAlias.objects.exists()


def test_an_alias_a_merge_made_finds_its_speaker():
    full = speaker_get_or_create(name="Vladimir Zelensky")
    SpeakerAlias.objects.create(speaker=full, alias="Zelensky")
    assert speaker_get_or_create(name="zelensky") == full


def test_organisations_are_not_merged_by_last_word():
    speaker_get_or_create(name="Defense Ministry", kind="government")
    speaker_get_or_create(name="Foreign Ministry", kind="government")
    assert Speaker.objects.count() == 2


def test_unknown_kind_falls_back_to_person():
    assert speaker_get_or_create(name="Someone Else", kind="alien").kind == "person"


def test_a_name_stored_without_its_abbreviations_periods_is_the_same_speaker():
    old = Speaker.objects.create(name="U.S State Department", kind="government")
    assert speaker_get_or_create(name="U.S. State Department", kind="government") == old
    assert speaker_get_or_create(name="Robert F. Kennedy Jr.").name == "Robert F. Kennedy Jr."
    assert Speaker.objects.count() == 2
