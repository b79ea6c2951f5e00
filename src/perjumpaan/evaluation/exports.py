"""The Friday evaluation out of the system: the reminder as a WhatsApp message, the weekly report (A4 PDF)
for the head of office, and the week's data as XLSX — all built from one `WeekSummary`, so they say the
same thing as the page, and none of them names a peer or shows a response's time."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _

from perjumpaan.core.charts import format_number, format_percent
from perjumpaan.core.pdf import letterhead, render_pdf
from perjumpaan.core.scoping import scoped
from perjumpaan.core.timeutil import format_date, format_time, zone
from perjumpaan.evaluation import selectors
from perjumpaan.evaluation.figures import summary_trend_chart
from perjumpaan.evaluation.models import Item, Response, Round
from perjumpaan.evaluation.scores import OVERALL, THRESHOLD, Score
from perjumpaan.evaluation.selectors import (
    COLUMNS,
    RATING_PARTS,
    WeekSummary,
    part_label,
    part_short_label,
)
from perjumpaan.evaluation.weeks import week_number, week_period
from perjumpaan.org.models import Employee, Office, Role

WEEKLY_REPORT_TEMPLATE = "evaluation/pdf/weekly_report.typ"
# Open answers printed per question; the rest are in the XLSX.
REPORT_OPEN_ANSWERS = 8


def score_text(score: Score | None, decimals: int = 2) -> str:
    """ "3,67"; "–" for nothing; "< 3" when withheld (fewer than three raters)."""
    if score is None or (score.mean is None and not score.withheld):
        return "–"
    if score.mean is None:
        return _("< {n} penilai").format(n=THRESHOLD)
    return format_number(score.mean, decimals)


def change_text(value: Any) -> str:
    if value is None:
        return "–"
    text = format_number(value, 2)
    return text if text.startswith("-") or text == "0,00" else "+" + text


# --- WhatsApp reminder -----------------------------------------------------------------------------------


def whatsapp_number(phone: str) -> str:
    """An Indonesian mobile number as wa.me wants it: 0812… or +62 812… → 62812…; "" when unusable."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits if 9 <= len(digits) <= 15 else ""


def reminder_text(*, pending: selectors.Pending, round_: Round, fill_url: str) -> str:
    employee = pending.employee
    tz = zone(round_.office.government.time_zone)
    closes = round_.closes_at.astimezone(tz)
    greeting = _("Assalamu'alaikum") if employee.track == Employee.Track.ISLAM else _("Salam sejahtera")
    title = _("Ibu") if employee.gender == Employee.Gender.FEMALE else _("Bapak")
    parts = []
    if pending.self_pending:
        parts.append(_("penilaian diri"))
    if pending.peers:
        parts.append(_("{n} penilaian rekan").format(n=pending.peers))
    if pending.team:
        parts.append(_("{n} penilaian anggota tim").format(n=pending.team))
    return "\n".join(
        [
            _("{greeting}, {title} {name}.").format(greeting=greeting, title=title, name=employee.name),
            _("Evaluasi Jumat pekan {period} belum selesai Anda isi: {parts}.").format(
                period=week_period(round_.week), parts=", ".join(parts)
            ),
            _("Silakan isi di {url} sebelum {day} pukul {time} {zone}.").format(
                url=fill_url,
                day=format_date(closes.date()),
                time=format_time(closes, tz),
                zone=closes.tzname(),
            ),
            _("Penilaian rekan bersifat anonim. Terima kasih."),
        ]
    )


def whatsapp_link(phone: str, text: str) -> str:
    """A wa.me link that opens the chat with this number (or the chat picker) with `text` typed in."""
    return f"https://wa.me/{whatsapp_number(phone)}?text=" + quote(text, safe="")


# --- The weekly report (A4 PDF) ---------------------------------------------------------------------------


def _place(office: Office) -> str:
    """Where the report is signed: the regency or city, from the government's name."""
    name = office.government.name
    for prefix in ("Pemerintah ", "Kabupaten ", "Kota ", "Provinsi "):
        name = name.removeprefix(prefix)
    return name


def head_title(office: Office, position: str) -> str:
    """The head's title with the office: "Kepala Dinas" of "Dinas Kesehatan" → "Kepala Dinas Kesehatan"."""
    if not position:
        return _("Kepala {office}").format(office=office.name)
    if office.name.lower() in position.lower():
        return position
    first, _sep, rest = office.name.partition(" ")
    if rest and (position.split()[-1].lower() == first.lower() or first.lower() == "kecamatan"):
        return f"{position} {rest}"
    return f"{position} {office.name}"


