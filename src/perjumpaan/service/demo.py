"""Demo data of public-service outcomes: a year of service records, SKM answers and complaints.

`service_demo` is a step of `perjumpaan demo` (see `perjumpaan.org.demo`): it builds, for the demo
government,

- a service catalogue for the offices that serve citizens at a counter (Disdukcapil's KTP-el, Kartu
  Keluarga, Akta Kelahiran, Akta Kematian, Surat Pindah, KIA, Legalisir; PUPR's building permits; …);
- one year of service records, working day by working day (Monday–Friday without the national holidays
  and cuti bersama), from 1 December 2025 to 27 November 2026 — a fixed window, so the data does not
  depend on the day it is loaded: Disdukcapil 300–400 citizens a day (busiest on Mondays, quietest on
  Fridays), the other offices 8–70;
- SKM answers from a fraction of those citizens (5 % at Disdukcapil, 8 % elsewhere), linked to their
  tickets, with realistic answers (Biaya/Tarif high because the documents are free, Waktu Penyelesaian,
  Sarana and Penanganan Pengaduan lowest);
- complaints (about 0,25 % of transactions), most answered and closed.

The programme's rollout is visible in the outcomes. Each office's enrolment date is its newest
`program.Enrollment` row (the programme's demo step runs before this one: DUKCAPIL and PUPR from
2 March 2026 as the pilot, then later waves; an office without a row is not enrolled). Only when the
government has no enrolment at all does this step use its own dates: DUKCAPIL and PUPR on 2 March 2026,
DIKBUD and DINKES on 1 June 2026, DPMPTSP, DINSOS, GERUNG and LINGSAR on 1 September 2026, NARMADA
and BATULAYAR never (a comparison group).

**Simulated effects** of enrolment, applied to every record and answer dated on or after the office's
enrolment date and nowhere else, so that an impact analysis has something true to find:

- waiting time (called − arrival) × 0,90: every quantile of its distribution falls by exactly 10 %;
- each SKM element's expected answer + 0,10 (5 percentage points of answers move from 2 to 4), so the
  expected IKM rises by 2,50 points (25 × 0,10);
- the complaint rate × 0,80 (0,25 % → 0,20 % of transactions).

Service time, volume and the result mix are not affected. Everything else varies from day to day
(waiting time also grows with the day's volume), drawn from the step's own seeded generator, so two
fresh databases get identical data. Rows are looked up by natural keys (office + code, office + date +
ticket, office + ticket date + ticket, complaint reference) and only missing ones are created; an office's
day that already has all its records is skipped whole, so a second run takes a second, not the first
run's ten (on one idle core).

The two large tables are written with one `executemany` per few thousand rows instead of `bulk_create`
(see `_insert`): on SQLite that is the difference between about ten seconds and two minutes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.timeutil import zone
from perjumpaan.org.demo import DemoContext, demo_step
from perjumpaan.org.models import Employee, Office
from perjumpaan.service.models import Complaint, ComplaintUpdate, Service, ServiceRecord, SurveyResponse

FIRST_DAY = dt.date(2025, 12, 1)
LAST_DAY = dt.date(2026, 11, 27)

# Used when the programme's demo recorded no enrolment for an office (None: not enrolled in the window).
FALLBACK_ENROLMENT: dict[str, dt.date | None] = {
    "DUKCAPIL": dt.date(2026, 3, 2),
    "PUPR": dt.date(2026, 3, 2),
    "DIKBUD": dt.date(2026, 6, 1),
    "DINKES": dt.date(2026, 6, 1),
    "DPMPTSP": dt.date(2026, 9, 1),
    "DINSOS": dt.date(2026, 9, 1),
    "GERUNG": dt.date(2026, 9, 1),
    "LINGSAR": dt.date(2026, 9, 1),
    "NARMADA": None,
    "BATULAYAR": None,
}

WAIT_FACTOR_AFTER = 0.90
ANSWER_SHIFT = 0.05  # moved from answer 2 to answer 4: +0,10 on the element's mean
COMPLAINT_RATE = 0.0025
COMPLAINT_FACTOR_AFTER = 0.80


@dataclass(frozen=True)
class DemoService:
    code: str
    name: str
    share: float  # of the office's citizens
    minutes: float  # median service time


@dataclass(frozen=True)
class DemoOffice:
    services: tuple[DemoService, ...]
    volume: tuple[int, int]  # citizens per working day
    wait_minutes: float  # median waiting time on an average day, before enrolment
    counters: int
    response_rate: float  # share of citizens who answer the SKM


_KECAMATAN = DemoOffice(
    (
        DemoService("PENGANTAR", "Surat Pengantar dan Keterangan", 0.5, 5),
        DemoService("LEGALISIR", "Legalisir Dokumen", 0.3, 3),
        DemoService("IUMK", "Izin Usaha Mikro Kecil", 0.2, 10),
    ),
    (15, 30),
    9,
    2,
    0.08,
)

OFFICES: dict[str, DemoOffice] = {
    "DUKCAPIL": DemoOffice(
        (
            DemoService("KTP-EL", "KTP-el", 0.30, 9),
            DemoService("KK", "Kartu Keluarga", 0.24, 7),
            DemoService("AKTA-LAHIR", "Akta Kelahiran", 0.15, 10),
            DemoService("AKTA-MATI", "Akta Kematian", 0.05, 8),
            DemoService("PINDAH", "Surat Pindah", 0.10, 8),
            DemoService("KIA", "Kartu Identitas Anak", 0.09, 5),
            DemoService("LEGALISIR", "Legalisir Dokumen Kependudukan", 0.07, 3),
        ),
        (300, 400),
        32,
        8,
        0.05,
    ),
    "PUPR": DemoOffice(
        (
            DemoService("PBG", "Persetujuan Bangunan Gedung", 0.4, 25),
            DemoService("KRK", "Keterangan Rencana Kota", 0.35, 15),
            DemoService("REKTEK", "Rekomendasi Teknis", 0.25, 20),
        ),
        (10, 20),
        14,
        2,
        0.08,
    ),
    "DIKBUD": DemoOffice(
        (
            DemoService("LEGALISIR-IJAZAH", "Legalisir Ijazah", 0.6, 5),
            DemoService("MUTASI", "Surat Mutasi Siswa", 0.25, 10),
            DemoService("IZIN-PAUD", "Izin Operasional PAUD", 0.15, 20),
        ),
        (20, 35),
        12,
        2,
        0.08,
    ),
    "DINKES": DemoOffice(
        (
            DemoService("SIP", "Rekomendasi Surat Izin Praktik", 0.5, 15),
            DemoService("PIRT", "Sertifikat PIRT", 0.5, 20),
        ),
        (8, 16),
        10,
        2,
        0.08,
    ),
    "DPMPTSP": DemoOffice(
        (
            DemoService("NIB", "Pendampingan NIB (OSS)", 0.5, 15),
            DemoService("IZIN-USAHA", "Perizinan Berusaha", 0.3, 20),
            DemoService("IZIN-NON", "Perizinan Non-Berusaha", 0.2, 15),
        ),
        (40, 70),
        18,
        4,
        0.08,
    ),
    "DINSOS": DemoOffice(
        (
            DemoService("DTKS", "Pendaftaran DTKS", 0.6, 10),
            DemoService("SKTM", "Surat Keterangan Tidak Mampu", 0.4, 6),
        ),
        (25, 45),
        15,
        3,
        0.08,
    ),
    "GERUNG": _KECAMATAN,
    "LINGSAR": _KECAMATAN,
    "NARMADA": _KECAMATAN,
    "BATULAYAR": _KECAMATAN,
}

# Probability of answers 1, 2, 3, 4 per element before enrolment (expected answer in the comment).
ANSWERS: dict[str, tuple[float, float, float, float]] = {
    "U1": (0.02, 0.13, 0.60, 0.25),  # 3,08
    "U2": (0.02, 0.15, 0.60, 0.23),  # 3,04
    "U3": (0.05, 0.25, 0.52, 0.18),  # 2,83
    "U4": (0.00, 0.05, 0.35, 0.60),  # 3,55: the documents are free
    "U5": (0.01, 0.10, 0.62, 0.27),  # 3,15
    "U6": (0.01, 0.10, 0.60, 0.29),  # 3,17
    "U7": (0.01, 0.08, 0.58, 0.33),  # 3,23
    "U8": (0.04, 0.20, 0.56, 0.20),  # 2,92
    "U9": (0.05, 0.22, 0.55, 0.18),  # 2,86
}
UNANSWERED = {"U9": 0.05}  # respondents who skip an element; 2 % for the others
EDUCATION = (("SD", 0.18), ("SMP", 0.22), ("SMA", 0.38), ("S1", 0.19), ("S2", 0.03))
OCCUPATION = (
    ("PNS", 0.08),
    ("TNI", 0.01),
    ("POLRI", 0.01),
    ("SWASTA", 0.25),
    ("WIRAUSAHA", 0.30),
    ("LAINNYA", 0.35),
)
SUGGESTIONS = (
    "Antrian pagi terlalu panjang, mohon tambah loket.",
    "Petugas ramah dan sigap, terima kasih.",
    "Ruang tunggu panas, mohon ditambah kipas angin.",
    "Informasi persyaratan sebaiknya ditempel di depan kantor.",
    "Pelayanan sudah lebih cepat dari bulan lalu.",
    "Mohon disediakan tempat parkir yang lebih luas.",
    "Tolong nomor antrian ditampilkan lebih jelas di layar.",
    "Sudah bagus, pertahankan.",
    "Kursi tunggu kurang, banyak yang berdiri.",
    "Blangko sering habis, mohon diperhatikan.",
)
COMPLAINTS = (
    ("waktu", 0.35, "Saya menunggu lebih dari dua jam padahal datang pagi."),
    ("pelayanan", 0.20, "Berkas saya dikembalikan tanpa penjelasan yang jelas."),
    ("persyaratan", 0.15, "Persyaratan yang diminta berbeda dengan informasi di papan pengumuman."),
    ("petugas", 0.10, "Petugas di loket kurang ramah saat menjelaskan."),
    ("sarana", 0.10, "Toilet di ruang tunggu tidak berfungsi."),
    ("informasi", 0.05, "Tidak ada informasi kapan dokumen saya selesai."),
    ("biaya", 0.02, "Ada yang menawarkan jasa pengurusan berbayar di depan kantor."),
    ("lainnya", 0.03, "Nomor telepon kantor tidak bisa dihubungi."),
)
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Monday to Friday, without Indonesia's national holidays and cuti bersama."""
    from perjumpaan.program.calendar import national_holidays

    holidays: set[dt.date] = set()
    for year in range(first.year, last.year + 1):
        holidays |= set(national_holidays(year))
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def enrolment_dates(ctx: DemoContext) -> dict[str, dt.date | None]:
    """Each demo office's enrolment date: its newest `program.Enrollment` row when the government has any
    (an office without one is not enrolled), otherwise `FALLBACK_ENROLMENT`."""
    from perjumpaan.program.models import Enrollment

    rows = Enrollment.objects.filter(office__government=ctx.government).order_by(
        "office_id", "-recorded_at", "-pk"
    )
    found: dict[str, dt.date | None] = {}
    for code, enrolled_on in rows.values_list("office__code", "enrolled_on"):
        found.setdefault(code, enrolled_on)
    if not found:
        return dict(FALLBACK_ENROLMENT)
    return {code: found.get(code) for code in OFFICES}


