"""An export with real names loads back into the project: labels and gold round-trip."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotations.export import DatasetExporter, ExportOptions
from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_create
from annotations.models import Assignment, Gold, Label, LabelHistory
from tests.factories import ArticleFactory, QuoteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def labelled():
    manager, ann1, ann2 = UserFactory(), UserFactory(username="ann1"), UserFactory(username="ann2")
    project = project_create(name="P", created_by=manager)
    for user in (ann1, ann2):
        membership_set(project=project, user=user, role="annotator")
    article = ArticleFactory(text="x" * 100)
    project.articles.add(article)
    quotes = [
        QuoteFactory(article=article, content_start=i * 10, content_end=i * 10 + 5)
        for i in range(3)
    ]
    for quote in quotes:
        for user, stance in ((ann1, "favor"), (ann2, "against" if quote == quotes[0] else "favor")):
            label_save(
                project=project,
                quote=quote,
                annotator=user,
                labels={"stance": stance, "attribution": "accurate", "sourcing": "none"},
            )
    gold_set(
        project=project, quote=quotes[0], dimension_key="stance", values="neutral", reviewer=manager
    )
    return project, manager


def export(project, pseudonymise=False):
    options = ExportOptions(pseudonymise=pseudonymise)
    return [json.loads(line) for line in DatasetExporter(project=project, options=options).jsonl()]


def test_export_then_import_gives_back_the_same_records(labelled, tmp_path):
    project, manager = labelled
    before = export(project)
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in before), "utf-8")
    for model in (LabelHistory, Label, Gold, Assignment):
        model.objects.filter(
            **({"label__project": project} if model is LabelHistory else {"project": project})
        ).delete()
    out = StringIO()
    call_command("import_labels", project.id, str(path), "--reviewer", manager.username, stdout=out)
    assert "Imported 18 label(s) on 3 quote(s), 1 reviewer gold label(s)" in out.getvalue()
    assert export(project) == before


def test_pseudonymised_export_cannot_be_imported_and_nothing_is_written(labelled, tmp_path):
    project, _ = labelled
    path = tmp_path / "export.jsonl"
    path.write_text(
        "".join(json.dumps(r) + "\n" for r in export(project, pseudonymise=True)), "utf-8"
    )
    Label.objects.all().delete()
    with pytest.raises(CommandError, match="pseudonymise=false"):
        call_command("import_labels", project.id, str(path), stdout=StringIO())
    assert not Label.objects.exists()


def test_unknown_quote_and_malformed_file_are_reported(labelled, tmp_path):
    project, _ = labelled
    path = tmp_path / "bad.jsonl"
    path.write_text('{"quote_id": 999999, "content_start": 0, "content_end": 5}\n', "utf-8")
    with pytest.raises(CommandError, match="no quote 999999"):
        call_command("import_labels", project.id, str(path), stdout=StringIO())
    path.write_text("{not json\n", "utf-8")
    with pytest.raises(CommandError, match="not JSONL"):
        call_command("import_labels", project.id, str(path), stdout=StringIO())