def _coordinator(office: Office, user: Any) -> tuple[str, str]:
    """The coordinator who reports (the user printing, if they coordinate the office): name and NIP."""
    if (
        getattr(user, "pk", None) is None
        or not Role.objects.filter(user=user, kind=Role.Kind.COORDINATOR, office=office).exists()
    ):
        role = (
            Role.objects.filter(kind=Role.Kind.COORDINATOR, office=office)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if role is None:
            return "", ""
        user = role.user
    employee = Employee.objects.filter(user=user, is_active=True).first()
    name = employee.name if employee else (user.get_full_name() or user.get_username())
    return name, employee.nip if employee else ""


def report_data(*, user: Any, summary: WeekSummary) -> dict[str, Any]:
    """What the Typst template reads (see core/pdf)."""
    office = summary.office
    tz = zone(office.government.time_zone)
    now = timezone.now().astimezone(tz)
    round_ = summary.round
    status = _("Belum ada putaran evaluasi pada pekan ini.")
    if round_ is not None:
        closes = round_.closes_at.astimezone(tz)
        closing = _("{day} pukul {time} {zone}").format(
            day=format_date(closes.date()), time=format_time(closes, tz), zone=closes.tzname()
        )
        status = (
            _("Putaran ditutup {when}.").format(when=closing)
            if summary.is_closed
            else _("Putaran masih terbuka sampai {when}; skor tampil setelah ditutup.").format(when=closing)
        )
    head = selectors.office_head(office=office)
    coordinator_name, coordinator_nip = _coordinator(office, user)
    attendance = summary.attendance
    values = [
        {
            "group": row.info.group,
            "cells": [
                row.info.name,
                *(score_text(row.scores[column]) for column in COLUMNS),
                score_text(row.previous) if summary.previous_week else "–",
                change_text(row.change),
            ],
        }
        for row in summary.values
    ]
    chart_svg = ""
    if len(summary.trend) > 1:
        chart_svg = summary_trend_chart(summary.trend, size=(7.0, 2.7)).svg_paths()
    questions: list[selectors.OpenQuestion | None] = [*summary.open_questions, None, None]
    good, improve = questions[0], questions[1]

    def answers(question: selectors.OpenQuestion | None) -> dict[str, Any]:
        if question is None:
            return {"title": "", "answers": [], "more": ""}
        shown = question.answers[:REPORT_OPEN_ANSWERS]
        rest = len(question.answers) - len(shown)
        return {
            "title": question.name,
            "answers": shown,
            "more": _("… dan {n} jawaban lain (lihat data XLSX).").format(n=rest) if rest > 0 else "",
            "empty": _("Tidak ada jawaban."),
        }

    return {
        "title": _("Laporan Evaluasi Jumat {office} pekan {week}").format(
            office=office.code, week=summary.week
        ),
        "letterhead": letterhead(office=office),
        "footer": _("Dicetak dari Perjumpaan, {date} pukul {time} {zone}").format(
            date=format_date(now.date()), time=format_time(now, tz), zone=now.tzname()
        ),
        "heading": _("Laporan Evaluasi Jumat"),
        "subheading": _("Sekolah Perjumpaan · Pekan {number} ({period})").format(
            number=week_number(summary.week), period=week_period(summary.week)
        ),
        "status": status,
        "has_results": summary.has_results,
        "labels": {
            "participation": _("1. Partisipasi"),
            "attendance": _("2. Kehadiran perjumpaan pekan ini"),
            "scores": _("3. Skor nilai (skala 1–5)"),
            "units": _("Skor penilaian rekan per unit"),
            "open": _("4. Suara pegawai"),
            "narratives": _("5. Catatan fasilitator"),
            "actions": _("6. Tindak lanjut"),
            "part": _("Bagian"),
            "filled": _("Diisi"),
            "expected": _("Diharapkan"),
            "share": _("Persentase"),
            "value": _("Nilai"),
            "previous": _("Pekan lalu"),
            "change": _("Perubahan"),
            "unit": _("Unit"),
            "subjects": _("Dinilai"),
            "raters": _("Penilai"),
            "score": _("Skor"),
            "action": _("Tindak lanjut"),
            "owner": _("Penanggung jawab"),
            "due": _("Tenggat"),
            "status": _("Status"),
            "no_actions": _("Belum ada tindak lanjut."),
            "no_narrative": _("Belum ada catatan fasilitator."),
            "berakhlak": _("Nilai dasar ASN BerAKHLAK"),
            "program": _("Tujuan Sekolah Perjumpaan"),
            "overall": _("Rata-rata semua nilai"),
            "no_results": _("Skor dan jawaban terbuka belum tersedia."),
        },
        "columns": [part_short_label(column) for column in COLUMNS],
        "participation": [
            [p.label, str(p.done), str(p.expected), format_percent(p.share) if p.share is not None else "–"]
            for p in summary.participation
        ]
        + (
            [
                [
                    _("Catatan fasilitator"),
                    str(len(summary.narratives)),
                    str(summary.facilitators),
                    format_percent(min(1, len(summary.narratives) / summary.facilitators))
                    if summary.facilitators
                    else "–",
                ]
            ]
            if round_ is not None
            else []
        ),
        "attendance": {
            "rate": format_percent(attendance.rate, 1) if attendance and attendance.rate is not None else "–",
            "line": _(
                "{present} kehadiran dari {expected} yang diharapkan (tidak termasuk cuti dan dinas luar); "
                "tanpa keterangan: {tk}."
            ).format(
                present=attendance.present,
                expected=attendance.expected - attendance.excused,
                tk=attendance.counts.get("TK", 0),
            )
            if attendance
            else _("Belum ada perjumpaan pekan ini yang presensinya ditutup."),
        },
        "values": values,
        "overall": [
            _("Rata-rata semua nilai"),
            *(score_text(summary.overall.get(column)) for column in COLUMNS),
            "",
            "",
        ],
        "chart_svg": chart_svg,
        "units": [[u.label, str(u.subjects), str(u.raters), score_text(u.score)] for u in summary.units],
        "units_note": _(
            "Unit dengan kurang dari {n} orang dinilai atau {n} penilai digabung dengan unit lain."
        ).format(n=THRESHOLD)
        if summary.units_withheld
        else "",
        "good": answers(good),
        "improve": answers(improve),
        "narratives": [
            {"author": n.author.get_full_name() or n.author.get_username(), "text": n.text}
            for n in summary.narratives
        ],
        "actions": [
            [
                a.text,
                a.owner.name if a.owner else "–",
                format_date(a.due_on, weekday=False) if a.due_on else "–",
                a.get_status_display(),
            ]
            for a in summary.actions
        ],
        "anonymity": _(
            "Penilaian rekan bersifat anonim: skor hanya ditampilkan sebagai rata-rata dari sedikitnya {n} "
            "penilai; tanda “< {n} penilai” berarti skor disembunyikan."
        ).format(n=THRESHOLD),
        "signature": {
            "place_date": _("{place}, {date}").format(
                place=_place(office), date=format_date(now.date(), weekday=False)
            ),
            "left_heading": _("Dilaporkan oleh,"),
            "left_role": _("Koordinator Sekolah Perjumpaan"),
            "left_name": coordinator_name,
            "left_nip": _("NIP. {nip}").format(nip=coordinator_nip) if coordinator_nip else "",
            "right_heading": _("Mengetahui,"),
            "right_role": head_title(office, head.position if head else ""),
            "right_name": head.name if head else "",
            "right_nip": _("NIP. {nip}").format(nip=head.nip) if head else _("NIP."),
        },
    }


def weekly_report_pdf(*, user: Any, office: Office, week: str) -> bytes:
    """The week's evaluation report on A4, for the coordinator to hand to the head of office."""
    summary = selectors.week_summary(user=user, office=office, week=week)
    return render_pdf(WEEKLY_REPORT_TEMPLATE, report_data(user=user, summary=summary))


# --- The week's data as XLSX -------------------------------------------------------------------------------


def _sheet(workbook: Any, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in header]
    for row_number, row in enumerate(rows, start=2):
        for index, value in enumerate(row):
            cell = sheet.cell(row=row_number, column=index + 1)
            if isinstance(value, str):
                cell.value = value
                # Never a formula, whatever the text begins with (a comment starting with "=").
                cell.data_type = "s"
            else:
                cell.value = value
            widths[index] = max(widths[index], min(len(str(value)), 80))
    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width + 2, 8), 80)
    sheet.freeze_panes = "A2"


