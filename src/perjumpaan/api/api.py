"""The REST API at /api/v1/: one NinjaAPI, one router per app, one error shape.

Every error answers `{"detail": "<message in Bahasa Indonesia>", "errors": [...]}`; `errors` lists the
fields at fault for validation errors (`loc`, `type`, `msg`) and is empty otherwise. That holds for
errors raised by our operations, by ninja itself (authentication, CSRF, a body that is not JSON), for a
method the path does not allow (405) and for a path that does not exist under /api/v1/ (404).

The interactive docs at /api/v1/docs load Swagger UI from ninja's own static files (ninja is in
INSTALLED_APPS), never from a CDN: the system must work on an intranet.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signals
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from perjumpaan.api.auth import AUTH

logger = logging.getLogger("perjumpaan.api")


class PerjumpaanAPI(NinjaAPI):
    """NinjaAPI whose URL map also answers unknown paths and wrong methods in the one error shape."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls: list[URLResolver | URLPattern] = []
        for url in super()._get_urls():
            if isinstance(url, URLPattern):
                # Ninja's root raises an HTML 404 that names the docs; a client is better served by links.
                view = self._root if url.name == "api-root" else self._with_json_405(url.callback)
                url = URLPattern(url.pattern, view, url.default_args, url.name)
            urls.append(url)
        urls.append(re_path(r"^.*$", csrf_exempt(self._unknown_path), name="unknown-path"))
        return urls

    def _with_json_405(self, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        # Ninja answers a method the path does not allow with a plain-text 405 that bypasses the
        # exception handlers; keep its Allow header and give it the one shape.
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code == 405 and not response.get("Content-Type", "").startswith(
                "application/json"
            ):
                answer = error_response(request, 405, _("Metode HTTP ini tidak diizinkan di alamat ini."))
                if response.has_header("Allow"):
                    answer["Allow"] = response["Allow"]
                return answer
            return response

        return wrapped

    def _root(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return error_response(request, 405, _("Metode HTTP ini tidak diizinkan di alamat ini."))
        base = request.path.rstrip("/")
        return self.create_response(
            request,
            {
                "title": self.title,
                "version": self.version,
                "docs": f"{base}{self.docs_url}",
                "openapi": f"{base}{self.openapi_url}",
            },
            status=200,
        )

    def _unknown_path(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return error_response(request, 404, _("Alamat API ini tidak ada."))

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_refusals(schema)
        return schema


# Refusals any operation of a kind can answer, whether or not its router lists them (found by fuzzing
# the document with schemathesis: tests/reliability/test_fuzz_api.py).
_REFUSALS = {
    "400": "Isi permintaan tidak dapat dibaca (bukan JSON yang valid).",
    "401": "Perlu masuk terlebih dahulu (sesi atau token).",
    "403": "Tidak berhak, atau pemeriksaan CSRF sesi gagal.",
    "404": "Data tidak ditemukan.",
    "413": "Isi permintaan terlalu besar.",
    "422": "Data yang dikirim tidak valid; `errors` menyebut kolomnya.",
}


def document_refusals(schema: dict[str, Any]) -> None:
    """Add to every operation of the OpenAPI document the refusals it can answer in the one error shape:
    401 (and 403 for a session without its CSRF token on a change) when it needs a login, 400, 413 and
    422 when it reads a body, 422 when it has parameters, 404 when its path names something."""
    if "ErrorOut" not in schema.get("components", {}).get("schemas", {}):
        return
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = []
            if operation.get("security"):
                codes.append("401")
                if method in ("post", "put", "patch", "delete"):
                    codes.append("403")
            if "requestBody" in operation:
                codes += ["400", "413", "422"]
            if operation.get("parameters"):
                codes.append("422")
            if "{" in path:
                codes.append("404")
            responses = operation["responses"]
            for code in codes:
                # Ninja keys responses by the number; JSON turns both into the same string key.
                if code in responses or int(code) in responses:
                    continue
                responses[int(code)] = {
                    "description": _REFUSALS[code],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
                }


api = PerjumpaanAPI(
    title="Perjumpaan API",
    version="1",
    description="API Sekolah Perjumpaan. Autentikasi: sesi peramban (dengan token CSRF untuk perubahan) "
    "atau `Authorization: Bearer <token>` dari `POST /api/v1/auth/token`. Setiap galat berbentuk "
    '`{"detail": "...", "errors": [...]}`.',
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=Swagger(),
)


def error_response(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


# Ninja raises these with English messages of its own; what the user reads instead.
_NINJA_MESSAGES: dict[str, Callable[[], str]] = {
    "Unauthorized": lambda: _("Perlu masuk terlebih dahulu (sesi atau token)."),
    "Forbidden": lambda: _("Anda tidak berhak melakukan ini."),
    "Too many requests.": lambda: _("Terlalu banyak permintaan. Coba lagi nanti."),
    "CSRF check Failed": lambda: _("Pemeriksaan CSRF gagal. Muat ulang halaman lalu coba lagi."),
    "Cannot parse request body": lambda: _("Isi permintaan bukan JSON yang valid."),
}

_STATUS_MESSAGES: dict[int, Callable[[], str]] = {
    400: lambda: _("Permintaan tidak valid."),
    401: lambda: _("Perlu masuk terlebih dahulu (sesi atau token)."),
    403: lambda: _("Anda tidak berhak melakukan ini."),
    404: lambda: _("Data tidak ditemukan."),
    405: lambda: _("Metode HTTP ini tidak diizinkan di alamat ini."),
    429: lambda: _("Terlalu banyak permintaan. Coba lagi nanti."),
}


def _field_message(error: dict[str, Any]) -> str:
    """A pydantic error in Bahasa Indonesia, by its type; pydantic's own text when we have none."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    messages: dict[str, Callable[[], str]] = {
        "missing": lambda: _("Wajib diisi."),
        "string_type": lambda: _("Harus berupa teks."),
        "string_too_short": lambda: (
            _("Terlalu pendek (minimal %(n)s karakter).") % {"n": ctx.get("min_length")}
        ),
        "string_too_long": lambda: (
            _("Terlalu panjang (maksimal %(n)s karakter).") % {"n": ctx.get("max_length")}
        ),
        "int_type": lambda: _("Harus berupa bilangan bulat."),
        "int_parsing": lambda: _("Harus berupa bilangan bulat."),
        "int_from_float": lambda: _("Harus berupa bilangan bulat."),
        "float_type": lambda: _("Harus berupa angka."),
        "float_parsing": lambda: _("Harus berupa angka."),
        "bool_type": lambda: _("Harus berupa true atau false."),
        "bool_parsing": lambda: _("Harus berupa true atau false."),
        "date_type": lambda: _("Harus berupa tanggal (TTTT-BB-HH)."),
        "date_parsing": lambda: _("Harus berupa tanggal (TTTT-BB-HH)."),
        "date_from_datetime_parsing": lambda: _("Harus berupa tanggal (TTTT-BB-HH)."),
        "datetime_type": lambda: _("Harus berupa tanggal dan jam."),
        "datetime_parsing": lambda: _("Harus berupa tanggal dan jam."),
        "enum": lambda: _("Pilihan tidak dikenal."),
        "literal_error": lambda: _("Pilihan tidak dikenal."),
        "list_type": lambda: _("Harus berupa daftar."),
        "dict_type": lambda: _("Harus berupa objek JSON."),
        "model_type": lambda: _("Harus berupa objek JSON."),
        "model_attributes_type": lambda: _("Harus berupa objek JSON."),
        "extra_forbidden": lambda: _("Kolom ini tidak dikenal."),
    }
    message = messages.get(kind)
    return message() if message else str(error.get("msg", ""))


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [str(part) for part in error.get("loc", [])],
            "type": str(error.get("type", "")),
            "msg": _field_message(error),
        }
        for error in exc.errors
    ]
    return error_response(request, 422, _("Data yang dikirim tidak valid."), errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, _("Perlu masuk terlebih dahulu (sesi atau token)."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, _("Data tidak ditemukan."))


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return error_response(request, 404, _("Data tidak ditemukan."))


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, str(exc) or _("Anda tidak berhak melakukan ini."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Our own HttpErrors carry an Indonesian message; ninja's (AuthorizationError, CSRF, …) do not."""
    message = str(exc)
    for english, indonesian in _NINJA_MESSAGES.items():
        if message.startswith(english):
            message = indonesian()
            break
    if not message:
        default = _STATUS_MESSAGES.get(exc.status_code)
        message = default() if default else str(exc.status_code)
    return error_response(request, exc.status_code, message)


@api.exception_handler(MultiPartParserError)
def _unparseable_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # A body Django cannot parse (multipart without a boundary, say), read by whoever touched
    # request.POST first (django-axes, on a failed login): the client's fault, not a server error.
    return error_response(request, 400, _("Isi permintaan tidak dapat dibaca."))


@api.exception_handler(UnreadablePostError)
def _unreadable_body(request: HttpRequest, exc: UnreadablePostError) -> HttpResponse:
    return error_response(request, 400, _("Isi permintaan tidak dapat dibaca."))


@api.exception_handler(RequestDataTooBig)
def _body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, 413, _("Isi permintaan terlalu besar."))


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # As Django answers it outside the API: 400, and the details only in the security log.
    logging.getLogger(f"django.security.{exc.__class__.__name__}").error(str(exc))
    return error_response(request, 400, _("Permintaan tidak valid."))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged, signalled (so the test client re-raises it), and answered in the one shape."""
    if settings.DEBUG:
        raise exc
    logger.error("API error at %s", request.path, exc_info=sys.exc_info())
    signals.got_request_exception.send(sender=None, request=request)
    return error_response(request, 500, _("Terjadi kesalahan di server. Coba lagi nanti."))


def _register_routers() -> None:
    from perjumpaan.api.auth_api import router as auth_router
    from perjumpaan.attendance.api import router as attendance_router
    from perjumpaan.evaluation.api import router as evaluation_router
    from perjumpaan.org.api import router as org_router
    from perjumpaan.service.api import router as service_router

    api.add_router("/auth", auth_router)
    api.add_router("/", org_router)
    api.add_router("/", service_router)
    api.add_router("/", attendance_router)
    api.add_router("/", evaluation_router)


_register_routers()
