"""Manager pages: new project, settings and members, articles, the label schema editor."""

import pytest
from django.urls import reverse

from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.models import Choice, Dimension, Label, Membership, Project
from claims.models import ImportBatch
from tests.factories import ArticleFactory, UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
NEW = reverse("annotations:project-new")


def url(name, project, *args):
    return reverse(f"annotations:{name}", args=[project.id, *args])


def managed(**options):
    project, quotes, annotators = labelling_project(**options)
    return project, quotes, annotators, project.created_by


def schema(project):
    return {
        d.key: [(c.value, c.shortcut, c.archived) for c in d.choices.order_by("order", "id")]
        for d in project.dimensions.order_by("order", "id")
    }


# -- creating a project ---------------------------------------------------------------------------
def test_a_logged_in_user_creates_a_project_and_manages_it(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        {
            "name": "  Ceasefire talks ",
            "guidelines": "# Read me",
            "stance_targets": "negotiations with Russia\n\nsanctions\n",
            "annotators_per_quote": "3",
            "blind_mode": "",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("project-settings", project)
    assert (project.name, project.annotators_per_quote, project.blind_mode) == (
        "Ceasefire talks",
        3,
        False,
    )
    assert project.stance_targets == ["negotiations with Russia", "sanctions"]
    assert project.memberships.get().user == user and project.memberships.get().role == "manager"
    keys = list(project.dimensions.values_list("key", flat=True))
    assert keys == ["stance", "stance-sanctions", "attribution", "sourcing"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name": "   "}, "name"),
        ({"annotators_per_quote": "0"}, "annotators_per_quote"),
        ({"annotators_per_quote": "51"}, "annotators_per_quote"),
        ({"annotators_per_quote": "99999999999999999999"}, "annotators_per_quote"),
        ({"annotators_per_quote": "two"}, "annotators_per_quote"),
        ({"name": "x" * 201}, "name"),
        ({"stance_targets": "\n".join(f"target {i}" for i in range(21))}, "stance_targets"),
    ],
)
def test_bad_project_input_is_a_400_naming_the_field_and_creates_nothing(client, changes, field):
    client.force_login(UserFactory())
    response = client.post(NEW, {"name": "Fine", "annotators_per_quote": "2", **changes})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Project.objects.exists() and not Dimension.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(NEW)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_project_list_links_new_project_and_manager_pages(client):
    project, _, (annotator, _), manager = managed()
    client.force_login(manager)
    html = client.get(reverse("annotations:project-list")).content.decode()
    assert NEW in html
    assert url("project-settings", project) in html and url("schema", project) in html
    client.force_login(annotator)
    html = client.get(reverse("annotations:project-list")).content.decode()
    assert url("project-settings", project) not in html and url("schema", project) not in html


# -- who may manage -------------------------------------------------------------------------------
MANAGER_PAGES = [
    ("get", "project-settings"),
    ("get", "articles"),
    ("get", "schema"),
    ("post", "project-settings"),
    ("post", "member-add"),
    ("post", "articles"),
    ("post", "dimension-new"),
]


@pytest.mark.parametrize("role", ["annotator", "reviewer"])
@pytest.mark.parametrize("method, name", MANAGER_PAGES)
def test_members_who_do_not_manage_get_403(client, role, method, name):
    project, _, _, _ = managed()
    member = UserFactory()
    membership_set(project=project, user=member, role=role)
    client.force_login(member)
    assert getattr(client, method)(url(name, project)).status_code == 403


@pytest.mark.parametrize("method, name", MANAGER_PAGES)
def test_outsiders_get_404(client, method, name):
    project, _, _, _ = managed()
    client.force_login(UserFactory())
    assert getattr(client, method)(url(name, project)).status_code == 404


def test_forms_need_the_csrf_token(client):
    project, _, _, manager = managed()
    client.handler.enforce_csrf_checks = True
    client.force_login(manager)
    response = client.post(url("project-settings", project), {"name": "Hijacked"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "Labelling"


# -- settings -------------------------------------------------------------------------------------
def settings_data(project, **changes):
    return {
        "name": project.name,
        "guidelines": project.guidelines,
        "stance_targets": "\n".join(project.stance_targets),
        "annotators_per_quote": project.annotators_per_quote,
        "blind_mode": "on" if project.blind_mode else "",
        "assignment_timeout_minutes": project.assignment_timeout_minutes,
        **changes,
    }


def test_a_manager_edits_the_settings_and_guidelines_are_sanitised(client):
    project, _, _, manager = managed()
    client.force_login(manager)
    response = client.post(
        url("project-settings", project),
        settings_data(
            project,
            name="Renamed",
            annotators_per_quote="3",
            guidelines="**Bold** <script>alert(1)</script><img src=x onerror=alert(2)>",
        ),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.annotators_per_quote) == ("Renamed", 3)
    html = client.get(url("project-settings", project)).content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert" not in html and "<img" not in html


def test_bad_settings_are_a_400_and_nothing_changes(client):
    project, _, _, manager = managed()
    client.force_login(manager)
    response = client.post(
        url("project-settings", project),
        settings_data(project, name="New name", assignment_timeout_minutes="0"),
    )
    assert response.status_code == 400
    assert "assignment_timeout_minutes" in response.context["form"].errors
    project.refresh_from_db()
    assert project.name == "Labelling"


def test_adding_a_stance_target_adds_its_question_and_dropping_it_archives_it(client):
    project, quotes, (annotator, _), manager = managed(stance_targets=["talks"])
    label_save(project=project, quote=quotes[0], annotator=annotator, labels=FULL)
    client.force_login(manager)
    client.post(
        url("project-settings", project), settings_data(project, stance_targets="talks\naid")
    )
    stance_aid = project.dimensions.get(target="aid")
    assert stance_aid.key == "stance-aid" and not stance_aid.archived
    assert [c.value for c in stance_aid.choices.all()] == ["favor", "against", "neutral", "unclear"]
    client.post(url("project-settings", project), settings_data(project, stance_targets="aid"))
    assert project.dimensions.get(key="stance").archived  # "talks", labelled: kept, archived
    assert Label.objects.filter(dimension__key="stance").count() == 1


def test_a_manager_adds_changes_and_removes_members(client):
    project, _, _, manager = managed()
    newcomer = UserFactory(username="newcomer")
    client.force_login(manager)
    response = client.post(url("member-add", project), {"username": "newcomer", "role": "reviewer"})
    assert response.status_code == 302
    assert project.memberships.get(user=newcomer).role == "reviewer"
    client.post(url("member-role", project, newcomer.id), {f"m{newcomer.id}-role": "annotator"})
    assert project.memberships.get(user=newcomer).role == "annotator"
    client.post(url("member-remove", project, newcomer.id))
    assert not project.memberships.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"username": "nobody", "role": "annotator"}, "No user named"),
        ({"username": "someone", "role": "owner"}, "Select a valid choice"),
        ({"username": "", "role": "annotator"}, "This field is required"),
    ],
)
def test_adding_a_member_with_bad_input_is_a_400(client, data, message):
    project, _, _, manager = managed()
    UserFactory(username="someone")
    client.force_login(manager)
    response = client.post(url("member-add", project), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert project.memberships.count() == 3


def test_the_last_manager_cannot_leave_or_step_down(client):
    project, _, _, manager = managed()
    client.force_login(manager)
    response = client.post(url("member-remove", project, manager.id))
    assert response.status_code == 400
    assert "A project needs at least one manager." in response.content.decode()
    response = client.post(
        url("member-role", project, manager.id), {f"m{manager.id}-role": "annotator"}
    )
    assert response.status_code == 400
    assert project.memberships.get(user=manager).role == "manager"


def test_unknown_members_are_404(client):
    project, _, _, manager = managed()
    _, _, (stranger, _), _ = managed()
    client.force_login(manager)
    assert client.post(url("member-remove", project, stranger.id)).status_code == 404
    assert client.post(url("member-role", project, 99999999)).status_code == 404


# -- articles -------------------------------------------------------------------------------------
def staff_manager():
    project, _, _, manager = managed()
    manager.is_superuser = True
    manager.save()
    return project, manager


def test_a_manager_takes_all_articles_a_batch_or_picked_ones(client):
    project, manager = staff_manager()
    batch = ImportBatch.objects.create(name="Week 1")
    in_batch = [ArticleFactory(batch=batch) for _ in range(3)]
    others = [ArticleFactory() for _ in range(2)]
    client.force_login(manager)
    articles_url = url("articles", project)
    client.post(articles_url, {"action": "batch", "batch": batch.id})
    assert set(project.articles.all()) == set(in_batch)
    client.post(articles_url, {"action": "all"})
    assert project.articles.count() == 6  # the labelling article, the batch, the others
    shown = ",".join(str(a.id) for a in [*in_batch, *others])
    client.post(
        articles_url, {"action": "page", "shown": shown, "checked": [others[0].id, in_batch[1].id]}
    )
    # (Faker's random titles may start with "Article" too: no filter on titles here.)
    assert set(project.articles.all()) >= {others[0], in_batch[1]}
    assert not project.articles.filter(id__in=[in_batch[0].id, others[1].id]).exists()
    client.post(articles_url, {"action": "none"})
    assert not project.articles.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "page", "shown": "1,abc", "checked": []},
        {"action": "page", "shown": "", "checked": ["5"]},
        {"action": "page", "shown": "99999999", "checked": ["99999999"]},
        {"action": "batch"},
        {"action": "batch", "batch": "99999999"},
        {"action": "explode"},
    ],
)
def test_bad_article_choices_are_a_400_and_change_nothing(client, data):
    project, manager = staff_manager()
    before = set(project.articles.values_list("id", flat=True))
    client.force_login(manager)
    response = client.post(url("articles", project), data)
    assert response.status_code == 400
    assert set(project.articles.values_list("id", flat=True)) == before


