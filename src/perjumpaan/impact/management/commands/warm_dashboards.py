from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from perjumpaan.core.joblock import scheduled_job
from perjumpaan.core.timeutil import local_today, zone
from perjumpaan.impact.dashboard import warm


class Command(BaseCommand):
    help = (
        "Hitung lebih dulu grafik dasbor dan analisis dampak setiap pemerintah daerah ke dalam cache "
        "bersama, agar pembaca tidak menunggu. Yang sudah ada di cache tidak dihitung ulang; jalankan dari "
        "timer setiap 15 menit (docs/scale.md)."
    )

    @scheduled_job("warm_dashboards")
    def handle(self, *args: Any, **options: Any) -> None:
        report = warm(
            today=local_today(zone()),
            progress=(lambda line: self.stderr.write(f"[warm] {line}")) if options["verbosity"] > 1 else None,
        )
        self.stdout.write(
            f"{report.governments} pemda, {report.offices} kantor: {report.pages} halaman dasbor disiapkan "
            f"dalam {report.seconds:.1f} s."
        )
