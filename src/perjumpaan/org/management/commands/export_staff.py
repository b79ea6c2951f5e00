"""`perjumpaan export_staff --office CODE --format csv|xlsx [--output FILE]`: an office's employees."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.org.management.commands._office import resolve_office
from perjumpaan.org.models import Employee
from perjumpaan.org.staff_table import staff_export_bytes

XLSX_NEEDS_OUTPUT = gettext_noop("Format xlsx perlu --output BERKAS.xlsx; standard output hanya untuk csv.")
CANNOT_WRITE = gettext_noop("Berkas {path} tidak dapat ditulis: {reason}.")


class Command(BaseCommand):
    help = gettext_noop(
        "Mengekspor pegawai aktif satu perangkat daerah sebagai CSV atau XLSX, dengan kolom yang sama "
        "seperti yang dibaca import_staff (NIP ditulis sebagai teks), agar dapat diimpor kembali."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--office", required=True, metavar="CODE", help=_("Kode perangkat daerah, misalnya DUKCAPIL.")
        )
        parser.add_argument(
            "--government",
            metavar="SLUG",
            help=_("Kode pemda, bila kode perangkat daerah dipakai di beberapa pemda."),
        )
        parser.add_argument(
            "--format", choices=["csv", "xlsx"], default="csv", help=_("csv (bawaan) atau xlsx.")
        )
        parser.add_argument(
            "--output", metavar="FILE", help=_("Berkas tujuan. Tanpa ini, CSV ditulis ke standard output.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        output = options.get("output")
        if fmt == "xlsx" and not output:
            raise CommandError(_(XLSX_NEEDS_OUTPUT))
        office = resolve_office(options["office"], options.get("government"))
        # The operator of the server exports on nobody's behalf, so this read is not scoped to a user.
        employees = (
            Employee.objects.filter(office=office, is_active=True).select_related("unit").order_by("name")
        )

        if output is None:
            # Without a byte-order mark: standard output goes to programs more often than to Excel.
            self.stdout.write(staff_export_bytes(employees, fmt="csv", bom=False).decode("utf-8"), ending="")
            return
        path = Path(output)
        content = staff_export_bytes(employees, fmt=fmt)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(_(CANNOT_WRITE).format(path=path, reason=error.strerror or error)) from None
        count = employees.count()
        self.stderr.write(
            self.style.SUCCESS(
                _("{count} pegawai {office} ditulis ke {path}.").format(
                    count=count, office=office.code, path=path
                )
            )
        )
