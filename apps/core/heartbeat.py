"""The app server's heartbeat, for a response that outlasts its timeout.

A gunicorn sync worker tells the arbiter it is alive between requests only:
one that has not for `--timeout` seconds (30 by default) is killed as hung.
A response streamed for longer — a CSV export of a few hundred thousand
records — was cut off mid-file, the client left with part of it and a
200. The suite's gunicorn settings (`suite/gunicorn_conf.py`) lend each
worker's heartbeat to the suite, and a streamed response beats it as it goes
(`still_working()`). Under any other server it does nothing.
"""

from collections.abc import Callable

_heartbeat: Callable[[], None] | None = None


def keep_alive_with(heartbeat: Callable[[], None] | None):
    """Lend the app server's heartbeat (None: take it back)."""
    global _heartbeat
    _heartbeat = heartbeat


def still_working():
    """Tell the app server that the request at hand is alive."""
    if _heartbeat is not None:
        _heartbeat()