def _number(score: Score | None) -> object:
    if score is None or score.mean is None:
        return ""
    return round(float(score.mean), 4)


def weekly_data_xlsx(*, user: Any, office: Office, week: str) -> bytes:
    """The week as a workbook: summary, scores per value and part, peer scores by unit, the answers
    without anybody's identity (one row per item answered, grouped under a code that is random and new in
    every file), the open answers, the follow-up actions.

    Before a round closes, only participation is included. Answers of a part are included only when
    that part's office score is shown (at least three raters)."""
    from openpyxl import Workbook

    summary = selectors.week_summary(user=user, office=office, week=week)
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    closed = summary.is_closed
    facts: list[list[object]] = [
        [_("Perangkat daerah"), f"{office.code} · {office.name}"],
        [_("Pekan"), f"{summary.week} ({week_period(summary.week)})"],
        [
            _("Status"),
            _("Ditutup") if closed else (_("Terbuka") if summary.round else _("Tidak ada putaran")),
        ],
        [_("Ambang anonimitas"), _("Skor ditampilkan bila sedikitnya {n} penilai.").format(n=THRESHOLD)],
    ]
    facts += [
        [_("Partisipasi: {part}").format(part=p.label), f"{p.done}/{p.expected}"]
        for p in summary.participation
    ]
    _sheet(workbook, _("Ringkasan"), [_("Keterangan"), _("Isi")], facts)

    score_rows: list[list[object]] = []
    for row in summary.values:
        for column in COLUMNS:
            score = row.scores[column]
            score_rows.append(
                [
                    row.info.code,
                    row.info.name,
                    part_label(column),
                    score.responses,
                    score.raters,
                    _number(score),
                ]
            )
    for column in COLUMNS:
        overall = summary.overall.get(column)
        if overall is not None:
            score_rows.append(
                [
                    OVERALL,
                    _("Rata-rata semua nilai"),
                    part_label(column),
                    overall.responses,
                    overall.raters,
                    _number(overall),
                ]
            )
    _sheet(
        workbook,
        _("Skor nilai"),
        [
            _("Kode nilai"),
            _("Nilai"),
            _("Bagian"),
            _("Jawaban"),
            _("Penilai"),
            _("Skor (kosong: disembunyikan)"),
        ],
        score_rows,
    )
    _sheet(
        workbook,
        _("Rekan per unit"),
        [_("Unit"), _("Dinilai"), _("Penilai"), _("Skor rekan")],
        [[u.label, u.subjects, u.raters, _number(u.score)] for u in summary.units],
    )

    answer_rows: list[list[object]] = []
    if closed and summary.round is not None:
        round_ = summary.round
        shown_parts = [
            part
            for part in RATING_PARTS
            if summary.overall.get(part) and summary.overall[part].mean is not None
        ]
        items = {
            item.pk: item
            for item in Item.objects.filter(version=round_.instrument_version, kind=Item.Kind.SCALE)
        }
        # Random keys in random order: the row order and the codes say nothing of who answered, or when.
        responses = (
            scoped(user, Response.objects.filter(round=round_, part__in=shown_parts))
            .order_by("pk")
            .values_list("part", "scores")
        )
        for number, (part, scores) in enumerate(responses, start=1):
            code = f"J{number:04d}"
            for key, value in sorted(
                scores.items(), key=lambda kv: items[int(kv[0])].order if int(kv[0]) in items else 0
            ):
                item = items.get(int(key))
                if item is None:
                    continue
                answer_rows.append(
                    [summary.week, part_label(part), code, item.value_code, item.order, item.text, value]
                )
    _sheet(
        workbook,
        _("Jawaban (anonim)"),
        [_("Pekan"), _("Bagian"), _("Kode jawaban"), _("Kode nilai"), _("Butir"), _("Pernyataan"), _("Skor")],
        answer_rows,
    )
    _sheet(
        workbook,
        _("Jawaban terbuka"),
        [_("Pertanyaan"), _("Jawaban")],
        [[q.question, answer] for q in summary.open_questions for answer in q.answers],
    )
    _sheet(
        workbook,
        _("Tindak lanjut"),
        [_("Tindak lanjut"), _("Penanggung jawab"), _("Tenggat"), _("Status"), _("Disepakati"), _("Ditutup")],
        [
            [
                a.text,
                a.owner.name if a.owner else "",
                a.due_on.isoformat() if a.due_on else "",
                a.get_status_display(),
                a.week_opened,
                a.week_closed,
            ]
            for a in summary.actions
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