def _choose(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def _answer(rng: random.Random, code: str, after: bool) -> int | None:
    if rng.random() < UNANSWERED.get(code, 0.02):
        return None
    p1, p2, p3, p4 = ANSWERS[code]
    if after:
        moved = min(ANSWER_SHIFT, p2)
        p2, p4 = p2 - moved, p4 + moved
    return rng.choices((1, 2, 3, 4), (p1, p2, p3, p4))[0]


def _reference(rng: random.Random) -> str:
    return "ADU-" + "".join(rng.choice(REFERENCE_ALPHABET) for _i in range(6))


@demo_step("service.outcomes")
def service_demo(ctx: DemoContext) -> None:
    """A year of service records, SKM answers and complaints; see the module docstring."""
    government = ctx.government
    tz = zone(government.time_zone)
    offices = {o.code: o for o in Office.objects.filter(government=government, code__in=list(OFFICES))}
    enrolled = enrolment_dates(ctx)
    days = working_days(FIRST_DAY, LAST_DAY)
    created = {"services": 0, "records": 0, "answers": 0, "complaints": 0}

    for code, spec in OFFICES.items():
        office = offices.get(code)
        if office is None:
            continue
        services = _catalogue(office, spec, created)
        officers = list(
            Employee.objects.filter(office=office, is_active=True)
            .order_by("nip")
            .values_list("pk", flat=True)
        )
        _office_year(
            ctx,
            office=office,
            spec=spec,
            services=services,
            officers=officers,
            days=days,
            enrolled_on=enrolled.get(code),
            tz=tz,
            created=created,
        )

    ctx.created += sum(created.values())
    records = ServiceRecord.objects.filter(office__government=government)
    ctx.summary.counts[gettext_noop("Catatan layanan")] = records.count()
    ctx.summary.counts[gettext_noop("Jawaban SKM")] = SurveyResponse.objects.filter(
        office__government=government
    ).count()
    ctx.summary.counts[gettext_noop("Pengaduan")] = Complaint.objects.filter(
        office__government=government
    ).count()
    ctx.say(
        _("Layanan publik: {records} catatan, {answers} jawaban SKM, {complaints} pengaduan baru.").format(
            records=created["records"], answers=created["answers"], complaints=created["complaints"]
        )
    )


def _catalogue(office: Office, spec: DemoOffice, created: dict[str, int]) -> dict[str, Service]:
    existing = {s.code: s for s in Service.objects.filter(office=office)}
    new = [
        Service(office=office, code=s.code, name=s.name, order=index)
        for index, s in enumerate(spec.services)
        if s.code not in existing
    ]
    for service in new:
        service.full_clean(exclude=["office"], validate_unique=False, validate_constraints=False)
    Service.objects.bulk_create(new)
    created["services"] += len(new)
    return {s.code: s for s in Service.objects.filter(office=office)}


@dataclass(frozen=True, slots=True)
class _Record:
    """A generated service record, before it is written (times are naive UTC)."""

    service_id: int
    date: dt.date
    ticket: str
    arrival: dt.datetime
    called: dt.datetime
    finished: dt.datetime
    counter: str
    officer_id: int | None
    result: str


RECORD_COLUMNS = (
    "office", "service", "date", "ticket", "arrival", "called", "finished", "counter", "officer", "result",
    "source", "created_at", "updated_at",
)  # fmt: skip
ANSWER_COLUMNS = (
    "office", "service", "ticket", "ticket_date", "record", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8",
    "u9", "sex", "age", "education", "occupation", "suggestion", "channel", "submitted_at",
)  # fmt: skip


def _insert(model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """INSERT rows straight through the cursor, values already adapted for the database.

    A year of Disdukcapil is ~90 000 records; `bulk_create` spends most of a minute preparing values field
    by field, which `perjumpaan demo` (run by `make run`) cannot afford. The rows are built here from
    validated constants and generated numbers, and the database still checks every constraint.
    """
    from django.db import connection

    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(column).column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    table = quote(model._meta.db_table)
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608  # our own table and column names
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _stamp_adapter(connection: Any) -> Any:
    """How a naive UTC datetime goes to the database: SQLite stores it as Django does, as naive UTC text
    (what `adapt_datetimefield_value` makes of an aware one, at a fraction of the cost); other databases
    take it aware."""
    if connection.vendor == "sqlite":
        return str
    return lambda moment: moment.replace(tzinfo=dt.UTC)


def _office_year(
    ctx: DemoContext,
    *,
    office: Office,
    spec: DemoOffice,
    services: dict[str, Service],
    officers: list[int],
    days: list[dt.date],
    enrolled_on: dt.date | None,
    tz: Any,
    created: dict[str, int],
) -> None:
    from django.db import connection

    in_window = ServiceRecord.objects.filter(office=office, date__range=(days[0], days[-1]))
    per_day = dict(in_window.values("date").annotate(n=Count("pk")).order_by().values_list("date", "n"))
    existing = set(in_window.values_list("date", "ticket")) if per_day else set()
    answered = set(
        SurveyResponse.objects.filter(office=office, ticket_date__range=(days[0], days[-1])).values_list(
            "ticket_date", "ticket"
        )
    )
    complained = set(Complaint.objects.filter(office=office).values_list("reference", flat=True))
    letters = {s.code: chr(ord("A") + index) for index, s in enumerate(spec.services)}
    service_ids = {s.code: services[s.code].pk for s in spec.services}
    cumulative = list(itertools.accumulate(s.share for s in spec.services))
    total_weight = cumulative[-1]
    low, high = spec.volume
    average = (low + high) / 2
    span = high - low
    done, postponed, refused = (str(r) for r in ServiceRecord.Result)
    opening = dt.time(7, 30)
    second = dt.timedelta(seconds=1)

    new_records: list[_Record] = []
    planned_answers: list[tuple[_Record, dict[str, Any]]] = []
    planned_complaints: list[tuple[_Record, dict[str, Any]]] = []
    for day in days:
        # A generator per office and day: a day is drawn the same whatever else exists, and a day that
        # already has all its records is skipped without drawing the rest (a second run is quick).
        rng = ctx.rng(f"service.outcomes.{office.code}.{day.isoformat()}")
        after = enrolled_on is not None and day >= enrolled_on
        weekday = day.weekday()
        # Mondays are busiest and Fridays (shorter hours) quietest, always within the office's range.
        lo = low + (span * 0.4 if weekday == 0 else span * 0.1 if weekday in (1, 2) else 0)
        hi = high - (span * 0.55 if weekday == 4 else span * 0.1 if weekday == 3 else 0)
        volume = rng.randint(round(lo), round(hi))
        if per_day.get(day) == volume:
            continue
        load = volume / average
        wait_median = spec.wait_minutes * load**1.5 * (WAIT_FACTOR_AFTER if after else 1)
        # Times are whole seconds from the day's opening, kept as naive UTC until they are written.
        open_at = dt.datetime.combine(day, opening, tzinfo=tz).astimezone(dt.UTC).replace(tzinfo=None)
        offsets = sorted(rng.triangular(0, 420, 80) for _i in range(volume))
        numbers: dict[str, int] = {}
        for offset in offsets:
            service = spec.services[bisect.bisect(cumulative, rng.random() * total_weight)]
            numbers[service.code] = number = numbers.get(service.code, 0) + 1
            ticket = f"{letters[service.code]}{number:03d}"
            arrived = int(offset * 60)
            waited = int(min(max(wait_median * rng.lognormvariate(0, 0.55), 0.5), 240) * 60)
            served = int(min(max(service.minutes * rng.lognormvariate(0, 0.4), 1), 120) * 60)
            arrival = open_at + arrived * second
            called = arrival + waited * second
            finished = called + served * second
            roll = rng.random()
            record = _Record(
                service_ids[service.code],
                day,
                ticket,
                arrival,
                called,
                finished,
                str(rng.randint(1, spec.counters)),
                rng.choice(officers) if officers else None,
                done if roll < 0.92 else postponed if roll < 0.98 else refused,
            )
            if (day, ticket) not in existing:
                new_records.append(record)
            if rng.random() < spec.response_rate:
                answers = {code.lower(): _answer(rng, code, after) for code in ANSWERS}
                if all(value is None for value in answers.values()):
                    answers["u1"] = 3
                answer = {
                    **answers,
                    "sex": rng.choice("LP"),
                    "age": min(max(round(rng.gauss(38, 12)), 17), 80),
                    "education": _choose(rng, EDUCATION),
                    "occupation": _choose(rng, OCCUPATION),
                    "suggestion": rng.choice(SUGGESTIONS) if rng.random() < 0.12 else "",
                    "channel": "kiosk" if rng.random() < 0.25 else "qr",
                    "submitted_at": finished + int(rng.uniform(60, 1200)) * second,
                }
                if (day, ticket) not in answered:
                    planned_answers.append((record, answer))
            rate = COMPLAINT_RATE * (COMPLAINT_FACTOR_AFTER if after else 1)
            if rng.random() < rate:
                category = rng.choices(COMPLAINTS, [w for _c, w, _t in COMPLAINTS])[0]
                first = rng.lognormvariate(math.log(20), 0.8)
                details = {
                    "reference": _reference(rng),
                    "category": category[0],
                    "description": category[2],
                    "first_hours": first,
                    "close_hours": first + rng.lognormvariate(math.log(72), 0.7),
                    "rejected": rng.random() < 0.08,
                    "channel": rng.choice(["web", "web", "loket", "telepon", "medsos"]),
                    "handler": rng.choice(officers) if officers else None,
                }
                if details["reference"] not in complained:
                    planned_complaints.append((record, details))

    stamp = _stamp_adapter(connection)
    day_value = connection.ops.adapt_datefield_value
    source = str(ServiceRecord.Source.DEMO)
    _insert(
        ServiceRecord,
        RECORD_COLUMNS,
        [
            (
                office.pk,
                r.service_id,
                day_value(r.date),
                r.ticket,
                stamp(r.arrival),
                stamp(r.called),
                stamp(r.finished),
                r.counter,
                r.officer_id,
                r.result,
                source,
                stamp(r.finished),
                stamp(r.finished),
            )
            for r in new_records
        ],
    )
    created["records"] += len(new_records)
    ids = {
        (day, ticket): pk
        for day, ticket, pk in ServiceRecord.objects.filter(
            office=office, date__range=(days[0], days[-1])
        ).values_list("date", "ticket", "pk")
    }
    _insert(
        SurveyResponse,
        ANSWER_COLUMNS,
        [
            (
                office.pk,
                r.service_id,
                r.ticket,
                day_value(r.date),
                ids.get((r.date, r.ticket)),
                *(a[f"u{i}"] for i in range(1, 10)),
                a["sex"],
                a["age"],
                a["education"],
                a["occupation"],
                a["suggestion"],
                a["channel"],
                stamp(a["submitted_at"]),
            )
            for r, a in planned_answers
        ],
    )
    created["answers"] += len(planned_answers)
    _complaints(office, planned_complaints, created)


def _complaints(
    office: Office, planned: list[tuple[_Record, dict[str, Any]]], created: dict[str, int]
) -> None:
    # Complaints still open at the end of the window are the recent ones.
    end = dt.datetime.combine(LAST_DAY, dt.time(16, 0), tzinfo=zone(office.government.time_zone))
    complaints: list[Complaint] = []
    updates: list[tuple[int, list[ComplaintUpdate]]] = []
    for record, details in planned:
        received = record.finished.replace(tzinfo=dt.UTC) + dt.timedelta(minutes=30)
        first = received + dt.timedelta(hours=details["first_hours"])
        close = received + dt.timedelta(hours=details["close_hours"])
        status = Complaint.Status.RECEIVED
        first_at = closed_at = None
        steps: list[ComplaintUpdate] = []
        if first <= end:
            status, first_at = Complaint.Status.IN_PROGRESS, first
            steps.append(
                ComplaintUpdate(
                    at=first,
                    status_from=Complaint.Status.RECEIVED,
                    status_to=Complaint.Status.IN_PROGRESS,
                    note="Terima kasih, pengaduan Anda sedang kami periksa.",
                )
            )
        if close <= end and first_at is not None:
            status = Complaint.Status.REJECTED if details["rejected"] else Complaint.Status.RESOLVED
            closed_at = close
            note = (
                "Pengaduan di luar kewenangan kami; sudah kami teruskan."
                if details["rejected"]
                else "Sudah kami tindak lanjuti. Mohon maaf atas ketidaknyamanannya."
            )
            steps.append(
                ComplaintUpdate(
                    at=close, status_from=Complaint.Status.IN_PROGRESS, status_to=status, note=note
                )
            )
        complaints.append(
            Complaint(
                office=office,
                service_id=record.service_id,
                reference=details["reference"],
                category=details["category"],
                channel=details["channel"],
                description=details["description"],
                status=status,
                handler_id=details["handler"],
                received_at=received,
                first_response_at=first_at,
                closed_at=closed_at,
            )
        )
        updates.append((len(complaints) - 1, steps))
    Complaint.objects.bulk_create(complaints, batch_size=500)
    pks = dict(
        Complaint.objects.filter(reference__in=[c.reference for c in complaints]).values_list(
            "reference", "pk"
        )
    )
    rows = []
    for index, steps in updates:
        for step in steps:
            step.complaint_id = pks[complaints[index].reference]
            rows.append(step)
    ComplaintUpdate.objects.bulk_create(rows, batch_size=500)
    created["complaints"] += len(complaints)
