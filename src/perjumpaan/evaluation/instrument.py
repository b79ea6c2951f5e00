"""The default instrument of the Friday evaluation, as data: what `evaluation_instrument_default` writes.

- The seven BerAKHLAK core values of the civil service (SE MenPANRB No. 20 Tahun 2021), each asked by its
  three official behaviour indicators (*panduan perilaku*), worded exactly as the circular has them
  (`data/berakhlak.json`). Value codes (BP, AK, …) are ours, not official.
- The programme's own aims: kejujuran, kebersamaan, kekeluargaan and sikap melayani warga, one
  behaviour each, in the programme's words.
- Every behaviour is rated on a 1–5 scale whose points are named (`SCALE_LABELS`): a rater who hesitates
  between "Cukup" and "Baik" decides on words, not on a number that means something else to everyone.
  The labels judge how well the behaviour was shown *this week*, so the same scale serves oneself, a
  colleague and one's team.
- Two open questions, asked once per person in their self-assessment and kept without their name: what
  went well this week, and what must improve.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

DATA = Path(__file__).resolve().parent / "data" / "berakhlak.json"

INSTRUMENT_NAME = gettext_noop("Evaluasi Jumat: BerAKHLAK dan Sekolah Perjumpaan")
INSTRUMENT_DESCRIPTION = gettext_noop(
    "Tujuh nilai dasar ASN BerAKHLAK (SE MenPANRB No. 20 Tahun 2021), masing-masing dengan tiga panduan "
    "perilakunya, ditambah tujuan Sekolah Perjumpaan: kejujuran, kebersamaan, kekeluargaan dan sikap "
    "melayani warga. Skala 1–5, ditambah dua pertanyaan terbuka."
)

# 1 to 5. Stored on each instrument version, so an admin may reword them in a new version.
SCALE_LABELS: tuple[str, ...] = ("Sangat kurang", "Kurang", "Cukup", "Baik", "Sangat baik")


@dataclass(frozen=True)
class ItemSpec:
    kind: str  # "scale" or "open"
    group: str  # "berakhlak", "program", or "" for open questions
    value_code: str
    value_name: str
    value_definition: str
    text: str
    for_self: bool = True
    for_peer: bool = True
    for_supervisor: bool = True


# The programme's aims (Sekolah Perjumpaan): its own words, one observable behaviour each.
PROGRAM_AIMS: tuple[tuple[str, str, str, str], ...] = (
    (
        "JUJUR",
        "Kejujuran",
        "Berkata dan bertindak benar sehingga dapat dipercaya",
        "Berkata dan bertindak jujur kepada rekan kerja dan warga, juga ketika tidak ada yang melihat",
    ),
    (
        "BERSAMA",
        "Kebersamaan",
        "Hadir dan bekerja bersama, bukan sendiri-sendiri",
        "Hadir dan terlibat dalam perjumpaan serta menyelesaikan pekerjaan bersama rekan",
    ),
    (
        "KELUARGA",
        "Kekeluargaan",
        "Saling peduli seperti dalam keluarga",
        "Peduli kepada rekan kerja: menyapa, menanyakan kabar, membantu yang sedang kesulitan",
    ),
    (
        "MELAYANI",
        "Sikap melayani warga",
        "Melayani warga dengan hati",
        "Melayani warga dengan senyum, sabar dan adil, tanpa membeda-bedakan",
    ),
)

OPEN_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("BAIK", "Yang sudah baik", "Apa yang sudah baik di kantor kita pekan ini?"),
    ("PERBAIKI", "Yang perlu diperbaiki", "Apa yang perlu kita perbaiki pekan depan?"),
)


@cache
def berakhlak() -> dict[str, Any]:
    """The BerAKHLAK values as the circular has them: order, code, name, definition, three behaviours."""
    return json.loads(DATA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def default_items() -> list[ItemSpec]:
    """The default instrument's items, in the order they are asked."""
    items = [
        ItemSpec(
            kind="scale",
            group="berakhlak",
            value_code=value["code"],
            value_name=value["name"],
            value_definition=value["definition"],
            text=behaviour,
        )
        for value in sorted(berakhlak()["values"], key=lambda v: v["order"])
        for behaviour in value["panduan_perilaku"]
    ]
    items += [
        ItemSpec(
            kind="scale",
            group="program",
            value_code=code,
            value_name=name,
            value_definition=meaning,
            text=text,
        )
        for code, name, meaning, text in PROGRAM_AIMS
    ]
    items += [
        ItemSpec(
            kind="open",
            group="",
            value_code=code,
            value_name=name,
            value_definition="",
            text=question,
            for_peer=False,
            for_supervisor=False,
        )
        for code, name, question in OPEN_QUESTIONS
    ]
    return items
