"""`perjumpaan backup FILE|DIR`: a backup of the database while the app runs (see core/backup.py)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.backup import BackupError, backup_create, backups_prune
from perjumpaan.core.joblock import scheduled_job


class Command(BaseCommand):
    help = gettext_noop(
        "Mencadangkan basis data selagi aplikasi berjalan: SQLite dengan online backup API, PostgreSQL "
        "dengan pg_dump --format=custom. FILE boleh berupa folder: nama berkas diberi tanggal, dan "
        "--keep-daily/--keep-weekly/--keep-monthly menghapus cadangan lama di folder itu."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("target", metavar="FILE", help=_("Berkas cadangan, atau folder tempatnya."))
        parser.add_argument("--force", action="store_true", help=_("Timpa berkas yang sudah ada."))
        parser.add_argument("--keep-daily", type=int, metavar="N", help=_("Simpan cadangan N hari terakhir."))
        parser.add_argument(
            "--keep-weekly", type=int, metavar="N", help=_("Simpan cadangan N minggu terakhir.")
        )
        parser.add_argument(
            "--keep-monthly", type=int, metavar="N", help=_("Simpan cadangan N bulan terakhir.")
        )

    @scheduled_job("backup")
    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["target"]).expanduser()
        rotation = [options["keep_daily"], options["keep_weekly"], options["keep_monthly"]]
        if any(value is not None for value in rotation) and not target.is_dir():
            raise CommandError(_("--keep-* hanya berlaku bila FILE adalah folder."))
        if any(value is not None and value < 0 for value in rotation):
            raise CommandError(_("--keep-* tidak boleh negatif."))
        try:
            result = backup_create(target, force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(_("Cadangan gagal ditulis: {error}").format(error=error)) from None
        rows = sum(count for count in result.tables.values() if count >= 0)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Cadangan {engine} tersimpan: {path} "
                    "({size} bait, {tables} tabel{rows}, {seconds:.1f} detik)"
                ).format(
                    engine=result.engine,
                    path=result.path,
                    size=f"{result.size:,}".replace(",", "."),
                    tables=len(result.tables),
                    rows=_(", {n} baris").format(n=f"{rows:,}".replace(",", "."))
                    if result.engine == "sqlite"
                    else "",
                    seconds=result.seconds,
                )
            )
        )
        if any(value is not None for value in rotation):
            removed = backups_prune(
                result.path.parent,
                daily=options["keep_daily"] or 0,
                weekly=options["keep_weekly"] or 0,
                monthly=options["keep_monthly"] or 0,
            )
            for path in removed:
                self.stdout.write(_("Cadangan lama dihapus: {path}").format(path=path))
