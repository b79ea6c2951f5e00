"""Pages that belong to no domain: the liveness and readiness checks."""

from __future__ import annotations

import time

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Once every migration of this release is applied it stays so for the life of the process (nobody
# un-applies migrations under a running release), so a positive answer is remembered for a while and
# the load balancer's probe costs one SELECT.
_READY_CACHE_SECONDS = 60.0
_ready_until = 0.0


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 with {"status": "ok"} while the app can reach its database; 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not ready", whatever its class
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def pending_migrations() -> list[str]:
    """The migrations of this release not yet applied to the database, as "app.name"."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database answers a query and every migration of this release is applied;
    503 otherwise, saying which (so a load balancer sends no traffic to a server started before
    `perjumpaan migrate` ran)."""
    global _ready_until
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not ready", whatever its class
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    now = time.monotonic()
    if now >= _ready_until:
        try:
            pending = pending_migrations()
        except Exception:  # a damaged migration table is "not ready" too
            return JsonResponse(
                {"status": "error", "database": connection.vendor, "migrations": "unknown"}, status=503
            )
        if pending:
            return JsonResponse(
                {
                    "status": "error",
                    "database": connection.vendor,
                    "migrations": "pending",
                    "pending": len(pending),
                },
                status=503,
            )
        _ready_until = now + _READY_CACHE_SECONDS
    return JsonResponse({"status": "ok", "database": connection.vendor, "migrations": "applied"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (`handler500`): rendered with no request context, since the database or a context
    processor may be what failed, and with the request's id so that a report can be matched to the log."""
    from django.template import loader

    request_id = str(getattr(request, "request_id", ""))
    try:
        body = loader.get_template("500.html").render({"request_id": request_id})
    except Exception:  # the page itself failed: say it plainly rather than fail twice
        body = "<h1>Terjadi kesalahan di server (500)</h1><p>Coba lagi beberapa saat lagi.</p>"
    return HttpResponseServerError(body)
