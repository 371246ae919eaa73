"""Probes for load balancers and orchestrators."""

import logging

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

from apps.core.shared_cache import CACHE_UNREACHABLE

logger = logging.getLogger(__name__)

_migrations_complete = False


def live(request):
    """The process answers. Touches nothing else, so a database outage does
    not get healthy app servers restarted."""
    return JsonResponse({"status": "healthy"})


def ready(request):
    """The database answers and every migration is applied: 200, its
    `status` `ready`, or `degraded` when the shared cache cannot be reached
    (every replica shares it, and the API goes on without it: taking them
    all out of the load balancer would help nobody); else 503."""
    global _migrations_complete
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_complete:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if pending:
                names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:5])
                reason = f"{len(pending)} migration(s) not applied: {names}."
                logger.warning("Not ready: %s", reason)
                return _unready(reason)
            # Applied migrations stay applied for the life of this process.
            _migrations_complete = True
    except Exception as exc:
        # The database's own words (which database, "does not exist", a
        # refused connection) go to the log, not to whoever probes.
        logger.error("Not ready: the database is unavailable: %s: %s", type(exc).__name__, exc)
        return _unready(f"Database unavailable: {exc.__class__.__name__}.")
    try:
        cache.get("health:ready")
    except CACHE_UNREACHABLE as exc:
        logger.warning("Degraded: the shared cache is unreachable: %s: %s", type(exc).__name__, exc)
        return JsonResponse({"status": "degraded", "cache": "unavailable"})
    return JsonResponse({"status": "ready", "cache": "ok"})


def _unready(reason: str) -> JsonResponse:
    return JsonResponse({"status": "unavailable", "reason": reason}, status=503)
