from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from perjumpaan.core.commands import parse_date
from perjumpaan.core.timeutil import local_today
from perjumpaan.rollup.synthetic import PRESETS, GenerateError, default_until, generate


class Command(BaseCommand):
    help = (
        "Isi basis data dengan riwayat sintetis yang realistis dan dapat diulang (untuk uji beban dan "
        "dasbor): office = satu perangkat daerah, regency = 40 perangkat daerah dan 9.000 pegawai, province "
        "= sepuluh pemerintah daerah. Menolak basis data yang sudah berisi data kecuali dengan --append."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", required=True, choices=sorted(PRESETS))
        parser.add_argument("--weeks", type=int, default=52, help="pekan program (default 52)")
        parser.add_argument("--seed", type=int, default=1, help="benih acak (default 1)")
        parser.add_argument(
            "--until",
            metavar="TTTT-BB-HH",
            help="hari terakhir riwayat (default: Jumat terakhir sebelum hari ini)",
        )
        parser.add_argument(
            "--append", action="store_true", help="tambahkan ke basis data yang sudah berisi data"
        )
        parser.add_argument("--no-evaluation", action="store_true", help="tanpa putaran evaluasi Jumat")

    def handle(self, *args: Any, **options: Any) -> None:
        until: dt.date = (
            parse_date(options["until"], option="--until")
            if options["until"]
            else default_until(local_today())
        )
        again = (
            f"perjumpaan generate --preset {options['preset']} --weeks {options['weeks']} "
            f"--seed {options['seed']} --until {until.isoformat()}"
            + (" --no-evaluation" if options["no_evaluation"] else "")
        )
        self.stderr.write(f"[generate] {again}")
        try:
            report = generate(
                preset=options["preset"],
                weeks=options["weeks"],
                seed=options["seed"],
                until=until,
                append=options["append"],
                evaluation=not options["no_evaluation"],
                progress=lambda line: self.stderr.write(line),
            )
        except GenerateError as error:
            raise CommandError(str(error)) from None
        rows = sum(stage.rows for stage in report.stages.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.governments)} pemerintah daerah sintetis ({', '.join(report.governments)}): "
                f"{rows:,} baris dalam {report.seconds:.1f} s, {report.first_day} s.d. {report.until}."
            )
        )