def test_a_manager_cannot_add_articles_they_cannot_see(client):
    project, _, _, manager = managed()  # not staff: sees only their projects' articles
    hidden = ArticleFactory()
    client.force_login(manager)
    response = client.post(
        url("articles", project),
        {"action": "page", "shown": str(hidden.id), "checked": [hidden.id]},
    )
    assert response.status_code == 400
    assert not project.articles.filter(id=hidden.id).exists()


def test_the_article_checklist_filters_and_pages(client):
    project, manager = staff_manager()
    for number in range(60):
        ArticleFactory(title=f"Zqxbudget story {number}")
    client.force_login(manager)
    response = client.get(url("articles", project), {"q": "zqxbudget story"})
    assert response.context["page"].paginator.count == 60
    assert len(response.context["page"].object_list) == 50
    page2 = client.get(url("articles", project), {"q": "zqxbudget", "page": "2"})
    assert len(page2.context["page"].object_list) == 10
    assert client.get(url("articles", project), {"show": "in"}).context["page"].paginator.count == 1
    assert client.get(url("articles", project), {"page": "abc"}).status_code == 200


@pytest.mark.parametrize("count", [5, 120])
def test_the_article_page_runs_a_fixed_number_of_queries(
    client, count, django_assert_max_num_queries
):
    project, manager = staff_manager()
    batch = ImportBatch.objects.create(name="Batch")
    for _ in range(count):
        ArticleFactory(batch=batch)
    client.force_login(manager)
    with django_assert_max_num_queries(10):
        assert client.get(url("articles", project)).status_code == 200


