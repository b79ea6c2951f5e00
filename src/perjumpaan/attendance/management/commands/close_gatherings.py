from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from perjumpaan.attendance.services import gatherings_close_due
from perjumpaan.core.joblock import scheduled_job


class Command(BaseCommand):
    help = (
        "Tutup presensi setiap perjumpaan yang sudah selesai: yang belum tercatat diberi status izin yang "
        "disetujui atau TK, dan tindak lanjut dibuka bila perlu (untuk cron; aman dijalankan dua kali)."
    )

    @scheduled_job("close_gatherings")
    def handle(self, *args: Any, **options: Any) -> None:
        closed = gatherings_close_due()
        self.stdout.write(self.style.SUCCESS(f"{closed} perjumpaan ditutup presensinya."))
