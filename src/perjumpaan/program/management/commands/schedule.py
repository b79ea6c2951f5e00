from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from perjumpaan.core.commands import dumps, office_by_code, parse_date
from perjumpaan.core.timeutil import format_date, format_time
from perjumpaan.program.services import gathering_schedule


class Command(BaseCommand):
    help = "Buat (atau tampilkan dengan --dry-run) jadwal perjumpaan suatu perangkat daerah dari templatnya."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", required=True, help="Kode perangkat daerah, misalnya DUKCAPIL.")
        parser.add_argument("--from", dest="start", required=True, help="Tanggal awal, TTTT-BB-HH.")
        parser.add_argument("--to", dest="end", required=True, help="Tanggal akhir, TTTT-BB-HH.")
        parser.add_argument("--dry-run", action="store_true", help="Tampilkan saja, jangan simpan.")
        parser.add_argument("--json", action="store_true", help="Keluaran JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        office = office_by_code(options["office"])
        start = parse_date(options["start"], option="--from")
        end = parse_date(options["end"], option="--to")
        try:
            result = gathering_schedule(office=office, start=start, end=end, dry_run=options["dry_run"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if options["json"]:
            self.stdout.write(
                dumps(
                    [
                        {
                            "date": p.date.isoformat(),
                            "start": p.start.isoformat(),
                            "end": p.end.isoformat(),
                            "track": p.track,
                            "place": p.place,
                            "template": p.template.get_variant_display(),
                        }
                        for p in result.planned
                    ]
                )
            )
            return
        for p in result.planned:
            self.stdout.write(
                f"{format_date(p.date)}  {format_time(p.start)}–{format_time(p.end)}  {p.track:<8} {p.place}"
            )
        for day in result.skipped_days:
            if day.date.weekday() < 5:
                self.stdout.write(self.style.WARNING(f"{format_date(day.date)}  libur: {day.reason}"))
        if options["dry_run"]:
            self.stdout.write(
                self.style.SUCCESS(f"{len(result.planned)} perjumpaan direncanakan (tidak disimpan).")
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"dibuat {len(result.created)}, diubah {len(result.updated)}, "
                    f"dibatalkan {len(result.cancelled)}, tetap {result.unchanged}"
                )
            )
