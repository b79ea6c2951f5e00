"""`perjumpaan demo [--if-empty]`: load the demo data and show the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from perjumpaan.org.demo import DemoSummary, database_has_data, demo_load


class Command(BaseCommand):
    help = (
        "Memuat data demo (Pemerintah Kabupaten Lombok Barat, perangkat daerah, pegawai, satu akun demo "
        "per peran). Aman dijalankan berulang: yang sudah ada tidak diubah."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Jangan memuat apa pun bila basis data sudah berisi pemerintah daerah.",
        )

    def handle(self, *args: Any, if_empty: bool = False, verbosity: int = 1, **options: Any) -> None:
        if if_empty and database_has_data():
            self.stdout.write(_("Basis data sudah berisi data; data demo tidak dimuat."))
            return
        summary = demo_load(stdout=self.stdout if verbosity > 1 else None)
        self.show(summary)

    def show(self, summary: DemoSummary) -> None:
        out = self.stdout
        out.write(_("Data demo: {government}").format(government=summary.government))
        labels = {_(label): count for label, count in summary.counts.items()}
        width = max(map(len, labels), default=0)
        for label, count in labels.items():
            out.write(f"  {label:<{width}}  {count:>5}")

        out.write("")
        out.write(_("Akun demo:"))
        header = (_("Nama pengguna"), _("Peran"), _("Nama"), _("Kata sandi"))
        rows = [(login.username, _(login.role), login.name, summary.password) for login in summary.logins]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
        for *cells, last in [header, *rows]:
            out.write(
                "  " + "".join(f"{cell:<{width}}  " for cell, width in zip(cells, widths, strict=True)) + last
            )

        note = _(
            "Akun demo hanya bisa dipakai selama PERJUMPAAN_DEBUG menyala; bila PERJUMPAAN_DEBUG=false, "
            "akun demo ditolak."
        )
        out.write(note if settings.DEBUG else self.style.WARNING(note))
        if summary.created:
            out.write(
                self.style.SUCCESS(_("Data demo dimuat: {count} baris baru.").format(count=summary.created))
            )
        else:
            out.write(self.style.SUCCESS(_("Data demo sudah lengkap; tidak ada yang diubah.")))
