"""API of public-service outcomes: the queue machine's push, the catalogue, and the IKM of a period."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Body, Query, Router, Schema
from pydantic import Field, StringConstraints

from perjumpaan.api.schemas import ErrorOut
from perjumpaan.org.models import Office
from perjumpaan.org.selectors import office_list
from perjumpaan.service import selectors
from perjumpaan.service.periods import PeriodError, parse_period
from perjumpaan.service.services import PushItem, service_records_push

router = Router(tags=["service"])

MAX_BATCH = 1000
BATCH_TOO_LARGE = gettext_noop("Paling banyak %(n)s catatan per kiriman; bagi menjadi beberapa kiriman.")

Ticket = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Counter = Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)]
Nip = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]


class ServiceRecordIn(Schema):
    """One citizen served, as the queue machine knows it. Times without a zone are the government's wall
    time (WITA for Lombok Barat); `date` is the local date of `arrival`."""

    office: Code = Field(description="Kode perangkat daerah, misalnya DUKCAPIL.")
    date: dt.date
    ticket: Ticket = Field(description="Nomor antrian, unik per perangkat daerah per hari.")
    service: Code = Field(description="Kode (atau nama) jenis layanan dalam katalog perangkat daerah.")
    arrival: dt.datetime
    called: dt.datetime | None = None
    finished: dt.datetime | None = None
    counter: Counter = ""
    officer_nip: Nip | None = None
    result: Literal["selesai", "ditunda", "ditolak"] = "selesai"

    model_config = {"extra": "forbid"}


class RecordOutcomeOut(Schema):
    index: int
    office: str
    date: dt.date
    ticket: str
    outcome: Literal["created", "updated", "unchanged"]
    id: int


class PushOut(Schema):
    created: int
    updated: int
    unchanged: int
    results: list[RecordOutcomeOut]


class ServiceOut(Schema):
    code: str
    name: str
    active: bool


class ElementOut(Schema):
    code: str
    name: str
    nrr: float | None
    answers: int


class IkmOut(Schema):
    office: str
    period: str
    period_label: str
    service: str | None
    n: int
    weight: str
    ikm: float | None
    mutu: str | None
    kinerja: str | None
    population: int | None
    minimum_sample: int | None
    sample_too_small: bool | None
    elements: list[ElementOut]


_ACTIONS = {"create": "created", "update": "updated", "unchanged": "unchanged"}


@router.post(
    "/service-records",
    response={200: PushOut, 401: ErrorOut, 422: ErrorOut},
    summary="Kirim catatan layanan dari mesin antrian",
)
def service_records_create(
    request: HttpRequest,
    payload: Body[list[ServiceRecordIn]],
) -> HttpResponse | PushOut:
    """Store a batch of service records, all or nothing, idempotent on office + date + ticket.

    The account must be allowed to manage each item's office (a machine account: a user with a coordinator
    role on that office and an API token). Sending a batch again changes nothing. If any item is wrong,
    nothing is stored and the answer is 422 with one error per problem, `loc` = ["body", "payload", index,
    field].
    """
    from perjumpaan.api.api import error_response

    if len(payload) > MAX_BATCH:
        errors = [
            {"loc": ["body", "payload"], "type": "too_long", "msg": _(BATCH_TOO_LARGE) % {"n": MAX_BATCH}}
        ]
        return error_response(request, 422, _("Data yang dikirim tidak valid."), errors)
    items = [PushItem(**item.dict()) for item in payload]
    result = service_records_push(user=request.user, items=items)
    if result.errors:
        errors = [
            {
                "loc": ["body", "payload", str(error.index), *([error.field] if error.field else [])],
                "type": "value_error",
                "msg": error.message,
            }
            for error in result.errors
        ]
        return error_response(
            request, 422, _("Data yang dikirim tidak valid; tidak ada yang disimpan."), errors
        )
    return PushOut(
        created=result.count("create"),
        updated=result.count("update"),
        unchanged=result.count("unchanged"),
        results=[
            RecordOutcomeOut(
                index=outcome.index,
                office=outcome.office,
                date=outcome.date,
                ticket=outcome.ticket,
                outcome=_ACTIONS[outcome.action],  # type: ignore[arg-type]
                id=outcome.id or 0,
            )
            for outcome in result.outcomes
        ],
    )


def _office(request: HttpRequest, code: str) -> Office:
    office = office_list(user=request.user).filter(code=code.upper()).order_by("government_id").first()
    if office is None:
        raise Http404
    return office


@router.get("/offices/{code}/services", response={200: list[ServiceOut], 401: ErrorOut, 404: ErrorOut})
def office_services(request: HttpRequest, code: str) -> list[object]:
    """The office's service catalogue (the codes a queue machine sends)."""
    return list(
        selectors.service_list(user=request.user, office=_office(request, code), include_inactive=True)
    )


class IkmQuery(Schema):
    period: str | None = Field(None, description="2026-11, 2026-Q3, 2026-S1 atau 2026; bawaan: bulan ini.")
    service: str | None = Field(None, description="Kode jenis layanan; kosong: seluruh perangkat daerah.")


@router.get("/offices/{code}/ikm", response={200: IkmOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def office_ikm(request: HttpRequest, code: str, query: Query[IkmQuery]) -> HttpResponse | IkmOut:
    """The office's IKM for a period (and optionally one service), with n, the minimum sample and the
    weight used."""
    from perjumpaan.api.api import error_response

    office = _office(request, code)
    try:
        period = parse_period(query.period) if query.period else selectors.default_period(office)
    except PeriodError as error:
        errors = [{"loc": ["query", "period"], "type": "value_error", "msg": str(error)}]
        return error_response(request, 422, _("Data yang dikirim tidak valid."), errors)
    service = None
    if query.service:
        service = (
            selectors.service_list(user=request.user, office=office, include_inactive=True)
            .filter(code=query.service.strip().upper())
            .first()
        )
        if service is None:
            raise Http404
    summary = selectors.ikm_summary(user=request.user, office=office, period=period, service=service)
    result = summary.result
    mutu = result.mutu
    return IkmOut(
        office=office.code,
        period=period.key,
        period_label=period.label,
        service=service.code if service else None,
        n=result.n,
        weight=result.weight,
        ikm=None if result.ikm is None else float(result.ikm),
        mutu=mutu.code if mutu else None,
        kinerja=mutu.kinerja if mutu else None,
        population=result.population,
        minimum_sample=result.minimum_sample,
        sample_too_small=result.sample_too_small,
        elements=[
            ElementOut(code=e.code, name=e.name, nrr=None if e.nrr is None else float(e.nrr), answers=e.count)
            for e in result.elements
        ],
    )
