"""`perjumpaan weekly_report --office CODE --week YYYY-Www --output FILE.pdf`: the weekly report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.commands import office_by_code
from perjumpaan.evaluation.exports import weekly_report_pdf
from perjumpaan.evaluation.selectors import OPERATOR
from perjumpaan.evaluation.weeks import parse_week

BAD_WEEK = gettext_noop("--week: {value!r} bukan pekan ISO yang sah (contoh: 2026-W48).")
CANNOT_WRITE = gettext_noop("Tidak dapat menulis {path}: {reason}")


class Command(BaseCommand):
    help = gettext_noop(
        "Tulis laporan evaluasi Jumat satu perangkat daerah untuk satu pekan sebagai PDF A4 (kop surat, "
        "partisipasi, kehadiran, skor nilai dengan grafik tren, tindak lanjut, tanda tangan kepala)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", required=True, metavar="CODE", help=_("Kode perangkat daerah."))
        parser.add_argument(
            "--week", required=True, metavar="YYYY-Www", help=_("Pekan ISO, misalnya 2026-W48.")
        )
        parser.add_argument("--output", required=True, metavar="FILE.pdf", help=_("Berkas PDF tujuan."))

    def handle(self, *args: Any, **options: Any) -> None:
        office = office_by_code(options["office"])
        week = parse_week(options["week"].strip().upper())
        if week is None:
            raise CommandError(_(BAD_WEEK).format(value=options["week"]))
        path = Path(options["output"])
        # The server's operator prints on nobody's behalf: every office, as the admin would see it.
        pdf = weekly_report_pdf(user=OPERATOR, office=office, week=week)
        try:
            path.write_bytes(pdf)
        except OSError as error:
            raise CommandError(_(CANNOT_WRITE).format(path=path, reason=error.strerror or error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Laporan {office} pekan {week} ditulis ke {path} ({size} KB).").format(
                    office=office.code, week=week, path=path, size=max(1, len(pdf) // 1024)
                )
            )
        )
