"""gunicorn's settings for the suite's app servers, beyond the command line
(the Dockerfile's CMD: `--config python:suite.gunicorn_conf`)."""


def post_worker_init(worker):
    """Each worker, the suite loaded, lends the suite its heartbeat: a
    response streamed for longer than `--timeout` keeps its worker from
    being killed as hung (apps/core/heartbeat.py)."""
    from apps.core.heartbeat import keep_alive_with

    keep_alive_with(worker.notify)