# -- the schema editor ----------------------------------------------------------------------------
def test_a_manager_adds_a_choice_with_a_key(client):
    project, _, _, manager = managed()
    stance = project.dimensions.get(key="stance")
    client.force_login(manager)
    response = client.post(
        url("choice-new", project, stance.id),
        {f"n{stance.id}-label": "Mixed feelings", f"n{stance.id}-shortcut": "5",
         f"n{stance.id}-description": "Both for and against."},
    )  # fmt: skip
    assert response.status_code == 302
    choice = stance.choices.get(value="mixed-feelings")
    assert (choice.label, choice.shortcut, choice.description) == (
        "Mixed feelings",
        "5",
        "Both for and against.",
    )
    annotate = client.get(url("annotate", project)).content.decode()
    assert 'value="mixed-feelings" data-shortcut="5"' in annotate


@pytest.mark.parametrize(
    "shortcut, message",
    [("1", "already the key of"), ("s", "kept for the page"), ("?", "kept for the page")],
)
def test_a_taken_or_reserved_key_is_refused_with_a_clear_message(client, shortcut, message):
    project, _, _, manager = managed()
    stance = project.dimensions.get(key="stance")
    before = schema(project)
    client.force_login(manager)
    response = client.post(
        url("choice-new", project, stance.id),
        {f"n{stance.id}-label": "Other", f"n{stance.id}-shortcut": shortcut},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert schema(project) == before


def test_changing_a_key_to_one_taken_is_refused(client):
    project, _, _, manager = managed()
    favor = Choice.objects.get(dimension__project=project, value="favor")
    client.force_login(manager)
    response = client.post(
        url("choice-edit", project, favor.id),
        {f"c{favor.id}-label": "For", f"c{favor.id}-shortcut": "2"},
    )
    assert response.status_code == 400
    assert "“2” is already the key of “Against”" in response.content.decode()
    favor.refresh_from_db()
    assert (favor.label, favor.shortcut) == ("Favor", "1")


def test_renaming_and_reordering_questions_and_choices(client):
    project, _, _, manager = managed()
    attribution = project.dimensions.get(key="attribution")
    client.force_login(manager)
    client.post(
        url("dimension-edit", project, attribution.id),
        {f"d{attribution.id}-name": "Who said it", f"d{attribution.id}-required": "on"},
    )
    client.post(url("dimension-move", project, attribution.id), {"direction": "up"})
    keys = list(project.dimensions.order_by("order", "id").values_list("key", "name"))
    assert keys == [("attribution", "Who said it"), ("stance", "Stance"), ("sourcing", "Sourcing")]
    unclear = Choice.objects.get(
        dimension__key="stance", dimension__project=project, value="unclear"
    )
    client.post(url("choice-move", project, unclear.id), {"direction": "up"})
    client.post(url("choice-move", project, unclear.id), {"direction": "up"})
    assert [v for v, _, _ in schema(project)["stance"]] == [
        "favor",
        "unclear",
        "against",
        "neutral",
    ]
    client.post(
        url("dimension-move", project, attribution.id), {"direction": "up"}
    )  # already first
    assert project.dimensions.order_by("order", "id").first() == attribution


@pytest.mark.parametrize("direction", ["sideways", ""])
def test_a_bad_direction_is_a_400(client, direction):
    project, _, _, manager = managed()
    stance = project.dimensions.get(key="stance")
    client.force_login(manager)
    assert (
        client.post(url("dimension-move", project, stance.id), {"direction": direction}).status_code
        == 400
    )


def test_an_empty_question_name_is_a_400(client):
    project, _, _, manager = managed()
    stance = project.dimensions.get(key="stance")
    client.force_login(manager)
    response = client.post(url("dimension-edit", project, stance.id), {f"d{stance.id}-name": " "})
    assert response.status_code == 400
    stance.refresh_from_db()
    assert stance.name == "Stance"


def test_archiving_a_used_choice_keeps_it_and_deleting_an_unused_one_removes_it(client):
    project, quotes, (annotator, _), manager = managed()
    label_save(project=project, quote=quotes[0], annotator=annotator, labels=FULL)
    favor = Choice.objects.get(dimension__project=project, value="favor")
    neutral = Choice.objects.get(dimension__project=project, value="neutral")
    client.force_login(manager)
    client.post(url("choice-remove", project, favor.id))
    client.post(url("choice-remove", project, neutral.id))
    favor.refresh_from_db()
    assert favor.archived
    assert not Choice.objects.filter(id=neutral.id).exists()
    assert Label.objects.get(dimension__key="stance").choices.get() == favor
    client.force_login(annotator)
    annotate = client.get(url("annotate", project)).content.decode()
    assert 'value="favor"' not in annotate and 'value="against"' in annotate
    client.force_login(manager)
    client.post(url("choice-restore", project, favor.id))
    favor.refresh_from_db()
    assert not favor.archived and favor.shortcut == "1"


def test_a_restored_choice_gives_up_a_key_taken_meanwhile(client):
    project, quotes, (annotator, _), manager = managed()
    label_save(project=project, quote=quotes[0], annotator=annotator, labels=FULL)
    favor = Choice.objects.get(dimension__project=project, value="favor")
    stance = favor.dimension
    client.force_login(manager)
    client.post(url("choice-remove", project, favor.id))
    client.post(
        url("choice-new", project, stance.id),
        {f"n{stance.id}-label": "Pro", f"n{stance.id}-shortcut": "1"},
    )
    response = client.post(url("choice-restore", project, favor.id), follow=True)
    assert "restored without its key" in response.content.decode()
    favor.refresh_from_db()
    assert not favor.archived and favor.shortcut == ""


def test_the_last_active_choice_cannot_go(client):
    project, _, _, manager = managed()
    attribution = project.dimensions.get(key="attribution")
    client.force_login(manager)
    choices = list(attribution.choices.order_by("order"))
    for choice in choices[:-1]:
        client.post(url("choice-remove", project, choice.id))
    response = client.post(url("choice-remove", project, choices[-1].id))
    assert response.status_code == 400
    assert "archive the question instead" in response.content.decode()
    assert attribution.choices.filter(archived=False).count() == 1


def test_archiving_a_question_hides_it_from_annotators_and_restoring_brings_it_back(client):
    project, _, (annotator, _), manager = managed()
    sourcing = project.dimensions.get(key="sourcing")
    client.force_login(manager)
    client.post(url("dimension-archive", project, sourcing.id), {"archived": "1"})
    client.force_login(annotator)
    assert 'name="label-sourcing"' not in client.get(url("annotate", project)).content.decode()
    client.force_login(manager)
    client.post(url("dimension-archive", project, sourcing.id), {"archived": "0"})
    sourcing.refresh_from_db()
    assert not sourcing.archived


def test_a_manager_adds_a_question_with_its_choices(client):
    project, _, _, manager = managed()
    client.force_login(manager)
    response = client.post(
        url("dimension-new", project),
        {
            "new-name": "Claim type",
            "new-help_text": "What kind of claim it is.",
            "new-required": "",
            "new-choices": "Fact: checkable\nOpinion\n\nPrediction: about the future",
        },
    )
    assert response.status_code == 302
    claim = project.dimensions.get(key="claim-type")
    assert (claim.required, claim.order) == (False, 3)
    assert schema(project)["claim-type"] == [
        ("fact", "1", False),
        ("opinion", "2", False),
        ("prediction", "3", False),
    ]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"new-name": "No choices", "new-choices": "\n  \n"}, "choices"),
        ({"new-name": "", "new-choices": "A"}, "name"),
        ({"new-name": "Dup", "new-key": "stance", "new-choices": "A"}, "key"),
        ({"new-name": "Bad key", "new-key": "Not A Slug", "new-choices": "A"}, "key"),
        ({"new-name": "Long", "new-choices": "x" * 101}, "choices"),
    ],
)
def test_bad_new_questions_are_a_400_and_write_nothing(client, data, field):
    project, _, _, manager = managed()
    before = schema(project)
    client.force_login(manager)
    response = client.post(url("dimension-new", project), data)
    assert response.status_code == 400
    assert response.context["new_dimension_form"].errors[field]
    assert schema(project) == before


