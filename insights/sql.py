"""The insights app's SQL: what the ORM cannot say in one statement, and the full-text column.

`resolved_label_quote_ids` is the label rule of `insights.selectors.resolve_votes` for one
question and value, as one grouped statement over the votes (the ORM cannot group an already
grouped subquery); it runs on SQLite and PostgreSQL alike and the tests compare it with the
Python rule. `IdIn` hands a list of ids to a query as one parameter. `SearchDocument` names
the PostgreSQL full-text column that claims' migration 0005 keeps beside the model's columns.
"""

import json

from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import BooleanField, Expression, F, Func

from annotations.models import Choice, Dimension, Gold, Label

# The value's votes must beat every other value's, among gold when there is gold, else labels.
_RESOLVED_SQL = """
SELECT tally.quote_id FROM (
    SELECT votes.quote_id, votes.is_gold, votes.value, COUNT(*) AS n FROM (
        SELECT l.quote_id AS quote_id, c.value AS value, 0 AS is_gold
        FROM {label_choices} lc
        JOIN {label} l ON l.id = lc.label_id
        JOIN {dimension} d ON d.id = l.dimension_id
        JOIN {choice} c ON c.id = lc.choice_id
        WHERE d.key = %s AND {insight_scope}
        UNION ALL
        SELECT g.quote_id, c.value, 1
        FROM {gold_choices} gc
        JOIN {gold} g ON g.id = gc.gold_id
        JOIN {dimension} d ON d.id = g.dimension_id
        JOIN {choice} c ON c.id = gc.choice_id
        WHERE d.key = %s AND {gold_scope}
    ) votes
    GROUP BY votes.quote_id, votes.is_gold, votes.value
) tally
GROUP BY tally.quote_id
HAVING CASE WHEN MAX(tally.is_gold) = 1
    THEN COALESCE(MAX(CASE WHEN tally.is_gold = 1 AND tally.value = %s THEN tally.n END), 0)
       > COALESCE(MAX(CASE WHEN tally.is_gold = 1 AND tally.value <> %s THEN tally.n END), 0)
    ELSE COALESCE(MAX(CASE WHEN tally.value = %s THEN tally.n END), 0)
       > COALESCE(MAX(CASE WHEN tally.value <> %s THEN tally.n END), 0)
END
"""


def _in_projects(column: str, project_ids) -> tuple[str, list]:
    if not project_ids:
        return "1 = 0", []
    ids = sorted(project_ids)
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


def _scope_sql(scope, owner: str, *, gold: bool) -> tuple[str, list]:
    """The InsightScope's condition on the label (or gold) rows aliased `owner`."""
    if scope.every_label:
        return "1 = 1", []
    seen_all, params = _in_projects(f"{owner}.project_id", scope.all_labels_in)
    if gold:
        return seen_all, params
    own, own_params = _in_projects(f"{owner}.project_id", scope.own_labels_in)
    return (
        f"({seen_all} OR ({own} AND {owner}.annotator_id = %s))",
        [*params, *own_params, scope.user_id],
    )


def resolved_label_quote_ids(*, scope, key: str, value: str) -> list[int]:
    """Ids of the quotes whose resolved `key` label is `value`, counting the votes in `scope`
    (a InsightScope). One query; its cost grows with the votes on that question in scope."""
    insight_scope, label_params = _scope_sql(scope, "l", gold=False)
    gold_scope, gold_params = _scope_sql(scope, "g", gold=True)
    sql = _RESOLVED_SQL.format(
        label_choices=Label.choices.through._meta.db_table,
        label=Label._meta.db_table,
        gold_choices=Gold.choices.through._meta.db_table,
        gold=Gold._meta.db_table,
        dimension=Dimension._meta.db_table,
        choice=Choice._meta.db_table,
        insight_scope=insight_scope,
        gold_scope=gold_scope,
    )
    params = [key, *label_params, key, *gold_params, value, value, value, value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [quote_id for (quote_id,) in cursor.fetchall()]


class IdIn(Func):
    """`column IN ids` as one parameter however many ids there are: a PostgreSQL array
    (`= ANY`, which the planner sizes from the array and hashes), JSON on SQLite."""

    output_field = BooleanField()

    def __init__(self, column: str, ids: list[int]) -> None:
        super().__init__(F(column))
        self.ids = list(ids)

    def as_sql(self, compiler, connection, **extra_context):
        # `column` is compiled SQL for a model field; the ids travel as a parameter.
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            array = "{" + ",".join(str(int(id_)) for id_ in self.ids) + "}"
            return f"{column} = ANY(%s::bigint[])", [*params, array]
        json_ids = json.dumps([int(id_) for id_ in self.ids])
        return f"{column} IN (SELECT value FROM json_each(%s))", [*params, json_ids]


class SearchDocument(Expression):
    """The `search_document` tsvector of the query's base table (claims_quote or claims_article):
    PostgreSQL only, kept by triggers (claims migration 0005), not a model field so that Django
    never loads or writes it. Resolved against the table's alias when compiled, so it holds in
    subqueries too."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_document", []
