"""Set-up helpers for the insight tests: projects, labels and gold written straight to models.

Labels are created through the models (not the labelling service) so that these tests pin the
aggregation rule alone: gold where present, else the annotators' majority.
"""

from annotations.labelling.projects import membership_set, project_create
from annotations.models import Gold, Label, Project
from tests.factories import UserFactory


def project_with(user, articles, *, role="annotator", targets=None, blind_mode=False) -> Project:
    """A project holding the articles with `user` in `role`; open (not blind) unless asked."""
    project = project_create(
        name="P", created_by=UserFactory(), stance_targets=targets, blind_mode=blind_mode
    )
    membership_set(project=project, user=user, role=role)
    project.articles.add(*articles)
    return project


def label(project, quote, annotator, key, *values) -> Label:
    dimension = project.dimensions.get(key=key)
    label = Label.objects.create(
        project=project, quote=quote, annotator=annotator, dimension=dimension
    )
    label.choices.set(dimension.choices.filter(value__in=values))
    return label


def gold(project, quote, key, *values) -> Gold:
    dimension = project.dimensions.get(key=key)
    gold = Gold.objects.create(
        project=project, quote=quote, dimension=dimension, method=Gold.Method.REVIEWER
    )
    gold.choices.set(dimension.choices.filter(value__in=values))
    return gold


def votes(project, quote, key, *values) -> None:
    """One label per value, each from a new annotator: votes("stance", "favor", "favor")."""
    for value in values:
        label(project, quote, UserFactory(), key, value)


# --- a generated corpus and the figures computed by hand in SQL -------------------------------

STANCE_VALUES = ["favor", "against", "neutral", "unclear"]
SOURCING_VALUES = ["named-official", "named-other", "anonymous", "media-report", "document", "none"]


def generated_corpus(
    member, *, seed=7, quotes_per_article=6, articles=5, blind_mode=False, role="annotator"
):
    """Articles over three months from two outlets, quotes by three speakers, random labels.

    The member's project (blind or not, the member in `role`) labels every quote, the member
    about half of them; a second project (the member is not in it) labels the same quotes
    differently, which must never count. One rejected quote is labelled too, and must not
    count either. Returns a dict of what was made.
    """
    import random

    from tests.factories import ArticleFactory, OutletFactory, QuoteFactory, SpeakerFactory

    rng = random.Random(seed)
    outlets = [OutletFactory(), OutletFactory()]
    speakers = [SpeakerFactory() for _ in range(3)]
    made_articles, quotes = [], []
    for index in range(articles):
        article = ArticleFactory(
            outlet=outlets[index % 2],
            text=f"Article {index} " + "words " * 200,
            published_at=f"2024-0{1 + index % 3}-1{index}T12:00:00Z",
        )
        made_articles.append(article)
        for position in range(quotes_per_article):
            quotes.append(
                QuoteFactory(
                    article=article,
                    content_start=position * 12,
                    content_end=position * 12 + 11,
                    speaker=speakers[rng.randrange(3)],
                    kind=rng.choice(["direct", "indirect", "mixed"]),
                )
            )
    rejected = quotes[-1]
    rejected.is_rejected = True
    rejected.save()
    project = project_with(
        member, made_articles, targets=["talks", "sanctions"], blind_mode=blind_mode, role=role
    )
    outsider_project = project_with(UserFactory(), made_articles, targets=["talks"])
    annotators = [UserFactory() for _ in range(3)]
    for quote in quotes:
        for annotator in annotators[: rng.randrange(1, 4)]:
            label(project, quote, annotator, "stance", rng.choice(STANCE_VALUES))
            label(project, quote, annotator, "stance-sanctions", rng.choice(STANCE_VALUES))
            label(project, quote, annotator, "sourcing", rng.choice(SOURCING_VALUES))
        if rng.random() < 0.5:
            label(project, quote, member, "stance", rng.choice(STANCE_VALUES))
            label(project, quote, member, "sourcing", rng.choice(SOURCING_VALUES))
        if rng.random() < 0.3:
            gold(project, quote, "stance", rng.choice(STANCE_VALUES))
            gold(project, quote, "sourcing", rng.choice(SOURCING_VALUES))
        label(outsider_project, quote, UserFactory(), "stance", "favor")
        label(outsider_project, quote, UserFactory(), "sourcing", "anonymous")
    return {
        "outlets": outlets,
        "speakers": speakers,
        "articles": made_articles,
        "quotes": quotes,
        "project": project,
    }


