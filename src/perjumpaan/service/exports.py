"""What the service pages hand out: spreadsheets (CSV, XLSX) and PDFs (the QR poster, the infographic)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from perjumpaan.core.pdf import letterhead, qr_svg, render_pdf
from perjumpaan.core.spreadsheet import Format, table_bytes
from perjumpaan.core.timeutil import format_date
from perjumpaan.org.models import Office
from perjumpaan.service.figures import WEIGHT_LABELS, elements_chart
from perjumpaan.service.ikm import IkmResult, round_half_up
from perjumpaan.service.models import Complaint, Service
from perjumpaan.service.selectors import Bucket, IkmSummary, ServiceMetrics, office_today

POSTER_TEMPLATE = "service/pdf/poster.typ"
INFOGRAPHIC_TEMPLATE = "service/pdf/infographic.typ"


def _minutes(seconds: float | None) -> Decimal | None:
    return None if seconds is None else round_half_up(seconds / 60, 1)


def _share(value: float | None) -> Decimal | None:
    return None if value is None else round_half_up(value * 100, 1)


def metrics_header() -> list[str]:
    return [
        _("Layanan"),
        _("Periode"),
        _("Dari"),
        _("Sampai"),
        _("Jumlah layanan"),
        _("Hari pelayanan"),
        _("Rata-rata per hari"),
        _("Tunggu median (menit)"),
        _("Tunggu P90 (menit)"),
        _("Layanan median (menit)"),
        _("Layanan P90 (menit)"),
        _("Selesai hari itu (%)"),
    ]


def _metrics_row(service: str, bucket: Bucket) -> list[Any]:
    per_day = bucket.volume_per_day
    return [
        service,
        bucket.label,
        bucket.start,
        bucket.end,
        bucket.volume,
        bucket.days_served,
        None if per_day is None else round_half_up(per_day, 1),
        _minutes(bucket.wait.median),
        _minutes(bucket.wait.p90),
        _minutes(bucket.service.median),
        _minutes(bucket.service.p90),
        _share(bucket.same_day_share),
    ]


def metrics_rows(metrics: ServiceMetrics, *, service: Service | None = None) -> list[list[Any]]:
    """Each bucket of the period, the period's total, then each service's total."""
    everyone = service.name if service else _("Semua layanan")
    rows = [_metrics_row(everyone, bucket) for bucket in metrics.buckets]
    rows.append(_metrics_row(everyone, metrics.total))
    if service is None:
        rows.extend(_metrics_row(s.name, bucket) for s, bucket in metrics.per_service)
    return rows


def metrics_export_bytes(metrics: ServiceMetrics, *, fmt: Format, service: Service | None = None) -> bytes:
    return table_bytes(fmt, metrics_header(), metrics_rows(metrics, service=service), title=_("Layanan"))


def ikm_header() -> list[str]:
    return [_("Layanan"), _("Periode"), _("Unsur"), _("Nama unsur"), _("Jumlah jawaban"), _("NRR"), _("Mutu")]


def _ikm_rows(name: str, period_label: str, result: IkmResult) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for element in result.elements:
        nrr = element.nrr
        rows.append(
            [
                name,
                period_label,
                element.code,
                element.name,
                element.count,
                None if nrr is None else round_half_up(nrr, 4),
                element.mutu.code if element.mutu else "",
            ]
        )
    ikm, mutu = result.ikm, result.mutu
    rows.append(
        [
            name,
            period_label,
            "IKM",
            _("n = {n}, bobot {weight}").format(n=result.n, weight=WEIGHT_LABELS[result.weight]),
            result.n,
            ikm,
            mutu.code if mutu else "",
        ]
    )
    return rows


def ikm_export_bytes(
    summary: IkmSummary, by_service: Iterable[tuple[Service, IkmResult]], *, fmt: Format
) -> bytes:
    rows = _ikm_rows(_("Semua layanan"), summary.period.label, summary.result)
    for service, result in by_service:
        rows.extend(_ikm_rows(service.name, summary.period.label, result))
    return table_bytes(fmt, ikm_header(), rows, title="IKM")


def complaints_export_bytes(complaints: Iterable[Complaint], *, fmt: Format) -> bytes:
    header = [
        _("Nomor"),
        _("Diterima"),
        _("Saluran"),
        _("Kategori"),
        _("Layanan"),
        _("Status"),
        _("Tanggapan pertama (jam)"),
        _("Ditutup dalam (jam)"),
        _("Isi pengaduan"),
    ]
    rows = []
    for complaint in complaints:
        first, close = complaint.time_to_first_response, complaint.time_to_close
        rows.append(
            [
                complaint.reference,
                timezone.localtime(complaint.received_at).replace(tzinfo=None),
                complaint.get_channel_display(),
                complaint.get_category_display(),
                complaint.service.name if complaint.service else "",
                complaint.get_status_display(),
                None if first is None else round_half_up(first.total_seconds() / 3600, 1),
                None if close is None else round_half_up(close.total_seconds() / 3600, 1),
                complaint.description,
            ]
        )
    # Contacts are personal data: they stay in the application and are not exported.
    return table_bytes(fmt, header, rows, title=_("Pengaduan"))


# --- PDFs -------------------------------------------------------------------------------------------


def poster_pdf(office: Office, *, survey_url: str, complaint_url: str) -> bytes:
    """The A4 poster for the counter: a large QR code to the SKM form, and a small one for complaints."""
    data = {
        "title": _("Survei Kepuasan Masyarakat"),
        "letterhead": letterhead(office=office),
        "footer": _("Dicetak dari Perjumpaan · {date}").format(date=format_date(office_today(office))),
        "heading": _("Bagaimana pelayanan kami hari ini?"),
        "lead": _("Bantu kami menjadi lebih baik. Isi Survei Kepuasan Masyarakat lewat ponsel Anda."),
        "qr_svg": qr_svg(survey_url),
        "url": survey_url,
        "steps": [
            _("Pindai kode QR dengan kamera ponsel."),
            _("Jawab sembilan pertanyaan singkat (sekitar dua menit)."),
            _("Tanpa nama, tanpa NIK. Nomor antrian boleh diisi, boleh tidak."),
        ],
        "complaint_heading": _("Ada keluhan?"),
        "complaint_text": _("Sampaikan pengaduan Anda; kami menanggapi setiap pengaduan."),
        "complaint_qr_svg": qr_svg(complaint_url),
        "complaint_url": complaint_url,
        "basis": _("Survei sesuai Peraturan Menteri PANRB No. 14 Tahun 2017."),
    }
    return render_pdf(POSTER_TEMPLATE, data)


def infographic_pdf(summary: IkmSummary, *, url: str) -> bytes:
    """The SKM result of a period on one A4 page: IKM, mutu, n and the nine elements."""
    result = summary.result
    office = summary.office
    mutu = result.mutu
    chart = elements_chart(result, size=(7.0, 3.9))
    data = {
        "title": _("Hasil Survei Kepuasan Masyarakat"),
        "letterhead": letterhead(office=office),
        "footer": _("Dicetak dari Perjumpaan · {date}").format(date=format_date(office_today(office))),
        "period": summary.period.label,
        "ikm_label": _("Indeks Kepuasan Masyarakat"),
        "ikm": "–" if result.ikm is None else _number(result.ikm, 2),
        "mutu": mutu.code if mutu else "–",
        "kinerja": mutu.label if mutu else _("Belum dapat dihitung"),
        "mutu_label": _("Mutu pelayanan"),
        "facts": [
            [_("Responden (n)"), _number(result.n)],
            [
                _("Jumlah layanan pada periode ini"),
                "–" if result.population is None else _number(result.population),
            ],
            [
                _("Sampel minimum (Krejcie–Morgan)"),
                "–" if result.minimum_sample is None else _number(result.minimum_sample),
            ],
            [_("Bobot per unsur"), WEIGHT_LABELS[result.weight]],
        ],
        "warning": _("Jumlah responden di bawah sampel minimum; hasil belum mewakili.")
        if result.sample_too_small
        else "",
        "chart_svg": chart.svg_paths(),
        "elements_label": _("Unsur"),
        "nrr_label": _("NRR"),
        "answers_label": _("Jawaban"),
        "elements": [
            [
                e.code,
                e.name,
                _number(e.count),
                "–" if e.nrr is None else _number(e.nrr, 2),
                e.mutu.code if e.mutu else "–",
            ]
            for e in result.elements
        ],
        "basis": _("Dihitung sesuai Peraturan Menteri PANRB No. 14 Tahun 2017. Isi survei: {url}").format(
            url=url
        ),
    }
    return render_pdf(INFOGRAPHIC_TEMPLATE, data)


def _number(value: Any, decimals: int = 0) -> str:
    from perjumpaan.core.charts import format_number

    return format_number(value, decimals)
