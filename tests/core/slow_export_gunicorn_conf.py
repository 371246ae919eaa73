"""The production image's gunicorn settings, with every exported record made
to take RECORD_TIME: a small export then lasts as a large one does
(tests/core/test_export.py).

Its pieces are small too, so the heartbeat beats every few dozen records, as
a real export's does many times within a timeout: with the production's
64 KiB, a piece here took 600 records, over half the test's one-second
timeout, and a loaded machine stretched that past it."""

import time

from suite import gunicorn_conf
from suite.gunicorn_conf import *  # noqa: F403  (the production settings)

RECORD_TIME = 0.001
PIECE_SIZE = 4 * 1024


def post_worker_init(worker):
    gunicorn_conf.post_worker_init(worker)
    from apps.core.api import export

    made = export.csv_pieces

    def slowly(records):
        for record in records:
            time.sleep(RECORD_TIME)
            yield record

    export.PIECE_SIZE = PIECE_SIZE
    export.csv_pieces = lambda columns, records, **options: made(
        columns, slowly(records), **options
    )
