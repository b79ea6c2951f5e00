"""Pages about the organisation: home, offices, employees, the user's own profile."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from perjumpaan.core.decorators import office_required
from perjumpaan.core.scoping import access_for, can
from perjumpaan.core.spreadsheet import CONTENT_TYPES, Format, SpreadsheetError
from perjumpaan.org import selectors, services
from perjumpaan.org.forms import StaffUploadForm
from perjumpaan.org.models import Office, StaffImportUpload
from perjumpaan.org.services import StaffImportResult
from perjumpaan.org.setup import setup_is_open
from perjumpaan.org.staff_table import STAFF_COLUMNS, STAFF_REQUIRED, read_staff_file, staff_export_bytes


def locked_out(
    request: HttpRequest, credentials: object = None, *args: object, **kwargs: object
) -> HttpResponse:
    """What django-axes shows after too many failed logins."""
    return render(request, "org/locked_out.html", status=429)


def home(request: HttpRequest) -> HttpResponse:
    # A fresh installation has no government yet: its first visitor is sent to the set-up wizard.
    if not request.user.is_authenticated and setup_is_open():
        return redirect("org:setup")
    return _home(request)


@login_required
def _home(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if access.is_staff_member and not (access.sees_many_offices or access.is_coordinator):
        return redirect("program:today")
    offices = (
        selectors.office_list(user=request.user) if access.sees_many_offices or access.is_coordinator else []
    )
    employee = None
    if access.employee_id is not None:
        employee = selectors.employee_get(user=request.user, pk=access.employee_id)
    return render(request, "org/home.html", {"offices": offices, "employee": employee})


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    offices = selectors.office_list(user=request.user)
    return render(request, "org/office_list.html", {"offices": offices})


@office_required()
def office_detail(request: HttpRequest, office: Office) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    employees = selectors.employee_list(user=request.user, office=office, search=search)
    page = Paginator(employees, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "org/office_detail.html",
        {
            "office": office,
            "page": page,
            "search": search,
            "units": selectors.unit_list(user=request.user, office=office),
            "can_manage": can(request.user, office, "manage"),
        },
    )


@login_required
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get(user=request.user, pk=pk)
    if employee is None:
        raise Http404
    return render(request, "org/employee_detail.html", {"employee": employee})


@login_required
def me(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    employee = (
        selectors.employee_get(user=request.user, pk=access.employee_id) if access.employee_id else None
    )
    if employee is None:
        messages.info(request, _("Akun Anda tidak terhubung dengan data pegawai."))
    return render(request, "org/employee_detail.html", {"employee": employee, "is_me": True})


# --- Staff import and export ---------------------------------------------------------------------------


@office_required("manage")
def staff_import_upload(request: HttpRequest, office: Office) -> HttpResponse:
    """Step 1 of the web import: upload a file; it is kept and previewed before anything is written."""
    form = StaffUploadForm(request.POST, request.FILES) if request.method == "POST" else StaffUploadForm()
    if form.is_bound and form.is_valid():
        upload = services.staff_import_upload_create(
            actor=request.user,
            office=office,
            filename=form.cleaned_data["file"].name,
            content=form.content,
        )
        return redirect("org:staff_import_preview", office.code, upload.pk)
    return render(
        request,
        "org/staff_import_upload.html",
        {"office": office, "form": form, "columns": STAFF_COLUMNS, "required": STAFF_REQUIRED},
    )


def _staff_import_page(
    request: HttpRequest, office: Office, upload: StaffImportUpload, result: StaffImportResult
) -> HttpResponse:
    present = result.rows[0].cells if result.rows else {}
    columns = [column for column in STAFF_COLUMNS if column in present]
    rows = [(row, [row.cells[column] for column in columns]) for row in result.rows]
    return render(
        request,
        "org/staff_import_preview.html",
        {"office": office, "upload": upload, "result": result, "columns": columns, "rows": rows},
    )


@office_required("manage")
def staff_import_preview(request: HttpRequest, office: Office, upload_id: int) -> HttpResponse:
    """Step 2: every row of the kept file, what importing it would do, and its problems."""
    upload = selectors.staff_import_upload_get(user=request.user, office=office, pk=upload_id)
    if upload is None:
        raise Http404
    try:
        table = read_staff_file(bytes(upload.content), filename=upload.filename)
    except SpreadsheetError as error:
        messages.error(request, str(error))
        services.staff_import_upload_delete(upload=upload)
        return redirect("org:staff_import_upload", office.code)
    result = services.staff_import(actor=request.user, office=office, table=table, dry_run=True)
    return _staff_import_page(request, office, upload, result)


@office_required("manage")
@require_POST
def staff_import_confirm(request: HttpRequest, office: Office, upload_id: int) -> HttpResponse:
    """Step 3: import the kept file for real, all or nothing, and forget it."""
    upload = selectors.staff_import_upload_get(user=request.user, office=office, pk=upload_id)
    if upload is None:
        raise Http404
    try:
        result = services.staff_import_upload_confirm(actor=request.user, upload=upload)
    except SpreadsheetError as error:
        messages.error(request, str(error))
        services.staff_import_upload_delete(upload=upload)
        return redirect("org:staff_import_upload", office.code)
    if not result.written:
        # The data changed since the preview (someone else imported, say): show the rows again.
        messages.error(
            request, _("Impor dibatalkan karena ada baris yang bermasalah; tidak ada yang disimpan.")
        )
        return _staff_import_page(request, office, upload, result)
    text = _(
        "Impor selesai: %(created)d pegawai baru, %(updated)d diperbarui, %(unchanged)d tidak berubah."
    ) % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    if result.units_created:
        text += " " + _("Unit kerja baru: %(units)s.") % {"units": ", ".join(result.units_created)}
    messages.success(request, text)
    return redirect("org:office_detail", office.code)


@office_required("manage")
@require_POST
def staff_import_cancel(request: HttpRequest, office: Office, upload_id: int) -> HttpResponse:
    upload = selectors.staff_import_upload_get(user=request.user, office=office, pk=upload_id)
    if upload is None:
        raise Http404
    services.staff_import_upload_delete(upload=upload)
    messages.info(request, _("Impor dibatalkan; berkas yang diunggah sudah dihapus."))
    return redirect("org:office_detail", office.code)


@office_required()
def staff_export(request: HttpRequest, office: Office, fmt: str) -> HttpResponse:
    """The office's active employees as CSV or XLSX, in the columns the import reads."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    export_format: Format = "xlsx" if fmt == "xlsx" else "csv"
    employees = selectors.staff_export_list(user=request.user, office=office)
    content = staff_export_bytes(employees, fmt=export_format)
    filename = f"pegawai-{office.code.lower()}-{timezone.localdate():%Y%m%d}.{fmt}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- My data (privacy: everything the system holds about the logged-in person) --------------------------


@never_cache
@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """A ZIP of every row about the logged-in person (JSON and CSV) and the files they attached."""
    from perjumpaan.core.mydata import personal_data, personal_data_zip

    content = personal_data_zip(personal_data(request.user))
    username = re.sub(r"[^A-Za-z0-9._-]+", "-", request.user.get_username()).strip("-") or "saya"
    filename = f"data-saya-{username}-{timezone.localdate():%Y%m%d}.zip"
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
