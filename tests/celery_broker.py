"""Point the in-process Celery app at a test broker for one test, and back again."""

from collections.abc import Iterator
from contextlib import contextmanager

import redis

from config.celery import app


def _drop_connections() -> None:
    # The app keeps its broker connections and producers once made; without this a later test
    # would publish to the broker an earlier one used, whatever its settings say.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(settings, url: str) -> Iterator[redis.Redis]:
    """Queue tasks on the Redis database `url` (emptied before and after); yields a client."""
    connection = redis.Redis.from_url(url)
    connection.flushdb()
    saved = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_BROKER_URL = url
    app.conf.broker_url, app.conf.task_always_eager = url, False
    _drop_connections()
    try:
        yield connection
    finally:
        connection.flushdb()
        app.conf.broker_url, app.conf.task_always_eager = saved
        _drop_connections()
