"""`perjumpaan open_rounds [--date YYYY-MM-DD]`: open the Friday evaluation rounds (cron or systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.commands import parse_date
from perjumpaan.core.joblock import scheduled_job
from perjumpaan.core.timeutil import format_date, local_today
from perjumpaan.evaluation.services import rounds_open_due
from perjumpaan.evaluation.weeks import friday_on_or_before


class Command(BaseCommand):
    help = gettext_noop(
        "Buka putaran evaluasi Jumat untuk setiap perangkat daerah yang sudah mengikuti program: putaran "
        "pekan dari Jumat terakhir pada atau sebelum --date (bawaan: hari ini). Untuk cron/systemd timer; "
        "aman dijalankan dua kali dan dari beberapa server sekaligus."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help=_("Tanggal, TTTT-BB-HH (bawaan: hari ini)."))

    @scheduled_job("open_rounds")
    def handle(self, *args: Any, **options: Any) -> None:
        day = parse_date(options["date"], option="--date") if options["date"] else local_today()
        friday = friday_on_or_before(day)
        report = rounds_open_due(friday=friday)
        for round_ in report.opened:
            assignments = round_.assignments.count()
            self.stdout.write(
                _("{office}: putaran {week} dibuka ({n} penugasan).").format(
                    office=round_.office.code, week=round_.week, n=assignments
                )
            )
        for office in report.existing:
            self.stdout.write(_("{office}: sudah dibuka sebelumnya.").format(office=office.code))
        for office, reason in report.refused:
            self.stderr.write(f"{office.code}: {reason}")
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Jumat {date}: {opened} putaran dibuka, {existing} sudah ada, {refused} tidak dibuka."
                ).format(
                    date=format_date(friday),
                    opened=len(report.opened),
                    existing=len(report.existing),
                    refused=len(report.refused),
                )
            )
        )
