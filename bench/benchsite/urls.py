"""Perjumpaan's URLs plus /bench/ceiling/: one INSERT through the same middleware, and nothing else."""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from perjumpaan.urls import urlpatterns as perjumpaan_urlpatterns

CEILING_TABLE = "bench_ceiling"


@csrf_exempt
@require_POST
def ceiling(request: HttpRequest) -> HttpResponse:
    """Parse a JSON body like a check-in's and insert one row, in a transaction like a check-in's."""
    body = json.loads(request.body or b"{}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CEILING_TABLE} (at, payload) VALUES (%s, %s)",  # noqa: S608 -- a constant
            [timezone.now(), str(body.get("code", ""))[:64]],
        )
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [*perjumpaan_urlpatterns, path("bench/ceiling/", ceiling, name="bench_ceiling")]
