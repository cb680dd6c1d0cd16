"""Work that runs once a response has been sent (without a broker: a staged import).

WSGI servers call a response's close() after its last byte is written, so the client already
has the answer — a redirect followed, a 202 read — while the work runs in the same process. If
that process dies meanwhile, nothing is lost that was committed before: the work must be
resumable (claims/services/import_batches.py is).
"""

import logging
from collections.abc import Callable

from django.http import HttpResponseBase

logger = logging.getLogger(__name__)


def run_after_response(response: HttpResponseBase, work: Callable[[], None] | None):
    """The response, set to run `work` when the server closes it (nothing when None)."""
    if work is None:
        return response
    close = response.close

    def close_then_work() -> None:
        close()
        try:
            work()
        except Exception:
            logger.exception("Work after the response failed")

    response.close = close_then_work
    return response
