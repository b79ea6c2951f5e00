"""NIP (Nomor Induk Pegawai) validation.

A PNS NIP (Peraturan BKN) has 18 digits:

    YYYYMMDD  YYYYMM  G  NNN
    birth     TMT     |  serial
    date      CPNS    gender (1 man, 2 woman)

A PPPK NIP is also 18 digits, but BKN has not published its structure as a regulation. The numbers in
use begin with the birth date (YYYYMMDD) followed by the year of appointment (YYYY); what follows varies
between issuing rounds. So for PPPK we check only what is knowable: 18 digits, a real birth date, and an
appointment year that is neither before the person turned 18 nor before the PPPK scheme began (2019).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

PPPK_FIRST_YEAR = 2019

NOT_18_DIGITS = gettext_noop("NIP harus 18 digit angka (tertulis {length} karakter).")
NOT_DIGITS = gettext_noop("NIP hanya boleh berisi angka.")
BAD_BIRTH_DATE = gettext_noop("8 digit pertama NIP ({value}) bukan tanggal lahir yang sah (TTTTBBHH).")
BAD_TMT = gettext_noop("Digit 9–14 NIP ({value}) bukan TMT CPNS yang sah (TTTTBB).")
TMT_BEFORE_18 = gettext_noop("TMT CPNS pada NIP ({tmt}) lebih awal dari ulang tahun ke-18 ({birth}).")
TMT_IN_FUTURE = gettext_noop("TMT CPNS pada NIP ({tmt}) belum terjadi.")
BAD_GENDER_DIGIT = gettext_noop("Digit ke-15 NIP harus 1 (laki-laki) atau 2 (perempuan), bukan {digit}.")
GENDER_MISMATCH = gettext_noop(
    "Digit jenis kelamin pada NIP ({digit}) tidak sesuai dengan jenis kelamin {gender}."
)
BAD_PPPK_YEAR = gettext_noop("Digit 9–12 NIP PPPK ({value}) bukan tahun pengangkatan yang masuk akal.")


def _birth_date(nip: str) -> dt.date | None:
    try:
        return dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return None


def _eighteenth_birthday(birth: dt.date) -> dt.date:
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:  # born on 29 February
        return birth.replace(year=birth.year + 18, day=28)


def nip_problems(
    nip: str, *, status: str, gender: str | None = None, today: dt.date | None = None
) -> list[str]:
    """Every problem with `nip` for an employee of this status ("PNS"/"PPPK") and gender ("L"/"P").

    Returns messages in Bahasa Indonesia; an empty list means the NIP is valid.
    """
    today = today or dt.date.today()  # noqa: DTZ011 -- a calendar date, the zone is irrelevant at this scale
    if not nip.isascii() or not nip.isdigit():
        if len(nip) != 18:
            return [_(NOT_18_DIGITS).format(length=len(nip))]
        return [_(NOT_DIGITS)]
    if len(nip) != 18:
        return [_(NOT_18_DIGITS).format(length=len(nip))]

    problems: list[str] = []
    birth = _birth_date(nip)
    if birth is None or birth > today:
        problems.append(_(BAD_BIRTH_DATE).format(value=nip[0:8]))

    if status == "PPPK":
        year = int(nip[8:12])
        earliest = max(PPPK_FIRST_YEAR, birth.year + 18 if birth else PPPK_FIRST_YEAR)
        if not earliest <= year <= today.year + 1:
            problems.append(_(BAD_PPPK_YEAR).format(value=nip[8:12]))
        return problems

    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not (1 <= tmt_month <= 12 and tmt_year >= 1900):
        problems.append(_(BAD_TMT).format(value=nip[8:14]))
    else:
        tmt = dt.date(tmt_year, tmt_month, 1)
        if tmt > today:
            problems.append(_(TMT_IN_FUTURE).format(tmt=nip[8:14]))
        # TMT is a month; the person must have turned 18 by the end of it.
        next_month = dt.date(tmt_year + tmt_month // 12, tmt_month % 12 + 1, 1)
        if birth is not None and _eighteenth_birthday(birth) >= next_month:
            problems.append(_(TMT_BEFORE_18).format(tmt=nip[8:14], birth=_eighteenth_birthday(birth)))

    digit = nip[14]
    if digit not in "12":
        problems.append(_(BAD_GENDER_DIGIT).format(digit=digit))
    elif gender in ("L", "P") and {"1": "L", "2": "P"}[digit] != gender:
        label = _("laki-laki") if gender == "L" else _("perempuan")
        problems.append(_(GENDER_MISMATCH).format(digit=digit, gender=label))
    return problems


def nip_compose(*, birth: dt.date, tmt: dt.date, gender: str, serial: int) -> str:
    """A PNS NIP from its parts (for demo data and tests): birth date, TMT CPNS month, gender L/P, serial."""
    return f"{birth:%Y%m%d}{tmt:%Y%m}{'1' if gender == 'L' else '2'}{serial:03d}"
