"""Label saves keep the schema they read per process, under the project's SchemaVersion token,
which every write to a question or choice changes (database triggers, migration 0008) — so a
schema edit, by any door, is seen by the next save, and never by another project."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from annotations.labelling.schema import (
    choice_archive_or_delete,
    choice_create,
    choice_update,
    dimension_archive,
    dimension_create,
)
from annotations.models import Choice, Dimension, Project, SchemaVersion
from tests.factories import labelling_project

pytestmark = pytest.mark.django_db

LABELS = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def token(project) -> int:
    return SchemaVersion.objects.get(project=project).version


def test_every_kind_of_write_to_the_schema_changes_the_token():
    project, _, _ = labelling_project()
    stance = Dimension.objects.get(project=project, key="stance")
    favor = Choice.objects.get(dimension=stance, value="favor")
    seen = {token(project)}

    def changed() -> bool:
        now = token(project)
        fresh = now not in seen
        seen.add(now)
        return fresh

    choice_update(choice=favor, label="In favour")
    assert changed()
    choice_create(dimension=stance, label="Mixed")
    assert changed()
    choice_archive_or_delete(choice=Choice.objects.get(dimension=stance, value="mixed"))
    assert changed()  # deleted: unused
    dimension_create(project=project, name="Tone", choices="Calm\nAngry")
    assert changed()
    dimension_archive(dimension=Dimension.objects.get(project=project, key="tone"))
    assert changed()
    Choice.objects.filter(pk=favor.pk).update(description="Supports it")  # no service
    assert changed()
    with connection.cursor() as cursor:  # plain SQL
        cursor.execute(
            "UPDATE annotations_dimension SET name = 'Stance!' WHERE id = %s", [stance.id]
        )
    assert changed()
    Dimension.objects.filter(project=project, key="tone").delete()
    assert changed()


def test_a_save_after_an_edit_uses_the_edited_schema():
    project, quotes, (ann, _) = labelling_project(quotes=3)
    api = APIClient()
    api.force_authenticate(ann)
    url = f"/api/v1/projects/{project.id}/labels/"
    first = api.post(url, {"quote": quotes[0].id, "labels": LABELS}, format="json")
    assert first.status_code == 200  # the schema is now cached under the current token

    stance = Dimension.objects.get(project=project, key="stance")
    choice_archive_or_delete(choice=Choice.objects.get(dimension=stance, value="favor"))
    refused = api.post(url, {"quote": quotes[1].id, "labels": LABELS}, format="json")
    assert refused.status_code == 400
    assert "archived choice 'favor'" in str(refused.json())

    choice_create(dimension=stance, label="Leaning in favour", value="leaning")
    accepted = api.post(
        url, {"quote": quotes[1].id, "labels": {**LABELS, "stance": "leaning"}}, format="json"
    )
    assert accepted.status_code == 200, accepted.json()


def test_a_cached_schema_saves_a_query():
    project, quotes, (ann, _) = labelling_project(quotes=3)
    api = APIClient()
    api.force_authenticate(ann)
    url = f"/api/v1/projects/{project.id}/labels/"
    api.post(url, {"quote": quotes[0].id, "labels": LABELS}, format="json")
    with CaptureQueriesContext(connection) as queries:
        saved = api.post(url, {"quote": quotes[1].id, "labels": LABELS}, format="json")
    assert saved.status_code == 200
    assert queries.captured_queries
    assert not any("annotations_choice" in query["sql"] for query in queries)


def test_projects_never_share_a_cached_schema():
    one, one_quotes, (one_ann, _) = labelling_project(quotes=2, name="One")
    two, two_quotes, (two_ann, _) = labelling_project(quotes=2, name="Two")
    stance_two = Dimension.objects.get(project=two, key="stance")
    choice_update(choice=Choice.objects.get(dimension=stance_two, value="favor"), label="Pro")
    Choice.objects.filter(dimension=stance_two, value="favor").update(archived=True)
    api = APIClient()
    api.force_authenticate(one_ann)
    saved = api.post(
        f"/api/v1/projects/{one.id}/labels/",
        {"quote": one_quotes[0].id, "labels": LABELS},
        format="json",
    )
    assert saved.status_code == 200
    api.force_authenticate(two_ann)
    refused = api.post(
        f"/api/v1/projects/{two.id}/labels/",
        {"quote": two_quotes[0].id, "labels": LABELS},
        format="json",
    )
    assert refused.status_code == 400


def test_an_edit_rolled_back_leaves_no_schema_behind():
    project, quotes, (ann, _) = labelling_project(quotes=3)
    api = APIClient()
    api.force_authenticate(ann)
    url = f"/api/v1/projects/{project.id}/labels/"
    stance = Dimension.objects.get(project=project, key="stance")
    before = token(project)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        Choice.objects.filter(dimension=stance, value="favor").update(archived=True)
        refused = api.post(url, {"quote": quotes[0].id, "labels": LABELS}, format="json")
        assert refused.status_code == 400  # read (and kept) under the edit's token
        raise Undo

    assert token(project) == before
    accepted = api.post(url, {"quote": quotes[0].id, "labels": LABELS}, format="json")
    assert accepted.status_code == 200, accepted.json()


@pytest.mark.django_db(transaction=True)
def test_a_project_with_its_schema_deletes_cleanly():
    """The triggers of the cascade's deletes find the token's row gone or going, and write
    nothing that would outlive the project (PostgreSQL checks the foreign key at commit)."""
    project, _, _ = labelling_project()
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).delete()
    assert not SchemaVersion.objects.filter(project_id=project.pk).exists()
    assert not Dimension.objects.filter(project_id=project.pk).exists()
