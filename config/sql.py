"""The project package's one raw statement: the API token check every API call runs (see
config/authentication.py), a raw query because compiling it through the ORM cost more Python
than the database spends on it."""

import datetime

from django.contrib.auth import get_user_model
from knox.models import AuthToken

from annotations.sql import (
    project_membership_joins,
    project_membership_of,
    project_membership_select,
)
from claims.sql import columns, db_datetime, fetch_all, instance_from_row


def token_users(*, token_key: str, now: datetime.datetime, project_id: int | None = None) -> list:
    """Users holding a token that starts with `token_key`, each carrying `token_digest` and
    `token_expired` (usually one; the digest tells which token was presented). With
    `project_id` (an API call under /projects/<id>/), each also carries
    `project_membership_read`: (project_id, what annotations.sql.project_with_membership
    would return for them), read in the same statement."""
    user_model = get_user_model()
    params: dict = {"now": db_datetime(now), "key": token_key}
    extra, joins = "", ""
    if project_id is not None:
        params["project"] = project_id
        extra = f", {project_membership_select()}"
        joins = project_membership_joins("u")
    rows = fetch_all(
        f"SELECT {', '.join(columns(user_model, 'u'))}, t.digest, "
        f"t.expiry IS NOT NULL AND t.expiry <= %(now)s{extra} "
        f"FROM {AuthToken._meta.db_table} t "
        f"JOIN {user_model._meta.db_table} u ON u.id = t.user_id "
        f"{joins}WHERE t.token_key = %(key)s",
        params,
    )
    width = len(user_model._meta.concrete_fields)
    users = []
    for row in rows:
        user = instance_from_row(user_model, row[:width])
        user.token_digest, user.token_expired = row[width], bool(row[width + 1])
        if project_id is not None:
            user.project_membership_read = (project_id, project_membership_of(row[width + 2 :]))
        users.append(user)
    return users