def test_other_projects_questions_and_choices_are_404(client):
    project, _, _, manager = managed()
    other, _, _, _ = managed()
    their_dimension = other.dimensions.first()
    their_choice = their_dimension.choices.first()
    client.force_login(manager)
    for name in ["dimension-edit", "dimension-move", "dimension-archive", "choice-new"]:
        assert client.post(url(name, project, their_dimension.id)).status_code == 404
    for name in ["choice-edit", "choice-move", "choice-remove", "choice-restore"]:
        assert client.post(url(name, project, their_choice.id)).status_code == 404
    assert client.post(url("choice-edit", project, 10**17)).status_code == 404
    assert schema(other) == schema(project)


def test_htmx_gets_the_editor_partial_with_the_refusal_in_it(client):
    project, _, _, manager = managed()
    stance = project.dimensions.get(key="stance")
    client.force_login(manager)
    response = client.post(
        url("dimension-move", project, stance.id), {"direction": "down"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<div id="schema-editor"')
    assert "Moved “Stance” down." in html
    response = client.post(
        url("choice-new", project, stance.id),
        {f"n{stance.id}-label": "Dup", f"n{stance.id}-shortcut": "2"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "already the key of" in response.content.decode()
    assert stance.choices.count() == 4


def test_question_and_choice_names_are_escaped(client):
    project, _, _, manager = managed()
    stance = project.dimensions.get(key="stance")
    client.force_login(manager)
    client.post(url("dimension-edit", project, stance.id), {f"d{stance.id}-name": "<b>x</b>"})
    html = client.get(url("schema", project)).content.decode()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.parametrize("extra_questions", [0, 12])
def test_the_schema_editor_runs_a_fixed_number_of_queries(
    client, extra_questions, django_assert_max_num_queries
):
    project, quotes, (annotator, _), manager = managed()
    label_save(project=project, quote=quotes[0], annotator=annotator, labels=FULL)
    for number in range(extra_questions):
        dimension = Dimension.objects.create(project=project, key=f"q{number}", name=f"Q{number}")
        Choice.objects.bulk_create(
            Choice(dimension=dimension, value=f"v{i}", label=f"V{i}") for i in range(5)
        )
    client.force_login(manager)
    with django_assert_max_num_queries(9):
        assert client.get(url("schema", project)).status_code == 200


def test_superusers_manage_any_project(client, django_user_model):
    project, _, _, _ = managed()
    admin = django_user_model.objects.create_superuser("boss", password="x-1234567")
    client.force_login(admin)
    assert client.get(url("schema", project)).status_code == 200
    assert Membership.objects.filter(user=admin).count() == 0
