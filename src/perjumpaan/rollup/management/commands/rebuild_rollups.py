from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from perjumpaan.core.commands import office_by_code, parse_date
from perjumpaan.core.joblock import scheduled_job
from perjumpaan.rollup.services import rollup_rebuild


class Command(BaseCommand):
    help = (
        "Hitung ulang rekapitulasi terpelihara (kehadiran, layanan, SKM, pengaduan, evaluasi per hari/pekan) "
        "dari data mentah, per perangkat daerah, satu transaksi per perangkat daerah. Aman dijalankan kapan "
        "saja dan berulang kali; untuk cron (mis. tiap malam: --days 35)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--office", metavar="KODE", help="hanya perangkat daerah ini (SLUG-PEMDA/KODE bila perlu)"
        )
        parser.add_argument("--from", dest="start", metavar="TTTT-BB-HH", help="dari tanggal (termasuk)")
        parser.add_argument("--to", dest="end", metavar="TTTT-BB-HH", help="sampai tanggal (termasuk)")
        parser.add_argument(
            "--days",
            type=int,
            metavar="N",
            help="hanya N hari terakhir sampai hari ini (pengganti --from/--to)",
        )

    @scheduled_job("rebuild_rollups")
    def handle(self, *args: Any, **options: Any) -> None:
        start = parse_date(options["start"], option="--from") if options["start"] else None
        end = parse_date(options["end"], option="--to") if options["end"] else None
        if options["days"] is not None:
            if start or end:
                raise CommandError("--days tidak dapat dipakai bersama --from/--to.")
            if options["days"] < 1:
                raise CommandError("--days harus 1 atau lebih.")
            from perjumpaan.core.timeutil import local_today

            end = local_today()
            start = end - dt.timedelta(days=options["days"] - 1)
        if start and end and start > end:
            raise CommandError("--from harus sebelum atau sama dengan --to.")
        offices = [office_by_code(options["office"])] if options["office"] else None
        report = rollup_rebuild(
            offices=offices, start=start, end=end, progress=lambda line: self.stderr.write(line)
        )
        rows = ", ".join(f"{name} {count}" for name, count in sorted(report.rows.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Rekap dihitung ulang untuk {report.offices} perangkat daerah dalam {report.seconds:.1f} s"
                f" ({rows or 'tidak ada baris'})."
            )
        )
