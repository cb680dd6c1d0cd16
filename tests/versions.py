"""Sample news texts shared by the version, same-story, export and corpus tests: an article in
three versions (and a project whose annotators labelled, judged and discussed the first one's
quotes), and one wire story as two outlets ran it."""

from annotations.labelling.comments import comment_add
from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_create
from annotations.models import Membership
from claims.importing import ArticleInput
from claims.services.import_batches import articles_import_batch
from claims.services.quotes import quote_update
from tests.factories import UserFactory

URL = "https://news.example.org/2024/bridge"
LABELS = {"stance": "against", "attribution": "accurate", "sourcing": "named-official"}

V1 = (
    "Kyiv, March 5.\n\n"
    "“We will not give up an inch of the eastern front,” the defence minister said on Tuesday.\n\n"
    "The mayor said that the bridge would reopen in May.\n\n"
    "“Supplies are running low,” a regional official said."
)
# A paragraph added at the top (every offset moves), a word changed, a paragraph dropped.
V2 = (
    "Updated at 14:00 with the mayor's new date.\n\n"
    "Kyiv, March 5.\n\n"
    "“We will not give up an inch of the eastern front,” the defence minister said on Tuesday.\n\n"
    "The mayor said that the bridge would reopen in June."
)
# The minister's words changed too; the mayor's paragraph is gone.
V3 = (
    "Updated at 16:00.\n\n"
    "Kyiv, March 5.\n\n"
    "“We will not give up one inch of the eastern front,” the defence minister said on Tuesday."
)


def quote_with(article, words):
    start = article.text.index(words)
    return article.quotes.get(content_start__lte=start, content_end__gte=start + len(words))


def import_version(text, *, importer=None, target=None, **fields):
    record = ArticleInput(title="Bridge", text=text, source_name="feed", url=URL, **fields)
    return articles_import_batch(
        records=[record], name="feed", importer=importer, target=target
    ).articles[0]


def labelled_first_version() -> dict:
    """v1 imported and extracted into a project, its quotes labelled, judged and discussed."""
    manager = UserFactory()
    project = project_create(name="Front", created_by=manager, annotators_per_quote=2)
    annotators = [UserFactory(), UserFactory()]
    for person in annotators:
        membership_set(project=project, user=person, role=Membership.Role.ANNOTATOR)
    first = import_version(V1).article
    project.articles.add(first)
    minister = quote_with(first, "We will not give up an inch")
    mayor = quote_with(first, "the bridge would reopen in May")
    official = quote_with(first, "Supplies are running low")
    for quote in (minister, mayor, official):
        for person in annotators:
            label_save(project=project, quote=quote, annotator=person, labels=LABELS)
        comment_add(project=project, quote=quote, author=manager, text=f"About {quote.id}")
    gold_set(
        project=project, quote=minister, dimension_key="stance", values="favor", reviewer=manager
    )
    # A fix by hand: the minister's quote also takes in its closing quotation mark.
    quote_update(quote=minister, editor=manager, content_end=minister.content_end + 1)
    return {
        "project": project,
        "manager": manager,
        "annotators": annotators,
        "first": first,
        "minister": minister,
        "mayor": mayor,
        "official": official,
    }


# -- the same story, told twice -----------------------------------------------------------
WIRE = (
    "KYIV (Wire) — Ukraine's defence minister said on Tuesday that the army would not give up "
    "an inch of the eastern front, as talks with European partners on new air defence systems "
    "resumed in Brussels. Officials said supplies of artillery shells were low and that the "
    "winter would be hard for soldiers and civilians alike in the border regions. The mayor of "
    "Kharkiv said that the main bridge over the river would reopen in May after repairs, "
    "according to a statement released by the city council late on Monday evening."
)
# The same wire story as another outlet ran it: a new first line and a closing sentence.
REPUBLISHED = (
    "Updated 10:45. "
    + WIRE
    + " The ministry did not respond to a request for comment on Tuesday afternoon."
)
OTHER_STORY = (
    "The central bank kept its key interest rate unchanged on Thursday, citing inflation that "
    "remained above target for the ninth month in a row, and signalled that cuts were unlikely "
    "before the summer. Economists polled before the meeting had expected the decision, though "
    "several said the bank's statement sounded more cautious than in March. Mortgage lenders "
    "said demand for fixed-rate loans had picked up sharply since the start of the year."
)
