from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from perjumpaan.core.commands import dumps, office_by_code
from perjumpaan.core.timeutil import zone
from perjumpaan.org.models import Employee
from perjumpaan.program.services import gathering_add


class Command(BaseCommand):
    help = "Tambahkan perjumpaan khusus (tausiah istimewa, pengganti) di luar templat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", required=True, help="Kode perangkat daerah.")
        parser.add_argument("--start", required=True, help='Waktu mulai setempat, "TTTT-BB-HH JJ:MM".')
        parser.add_argument("--minutes", required=True, type=int, help="Durasi dalam menit.")
        parser.add_argument("--track", default=Employee.Track.ISLAM, choices=Employee.Track.values)
        parser.add_argument("--place", default="", help="Tempat (bawaan: nama kantor).")
        parser.add_argument("--title", default="", help="Judul, misalnya 'Tausiah Maulid'.")
        parser.add_argument("--json", action="store_true", help="Keluaran JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        office = office_by_code(options["office"])
        try:
            naive = dt.datetime.strptime(options["start"], "%Y-%m-%d %H:%M")  # noqa: DTZ007 -- made aware below
        except ValueError:
            raise CommandError(f'--start: {options["start"]!r} bukan waktu "TTTT-BB-HH JJ:MM".') from None
        start = naive.replace(tzinfo=zone(office.government.time_zone))
        try:
            gathering = gathering_add(
                office=office,
                start=start,
                minutes=options["minutes"],
                track=options["track"],
                place=options["place"],
                title=options["title"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if options["json"]:
            self.stdout.write(
                dumps(
                    {
                        "id": gathering.pk,
                        "start": gathering.start.isoformat(),
                        "end": gathering.end.isoformat(),
                    }
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(str(gathering.pk)))
