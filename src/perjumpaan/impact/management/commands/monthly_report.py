"""`perjumpaan monthly_report --month YYYY-MM --output FILE.pdf`: the monthly report to the Bupati."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.evaluation.selectors import OPERATOR
from perjumpaan.impact.exports import ReportError, monthly_report_pdf
from perjumpaan.impact.forms import parse_month
from perjumpaan.org.models import Government

BAD_MONTH = gettext_noop("--month: {value!r} bukan bulan yang sah (contoh: 2026-11).")
UNKNOWN_GOVERNMENT = gettext_noop("--government: tidak ada pemerintah daerah dengan kode {value!r}.")
CANNOT_WRITE = gettext_noop("Tidak dapat menulis {path}: {reason}")


class Command(BaseCommand):
    help = gettext_noop(
        "Tulis laporan bulanan Sekolah Perjumpaan untuk pimpinan daerah sebagai PDF A4: yang sudah dan "
        "belum diketahui, perluasan program, kehadiran, evaluasi Jumat, layanan publik, dan dampak program."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, metavar="YYYY-MM", help=_("Bulan, misalnya 2026-11."))
        parser.add_argument("--output", required=True, metavar="FILE.pdf", help=_("Berkas PDF tujuan."))
        parser.add_argument(
            "--government",
            metavar="SLUG",
            help=_("Kode pemerintah daerah (wajib bila ada lebih dari satu)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        month = parse_month(options["month"])
        if month is None:
            raise CommandError(_(BAD_MONTH).format(value=options["month"]))
        government = None
        if options.get("government"):
            government = Government.objects.filter(slug=options["government"]).first()
            if government is None:
                raise CommandError(_(UNKNOWN_GOVERNMENT).format(value=options["government"]))
        path = Path(options["output"])
        try:
            # The server's operator prints on nobody's behalf: every office, as the admin would see it.
            pdf = monthly_report_pdf(user=OPERATOR, month=month, government=government)
        except ReportError as error:
            raise CommandError(str(error)) from None
        try:
            path.write_bytes(pdf)
        except OSError as error:
            raise CommandError(_(CANNOT_WRITE).format(path=path, reason=error.strerror or error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Laporan bulanan {month} ditulis ke {path} ({size} KB).").format(
                    month=f"{month:%Y-%m}", path=path, size=max(1, len(pdf) // 1024)
                )
            )
        )
