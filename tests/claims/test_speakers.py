"""One canonical speaker per person, whatever the order their names arrive in."""

import pytest

from claims.models import Speaker
from claims.services import speaker_get_or_create

pytestmark = pytest.mark.django_db


def test_same_name_in_any_case_is_one_speaker():
    first = speaker_get_or_create(name="Vladimir Zelensky")
    assert speaker_get_or_create(name="vladimir  ZELENSKY") == first


def test_bare_surname_after_full_name_finds_the_full_name():
    full = speaker_get_or_create(name="Vladimir Zelensky")
    assert speaker_get_or_create(name="Zelensky") == full


def test_full_name_after_bare_surname_upgrades_that_speaker():
    bare = speaker_get_or_create(name="Shoigu")
    full = speaker_get_or_create(name="Sergey Shoigu")
    assert full.pk == bare.pk
    assert full.name == "Sergey Shoigu"
    assert list(full.aliases.values_list("alias", flat=True)) == ["Shoigu"]


def test_organisations_are_not_merged_by_last_word():
    speaker_get_or_create(name="Defense Ministry", kind="government")
    speaker_get_or_create(name="Foreign Ministry", kind="government")
    assert Speaker.objects.count() == 2


def test_unknown_kind_falls_back_to_person():
    assert speaker_get_or_create(name="Someone Else", kind="alien").kind == "person"
