"""The pages a person can reach, for the tests that walk them all (axe, phone widths)."""

from django.contrib.auth import get_user_model

from annotations.labelling.comments import comment_add
from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.queue import assign_next_quote, assignment_skip
from annotations.models import Project
from claims.models import Article, ImportBatch, Outlet, Speaker

DEMO_PASSWORD = "claimlab-demo"


def labelled_demo(project: Project) -> None:
    """Two annotators disagree on two quotes and agree on one; the manager asks a question on
    the last and settles its stance; annotator1 skips the next quote."""
    users = get_user_model().objects
    one, two = users.get(username="annotator1"), users.get(username="annotator2")
    manager = users.get(username="manager")
    for stance in ("against", "neutral", "favor"):
        quote = assign_next_quote(project=project, annotator=one)
        labels = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
        label_save(project=project, quote=quote, annotator=one, labels=labels, note="check")
        label_save(project=project, quote=quote, annotator=two, labels={**labels, "stance": stance})
    comment_add(project=project, quote=quote, author=manager, text="Is this a quote?")
    gold_set(project=project, quote=quote, dimension_key="stance", values="favor", reviewer=manager)
    skipped = assign_next_quote(project=project, annotator=one)
    assignment_skip(project=project, annotator=one, quote=skipped)
    ImportBatch.objects.update(created_by=manager)


def manager_pages(project: Project) -> dict[str, str]:
    """Name → path of every page the demo manager sees."""
    article = Article.objects.order_by("id").first()
    return {
        "articles": "/",
        "article": f"/articles/{article.id}/",
        "import": "/import/",
        "imports": "/batches/",
        "import batch": f"/batches/{ImportBatch.objects.get().id}/",
        "search": "/search/?q=Russia",
        "speakers": "/speakers/",
        "speaker": f"/speakers/{Speaker.objects.order_by('id').first().id}/",
        "outlets": "/outlets/",
        "outlet": f"/outlets/{Outlet.objects.get().id}/",
        "projects": "/projects/",
        "new project": "/projects/new/",
        "settings": f"/projects/{project.id}/settings/",
        "project articles": f"/projects/{project.id}/settings/articles/",
        "schema": f"/projects/{project.id}/schema/",
        "review": f"/projects/{project.id}/review/",
        "dashboard": f"/projects/{project.id}/dashboard/",
        "not found": "/no-such-page/",
    }


def annotator_pages(project: Project) -> dict[str, str]:
    return {
        "annotate": f"/projects/{project.id}/annotate/",
        "my labels": f"/projects/{project.id}/annotate/mine/",
        "projects (annotator)": "/projects/",
    }
