"""Pages about the organisation: home, offices, employees, the user's own profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from perjumpaan.core.decorators import office_required
from perjumpaan.core.scoping import access_for, can
from perjumpaan.org import selectors
from perjumpaan.org.models import Office


def locked_out(
    request: HttpRequest, credentials: object = None, *args: object, **kwargs: object
) -> HttpResponse:
    """What django-axes shows after too many failed logins."""
    return render(request, "org/locked_out.html", status=429)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
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
