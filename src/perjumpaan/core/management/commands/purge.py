"""`perjumpaan purge [--dry-run]`: remove raw and personal data past its retention (daily, from cron)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.joblock import scheduled_job
from perjumpaan.core.purge import purge_run

LABELS = {
    "survey_answers_reduced": gettext_noop("jawaban SKM dikurangi ke nilai unsur saja"),
    "complaint_contacts_erased": gettext_noop("kontak pengaduan selesai dihapus"),
    "audit_entries_deleted": gettext_noop("entri jejak audit dihapus"),
    "login_records_deleted": gettext_noop("catatan login dihapus"),
    "staff_uploads_deleted": gettext_noop("unggahan impor pegawai terbengkalai dihapus"),
    "sessions_deleted": gettext_noop("sesi kedaluwarsa dihapus"),
}


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = gettext_noop(
        "Menghapus data mentah dan data pribadi yang melewati masa simpan (PERJUMPAAN_SURVEY_RETENTION_DAYS, "
        "PERJUMPAAN_AUDIT_RETENTION_DAYS, PERJUMPAAN_LOGIN_LOG_RETENTION_DAYS); agregat seperti IKM tetap. "
        "Aman dijalankan berulang kali (cron harian)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Hitung saja apa yang akan dihapus, tanpa menghapus.")
        )

    @scheduled_job("purge")
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                result = purge_run()
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            pass
        for key, count in result.counts.items():
            self.stdout.write(f"  {_(LABELS.get(key, key))}: {count}")
        summary = _("Uji coba, tidak ada yang dihapus") if options["dry_run"] else _("Pembersihan selesai")
        self.stdout.write(
            self.style.SUCCESS(_("{summary}: {n} baris.").format(summary=summary, n=result.total))
        )
