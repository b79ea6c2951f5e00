"""The REST API at /api/v1/: one NinjaAPI, one router per app, one error shape.

Every error answers `{"detail": "<message in Bahasa Indonesia>", "errors": [...]}`; `errors` lists the
fields at fault for validation errors and is empty otherwise.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from perjumpaan.api.auth import AUTH

api = NinjaAPI(
    title="Perjumpaan API",
    version="1",
    description="API Sekolah Perjumpaan. Autentikasi: sesi peramban atau `Authorization: Bearer <token>` "
    "dari `POST /api/v1/auth/token`.",
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, detail: str, errors: list[Any] | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(part) for part in error.get("loc", [])], "msg": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    return _error(request, 422, _("Data yang dikirim tidak valid."), errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Perlu masuk terlebih dahulu (sesi atau token)."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Data tidak ditemukan."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


def _register_routers() -> None:
    from perjumpaan.api.auth_api import router as auth_router
    from perjumpaan.org.api import router as org_router

    api.add_router("/auth", auth_router)
    api.add_router("/", org_router)


_register_routers()