# The blind rule written out again by hand: in a blind project an annotator counts only their
# own labels and no gold; reviewers and managers, and every member of an open project, count all.
_RESOLVED_SQL = """
WITH member_projects AS (
    SELECT m.project_id,
           (p.blind_mode = %(false)s OR m.role IN ('reviewer', 'manager')) AS sees_all
    FROM annotations_membership m JOIN annotations_project p ON p.id = m.project_id
    WHERE m.user_id = %(user)s
),
visible_quotes AS (
    SELECT q.id, q.speaker_id, a.outlet_id, a.published_at, q.article_id
    FROM claims_quote q JOIN claims_article a ON a.id = q.article_id
    WHERE q.is_rejected = %(false)s AND q.article_id IN (
        SELECT pa.article_id FROM annotations_project_articles pa
        WHERE pa.project_id IN (SELECT project_id FROM member_projects))
),
votes AS (
    SELECT l.quote_id, d.target, c.value, 0 AS is_gold
    FROM annotations_label l
    JOIN annotations_label_choices lc ON lc.label_id = l.id
    JOIN annotations_choice c ON c.id = lc.choice_id
    JOIN annotations_dimension d ON d.id = l.dimension_id
    WHERE {family} AND (
        l.project_id IN (SELECT project_id FROM member_projects WHERE sees_all)
        OR (l.annotator_id = %(user)s
            AND l.project_id IN (SELECT project_id FROM member_projects)))
    UNION ALL
    SELECT g.quote_id, d.target, c.value, 1 AS is_gold
    FROM annotations_gold g
    JOIN annotations_gold_choices gc ON gc.gold_id = g.id
    JOIN annotations_choice c ON c.id = gc.choice_id
    JOIN annotations_dimension d ON d.id = g.dimension_id
    WHERE {family} AND g.project_id IN (SELECT project_id FROM member_projects WHERE sees_all)
),
counted AS (
    SELECT v.* FROM votes v
    WHERE v.is_gold = 1 OR NOT EXISTS (
        SELECT 1 FROM votes g
        WHERE g.is_gold = 1 AND g.quote_id = v.quote_id AND g.target = v.target)
),
tally AS (
    SELECT quote_id, target, value, COUNT(*) AS n FROM counted GROUP BY quote_id, target, value
),
winners AS (
    SELECT t.quote_id, t.target, t.value FROM tally t
    WHERE t.n > COALESCE((
        SELECT MAX(o.n) FROM tally o
        WHERE o.quote_id = t.quote_id AND o.target = t.target AND o.value <> t.value), 0)
)
SELECT {group_by}, COUNT(*)
FROM winners w JOIN visible_quotes vq ON vq.id = w.quote_id
WHERE {where}
GROUP BY {group_by}
"""

FAMILY_SQL = {
    "stance": "(d.key = 'stance' OR d.key LIKE 'stance-%%')",
    "sourcing": "d.key = 'sourcing'",
}


def month_sql() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return "to_char(vq.published_at AT TIME ZONE 'UTC', 'YYYY-MM')"
    return "strftime('%%Y-%%m', vq.published_at)"


def sql_resolved_counts(*, user, family, group_by, where="1 = 1", params=None) -> dict:
    """{group tuple: count} of resolved labels, computed in one SQL statement."""
    from django.db import connection

    sql = _RESOLVED_SQL.format(family=FAMILY_SQL[family], group_by=group_by, where=where)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"user": user.id, "false": False, **(params or {})})
        return {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}
