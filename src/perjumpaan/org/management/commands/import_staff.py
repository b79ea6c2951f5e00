"""`perjumpaan import_staff FILE --office CODE [--dry-run]`: create and update an office's employees."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.spreadsheet import SpreadsheetError
from perjumpaan.org.management.commands._office import resolve_office
from perjumpaan.org.services import staff_import
from perjumpaan.org.staff_table import read_staff_path

IMPORT_REFUSED = gettext_noop(
    "Impor dibatalkan: {rows} baris bermasalah ({problems} masalah); tidak ada data yang disimpan."
)
DRY_RUN_REFUSED = gettext_noop(
    "Uji coba: {rows} baris bermasalah ({problems} masalah); berkas ini akan ditolak."
)


class Command(BaseCommand):
    help = gettext_noop(
        "Mengimpor daftar pegawai satu perangkat daerah dari berkas .xlsx atau .csv (pemisah koma atau titik "
        "koma). Pegawai dicocokkan dengan NIP: NIP baru ditambahkan, NIP yang ada diperbarui; semua atau "
        "tidak sama sekali. Pegawai yang tidak ada di berkas TIDAK dinonaktifkan (itu tindakan tersendiri). "
        "Mengimpor berkas yang sama dua kali tidak mengubah apa pun."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help=_("Berkas .xlsx atau .csv daftar pegawai."))
        parser.add_argument(
            "--office", required=True, metavar="CODE", help=_("Kode perangkat daerah, misalnya DUKCAPIL.")
        )
        parser.add_argument(
            "--government",
            metavar="SLUG",
            help=_("Kode pemda, bila kode perangkat daerah dipakai di beberapa pemda."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Periksa berkas dan tampilkan hasilnya tanpa menyimpan apa pun."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        office = resolve_office(options["office"], options.get("government"))
        try:
            table = read_staff_path(options["file"])
        except SpreadsheetError as error:
            raise CommandError(str(error)) from None

        result = staff_import(actor=None, office=office, table=table, dry_run=options["dry_run"])
        for column in result.ignored_columns:
            self.stderr.write(_("Kolom diabaikan: {column}").format(column=column))
        if result.errors:
            for row_error in result.errors:
                self.stderr.write(str(row_error))
            message = DRY_RUN_REFUSED if options["dry_run"] else IMPORT_REFUSED
            raise CommandError(_(message).format(rows=result.error_rows, problems=len(result.errors)))

        if options["dry_run"]:
            self.stdout.write(
                _("Uji coba, tidak ada yang disimpan: {summary}").format(summary=result.summary())
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Impor {office} selesai: {summary}").format(
                        office=office.code, summary=result.summary()
                    )
                )
            )
