"""API of the organisation: offices, their employees, and the caller."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from perjumpaan.api.schemas import ErrorOut
from perjumpaan.core.scoping import access_for
from perjumpaan.org import selectors
from perjumpaan.org.models import Office

router = Router(tags=["org"])


class OfficeOut(Schema):
    code: str
    name: str
    kind: str
    active_employees: int


class EmployeeOut(Schema):
    id: int
    nip: str
    name: str
    position: str
    unit: str | None
    gender: str
    status: str
    track: str
    is_active: bool

    @staticmethod
    def resolve_unit(obj: object) -> str | None:
        unit = getattr(obj, "unit", None)
        return unit.name if unit else None


class MeOut(Schema):
    username: str
    roles: list[str]
    employee: EmployeeOut | None


def _office(request: HttpRequest, code: str) -> Office:
    # Through the scoping, as every read; the same order as the pages' `office_required` when a user
    # sees two governments that both have an office with this code.
    office = (
        selectors.office_list(user=request.user).filter(code=code.upper()).order_by("government_id").first()
    )
    if office is None:
        raise Http404
    return office


@router.get("/offices", response={200: list[OfficeOut], 401: ErrorOut}, summary="Perangkat daerah")
def office_list(request: HttpRequest) -> list[Office]:
    return list(selectors.office_list(user=request.user))


@router.get(
    "/offices/{code}",
    response={200: OfficeOut, 401: ErrorOut, 404: ErrorOut},
    summary="Satu perangkat daerah",
)
def office_detail(request: HttpRequest, code: str) -> Office:
    return _office(request, code)


@router.get(
    "/offices/{code}/employees",
    response={200: list[EmployeeOut], 401: ErrorOut, 404: ErrorOut},
    summary="Pegawai perangkat daerah",
)
def office_employees(request: HttpRequest, code: str) -> list[object]:
    office = _office(request, code)
    return list(selectors.employee_list(user=request.user, office=office))


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="Akun saya")
def me(request: HttpRequest) -> MeOut:
    access = access_for(request.user)
    roles = [
        name
        for name, held in (
            ("admin", access.is_admin),
            ("leadership", access.is_leadership),
            ("coordinator", access.is_coordinator),
            ("facilitator", access.is_facilitator),
            ("staff", access.is_staff_member),
        )
        if held
    ]
    employee = (
        selectors.employee_get(user=request.user, pk=access.employee_id) if access.employee_id else None
    )
    # The model itself, not EmployeeOut.from_orm(employee): validating an EmployeeOut a second time ran
    # resolve_unit on the unit's name and failed (500) for everyone whose record names a unit.
    me = {"username": request.user.get_username(), "roles": roles, "employee": employee}
    return MeOut.model_validate(me)
