"""`perjumpaan close_rounds [--now ...]`: record the closing of rounds whose time has come (cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.joblock import scheduled_job
from perjumpaan.core.timeutil import zone
from perjumpaan.evaluation.services import rounds_close_due

BAD_NOW = gettext_noop(
    "--now: {value!r} bukan waktu yang sah (contoh: 2026-11-30T12:00 atau 2026-11-30T12:00+08:00)."
)


class Command(BaseCommand):
    help = gettext_noop(
        "Tutup putaran evaluasi yang sudah lewat waktu tutupnya; sesudah itu skornya tampil. Untuk cron/"
        "systemd timer; aman dijalankan dua kali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help=_("Anggap sekarang pukul ini (ISO 8601; tanpa zona berarti zona waktu pemda bawaan)."),
        )

    @scheduled_job("close_rounds")
    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError(_(BAD_NOW).format(value=options["now"])) from None
            if now.tzinfo is None:
                now = now.replace(tzinfo=zone())
        closed = rounds_close_due(now=now)
        for round_ in closed:
            self.stdout.write(
                _("{office}: putaran {week} ditutup.").format(office=round_.office.code, week=round_.week)
            )
        self.stdout.write(self.style.SUCCESS(_("{n} putaran ditutup.").format(n=len(closed))))
