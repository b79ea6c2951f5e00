from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from perjumpaan.core.commands import parse_date
from perjumpaan.core.joblock import scheduled_job
from perjumpaan.core.timeutil import format_date, local_today
from perjumpaan.program.services import roster_remind


class Command(BaseCommand):
    help = "Ingatkan pemberi kultum besok (untuk cron/systemd timer; aman dijalankan dua kali)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Tanggal giliran, TTTT-BB-HH (bawaan: besok).")

    @scheduled_job("remind_roster")
    def handle(self, *args: Any, **options: Any) -> None:
        day = (
            parse_date(options["date"], option="--date")
            if options["date"]
            else local_today() + dt.timedelta(days=1)
        )
        items = roster_remind(day=day)
        for item in items:
            assert item.employee is not None
            self.stdout.write(
                f"{item.gathering.office.code}  {item.employee.name}  {item.employee.phone or '-'}"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(items)} pengingat untuk {format_date(day)}."))
