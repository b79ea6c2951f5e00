"""`perjumpaan quran`: the structure of the Quran, or where one ayah sits in it."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from perjumpaan.tadarus import quran


class Command(BaseCommand):
    help = (
        "Struktur Al-Qur'an (surah, juz, halaman mushaf Madinah, ayat sajdah). "
        "--ref 2:142 menunjukkan letak satu ayat; --json mencetak JSON."
    )
    # Pure data from the package: no database and no system checks needed.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ref", metavar="SURAH:AYAT", help="Letak satu ayat, misalnya 2:142.")
        parser.add_argument("--json", action="store_true", help="Cetak sebagai JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_json: bool = options["json"]
        if options["ref"] is not None:
            try:
                ref = quran.Ref.parse(options["ref"])
            except quran.QuranRefError as error:
                raise CommandError(str(error)) from None
            if as_json:
                self.stdout.write(json.dumps(quran.ref_as_json(ref), ensure_ascii=False))
            else:
                self.stdout.write(self.style.SUCCESS(_describe(ref)))
            return

        if as_json:
            self.stdout.write(json.dumps(quran.as_json(), ensure_ascii=False))
            return
        for s in quran.SURAHS:
            kind = "Makkiyah" if s.revelation == "makkiyah" else "Madaniyah"
            self.stdout.write(f"{s.number:>3}  {s.name:<16} {s.meaning:<28} {s.ayah_count:>3} ayat  {kind}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{quran.SURAH_COUNT} surah, {_thousands(quran.TOTAL_AYAHS)} ayat, "
                f"{quran.JUZ_COUNT} juz, {quran.PAGE_COUNT} halaman, {quran.SAJDAH_COUNT} ayat sajdah."
            )
        )


def _describe(ref: quran.Ref) -> str:
    s = quran.surah(ref.surah)
    return (
        f"{ref} — {s.name} ({s.meaning}) ayat {ref.ayah}, juz {quran.juz_of(ref)}, "
        f"hal. {quran.page_of(ref)} (ayat ke-{_thousands(ref.index)} dari {_thousands(quran.TOTAL_AYAHS)})"
    )


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")
