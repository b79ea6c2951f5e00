"""`perjumpaan restore FILE [--yes]`: replace the whole database with a backup (see core/backup.py)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.backup import BackupError, backup_check, backup_restore

CONFIRM_WORD = "pulihkan"


class Command(BaseCommand):
    help = gettext_noop(
        "Memulihkan basis data dari berkas cadangan `perjumpaan backup`: SELURUH isi basis data saat ini "
        "diganti isi cadangan, semua atau tidak sama sekali. Hentikan aplikasi lebih dulu. Meminta "
        "konfirmasi kecuali dengan --yes. Berkas yang bukan cadangan Perjumpaan ditolak."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help=_("Berkas cadangan."))
        parser.add_argument("--yes", action="store_true", help=_("Jangan meminta konfirmasi."))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]).expanduser()
        try:
            kind = backup_check(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        database = connections["default"].settings_dict["NAME"]
        if not options["yes"]:
            self.stdout.write(
                _(
                    "Seluruh isi basis data {database} ({kind}) akan DIGANTI dengan isi cadangan {path}.\n"
                    "Perubahan sejak cadangan itu dibuat akan hilang. Ketik '{word}' untuk melanjutkan: "
                ).format(database=database, kind=kind, path=path, word=CONFIRM_WORD),
                ending="",
            )
            self.stdout.flush()
            answer = sys.stdin.readline().strip().lower() if sys.stdin else ""
            if answer != CONFIRM_WORD:
                self.stdout.write("")
                raise CommandError(_("Dibatalkan; basis data tidak diubah."))
        try:
            result = backup_restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        width = max((len(table) for table in result.tables), default=10)
        for table, count in result.tables.items():
            self.stdout.write(f"  {table.ljust(width)}  {count}")
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Basis data dipulihkan dari {path} ({tables} tabel, {seconds:.1f} detik). Jalankan "
                    "`perjumpaan migrate` bila cadangan berasal dari rilis yang lebih lama."
                ).format(path=path, tables=len(result.tables), seconds=result.seconds)
            )
        )
