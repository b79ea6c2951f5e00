"""`perjumpaan import_services FILE --office CODE [--mapping NAME] [--dry-run]`: a queue machine's export."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.commands import office_by_code
from perjumpaan.core.spreadsheet import SpreadsheetError
from perjumpaan.service.models import ServiceImportMapping
from perjumpaan.service.records_table import read_record_path
from perjumpaan.service.services import service_record_import

MAPPING_NOT_FOUND = gettext_noop("Pemetaan impor {name} tidak ada untuk {office}. Yang ada: {known}.")
IMPORT_REFUSED = gettext_noop(
    "Impor dibatalkan: {rows} baris bermasalah ({problems} masalah); tidak ada data yang disimpan."
)
DRY_RUN_REFUSED = gettext_noop(
    "Uji coba: {rows} baris bermasalah ({problems} masalah); berkas ini akan ditolak."
)
# Enough to fix a file; the rest are counted.
MAX_LISTED = 200


class Command(BaseCommand):
    help = gettext_noop(
        "Mengimpor catatan layanan dari ekspor mesin antrian (.xlsx atau .csv) untuk satu perangkat daerah. "
        "Catatan dicocokkan dengan tanggal + nomor antrian: yang baru ditambahkan, yang berubah diperbarui; "
        "semua atau tidak sama sekali. Mengimpor berkas yang sama dua kali tidak mengubah apa pun."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help=_("Berkas .xlsx atau .csv dari mesin antrian."))
        parser.add_argument(
            "--office",
            required=True,
            metavar="CODE",
            help=_(
                "Kode perangkat daerah, misalnya DUKCAPIL (SLUG-PEMDA/KODE bila kode dipakai beberapa pemda)."
            ),
        )
        parser.add_argument(
            "--mapping",
            metavar="NAME",
            help=_("Nama pemetaan kolom yang tersimpan untuk perangkat daerah ini."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Periksa berkas dan tampilkan hasilnya tanpa menyimpan apa pun."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        office = office_by_code(options["office"])
        mapping = None
        if options.get("mapping"):
            mapping = ServiceImportMapping.objects.filter(office=office, name=options["mapping"]).first()
            if mapping is None:
                known = ", ".join(
                    ServiceImportMapping.objects.filter(office=office).values_list("name", flat=True)
                )
                raise CommandError(
                    _(MAPPING_NOT_FOUND).format(
                        name=options["mapping"], office=office.code, known=known or "—"
                    )
                )
        try:
            table = read_record_path(options["file"], mapping=mapping.mapping if mapping else None)
        except SpreadsheetError as error:
            raise CommandError(str(error)) from None

        result = service_record_import(
            office=office, table=table, mapping=mapping, dry_run=options["dry_run"]
        )
        for column in result.ignored_columns:
            self.stderr.write(_("Kolom diabaikan: {column}").format(column=column))
        for note in result.notes[:MAX_LISTED]:
            self.stderr.write(str(note))
        if len(result.notes) > MAX_LISTED:
            self.stderr.write(_("… dan {count} catatan lain.").format(count=len(result.notes) - MAX_LISTED))
        if result.errors:
            for problem in result.errors[:MAX_LISTED]:
                self.stderr.write(str(problem))
            if len(result.errors) > MAX_LISTED:
                self.stderr.write(
                    _("… dan {count} masalah lain.").format(count=len(result.errors) - MAX_LISTED)
                )
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
