from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from perjumpaan.core.joblock import scheduled_job
from perjumpaan.core.timeutil import local_today, zone
from perjumpaan.impact.dashboard import warm


class Command(BaseCommand):
    help = (
        "Siapkan lebih dulu halaman dasbor setiap pemerintah daerah (dasbor pimpinan, panel, dampak, dan "
        "dasbor tiap kantor) di cache bersama, agar pembaca tidak menunggu. Halaman dibuat ulang setiap "
        "kali; grafik dan analisis dampak yang angkanya tidak berubah diambil dari cache. Jalankan dari "
        "timer setiap 15 menit (docs/scale.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--government",
            action="append",
            default=[],
            metavar="SLUG",
            help="hanya pemda ini (boleh diulang); default semua",
        )

    @scheduled_job("warm_dashboards")
    def handle(self, *args: Any, **options: Any) -> None:
        from perjumpaan.org.models import Government

        unknown = set(options["government"]) - set(
            Government.objects.filter(slug__in=options["government"]).values_list("slug", flat=True)
        )
        if unknown:
            raise CommandError(f"Pemda tidak dikenal: {', '.join(sorted(unknown))}.")
        report = warm(
            today=local_today(zone()),
            governments=options["government"],
            progress=(lambda line: self.stderr.write(f"[warm] {line}")) if options["verbosity"] > 1 else None,
        )
        self.stdout.write(
            f"{report.governments} pemda, {report.offices} kantor: {report.pages} halaman dasbor disiapkan "
            f"dalam {report.seconds:.1f} s."
        )
