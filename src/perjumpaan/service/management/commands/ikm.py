"""`perjumpaan ikm FILE.csv [--weight exact|0.111|0.11] [--json]`: the IKM of an SKM answer sheet."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.service.ikm import WEIGHTS, IkmResult, ikm_from_answers, round_half_up
from perjumpaan.service.skm import AnswerSheetError, decode_answer_file, element, read_answer_sheet

FILE_NOT_FOUND = gettext_noop("Berkas {path} tidak ditemukan.")
FILE_UNREADABLE = gettext_noop("Berkas {path} tidak dapat dibaca: {reason}")
NO_ANSWERS = gettext_noop(
    "Berkas {path} tidak memuat satu jawaban pun pada kolom U1–U9; IKM tidak dapat dihitung."
)
UNANSWERED = gettext_noop(
    "IKM tidak dapat dihitung: tidak ada responden yang menjawab unsur {elements}. "
    "Peraturan menghitung IKM dari kesembilan unsur; unsur yang kosong tidak dianggap bernilai 0."
)
WEIGHT_NAMES = {
    "exact": gettext_noop("1/9 tepat (exact)"),
    "0.111": gettext_noop("0,111 (dibulatkan)"),
    "0.11": gettext_noop("0,11 (dibulatkan)"),
}


def _number(value: Decimal | Fraction, places: int) -> str:
    return number_format(round_half_up(value, places), decimal_pos=places)


class Command(BaseCommand):
    # Marked for translation; Django reads `help` before any language is chosen, so it stays in Indonesian.
    help = gettext_noop(
        "Menghitung Indeks Kepuasan Masyarakat (PermenPANRB 14/2017) dari berkas CSV jawaban SKM: "
        "satu baris per responden, kolom U1 sampai U9 berisi 1–4 atau kosong."
    )
    # Reads one file and touches no model: a system-check problem elsewhere must not stop a calculation.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file", metavar="FILE.csv", help=_("Berkas CSV jawaban SKM (pemisah koma atau titik koma).")
        )
        parser.add_argument(
            "--weight",
            choices=list(WEIGHTS),
            default="exact",
            help=_("Bobot per unsur: exact (1/9, bawaan), atau 0.111 / 0.11 seperti sebagian laporan lama."),
        )
        parser.add_argument("--json", action="store_true", help=_("Tulis hasil sebagai JSON."))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(_(FILE_NOT_FOUND).format(path=path)) from None
        except OSError as error:
            raise CommandError(_(FILE_UNREADABLE).format(path=path, reason=error.strerror or error)) from None
        try:
            sheet = read_answer_sheet(decode_answer_file(data))
        except AnswerSheetError as error:
            raise CommandError("\n".join(error.messages)) from None
        if not sheet.rows:
            raise CommandError(_(NO_ANSWERS).format(path=path))

        result = ikm_from_answers(sheet.rows, weight=options["weight"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.write_report(result)
        if not result.computable:
            raise CommandError(_(UNANSWERED).format(elements=self.element_list(result.unanswered)))

    def element_list(self, codes: tuple[str, ...]) -> str:
        return ", ".join(f"{code} ({element(code).name})" for code in codes)

    def write_report(self, result: IkmResult) -> None:
        write = self.stdout.write
        write(_("Indeks Kepuasan Masyarakat (PermenPANRB No. 14 Tahun 2017)"))
        write(_("Responden (n): {n}").format(n=result.n))
        write(_("Bobot per unsur: {weight}").format(weight=_(WEIGHT_NAMES[result.weight])))
        write("")
        width = max(len(e.name) for e in result.elements) + 4
        write(f"{_('Unsur'):<{width}}  {_('NRR'):>8}  {_('Dijawab'):>8}")
        for score in result.elements:
            nrr = "—" if score.nrr is None else _number(score.nrr, 4)
            write(f"{score.code:<4}{score.name:<{width - 4}}  {nrr:>8}  {score.count:>8}")
        write("")
        ikm, mutu = result.ikm, result.mutu
        if ikm is None or mutu is None:
            return
        write(_("IKM: {ikm}").format(ikm=_number(ikm, 2)))
        write(
            self.style.SUCCESS(
                _("Mutu pelayanan: {code} ({kinerja})").format(code=mutu.code, kinerja=mutu.label)
            )
        )
