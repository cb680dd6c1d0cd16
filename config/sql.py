"""The project package's one raw statement: the API token check every API call runs (see
config/authentication.py), a raw query because compiling it through the ORM cost more Python
than the database spends on it."""

import datetime

from django.contrib.auth import get_user_model
from knox.models import AuthToken

from claims.sql import columns, db_datetime, fetch_all, instance_from_row


def token_users(*, token_key: str, now: datetime.datetime) -> list:
    """Users holding a token that starts with `token_key`, each carrying `token_digest` and
    `token_expired` (usually one; the digest tells which token was presented)."""
    user_model = get_user_model()
    rows = fetch_all(
        f"SELECT {', '.join(columns(user_model, 'u'))}, t.digest, "
        "t.expiry IS NOT NULL AND t.expiry <= %s "
        f"FROM {AuthToken._meta.db_table} t "
        f"JOIN {user_model._meta.db_table} u ON u.id = t.user_id "
        "WHERE t.token_key = %s",
        [db_datetime(now), token_key],
    )
    users = []
    for *user_columns, digest, expired in rows:
        user = instance_from_row(user_model, user_columns)
        user.token_digest, user.token_expired = digest, bool(expired)
        users.append(user)
    return users
