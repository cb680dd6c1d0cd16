"""Running the same work in several threads at once, for the PostgreSQL concurrency tests."""

import threading

from django.db import connection


def run_in_threads(work, arguments):
    """Run work(argument) in one thread per argument, released together by a barrier; fails
    with the errors any thread raised."""
    barrier = threading.Barrier(len(arguments))
    errors = []

    def target(argument):
        try:
            barrier.wait()
            work(argument)
        except Exception as error:  # noqa: BLE001 — reported to the test below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection; give it back

    threads = [threading.Thread(target=target, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
