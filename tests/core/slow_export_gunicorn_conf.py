"""The production image's gunicorn settings, with every exported record made
to take a millisecond: a small export then lasts as a large one does
(tests/core/test_export.py)."""

import time

from suite import gunicorn_conf
from suite.gunicorn_conf import *  # noqa: F403  (the production settings)


def post_worker_init(worker):
    gunicorn_conf.post_worker_init(worker)
    from apps.core.api import export

    made = export.csv_pieces

    def slowly(records):
        for record in records:
            time.sleep(0.001)
            yield record

    export.csv_pieces = lambda columns, records, **options: made(
        columns, slowly(records), **options
    )
