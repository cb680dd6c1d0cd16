"""People leave without taking labels or gold with them: deactivation, erasure, refusals."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError

from annotations.labelling.labels import label_save
from annotations.labelling.people import annotator_labels_erase, user_deactivate
from annotations.labelling.queue import assign_next_quote
from annotations.models import Assignment, Gold, Label
from tests.factories import PASSWORD, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def two_agree():
    project, quotes, (ann1, ann2) = labelling_project(k=2)
    for annotator in (ann1, ann2):
        label_save(project=project, quote=quotes[0], annotator=annotator, labels=FULL)
    return project, quotes, ann1, ann2


def test_deleting_a_user_who_labelled_is_refused_and_loses_nothing():
    project, _, ann1, _ = two_agree()
    with pytest.raises(ProtectedError), transaction.atomic():
        ann1.delete()
    assert Label.objects.filter(annotator=ann1).count() == 3
    assert Gold.objects.filter(project=project, method="unanimous").count() == 3


def test_the_admin_says_why_a_labeller_cannot_be_deleted(client):
    from tests.factories import UserFactory

    _, _, ann1, _ = two_agree()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(f"/admin/auth/user/{ann1.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert "protected" in response.content.decode().lower()
    assert Label.objects.filter(annotator=ann1).exists()


def test_deactivating_keeps_labels_and_gold_and_frees_open_places(client):
    project, quotes, ann1, _ = two_agree()
    open_quote = assign_next_quote(project=project, annotator=ann1)
    assert open_quote == quotes[1]
    assert user_deactivate(user=ann1) == 1
    ann1.refresh_from_db()
    assert ann1.is_active is False
    assert Label.objects.filter(annotator=ann1).count() == 3
    assert Gold.objects.filter(project=project, method="unanimous").count() == 3
    assert not Assignment.objects.filter(annotator=ann1, status="assigned").exists()
    response = client.post("/accounts/login/", {"username": ann1.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200  # the form again, not a redirect into the app


def test_erasing_someones_labels_recomputes_the_gold_that_rested_on_them():
    project, _, ann1, ann2 = two_agree()
    assert Gold.objects.filter(project=project).count() == 3
    erased = annotator_labels_erase(project=project, annotator=ann1)
    assert erased == {
        "labels": 3,
        "assignments": 1,
        "unanimous_gold_before": 3,
        "unanimous_gold_after": 0,
    }
    assert not Label.objects.filter(annotator=ann1).exists()
    assert Label.objects.filter(annotator=ann2).count() == 3
    assert not Gold.objects.filter(project=project).exists()


def test_the_commands_deactivate_and_erase(capsys):
    project, _, ann1, _ = two_agree()
    call_command("erase_labels", ann1.username, "--project", str(project.id))
    call_command("deactivate_user", ann1.username)
    out = capsys.readouterr().out
    assert "Erased 3 label(s)" in out and "unanimous gold 3 -> 0" in out
    assert "Deactivated" in out


def test_deleting_an_article_whose_quotes_are_labelled_is_refused():
    _, quotes, _, _ = two_agree()
    with pytest.raises(ProtectedError), transaction.atomic():
        quotes[0].article.delete()
    assert Label.objects.count() == 6
