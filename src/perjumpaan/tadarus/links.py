"""Links to read an ayah in full: the Quran website of the Ministry of Religious Affairs (Kemenag).

https://quran.kemenag.go.id shows the Arabic text, the Kemenag Indonesian translation and tafsir. Its
per-ayah page takes the surah in the path and the first and last ayah as `from` and `to`:

    https://quran.kemenag.go.id/quran/per-ayat/surah/{surah}?from={ayah}&to={ayah_end}

Only the link is built here; nothing is fetched (the system runs on intranets without internet, where the
link simply does not open).
"""

from __future__ import annotations

from perjumpaan.tadarus import quran
from perjumpaan.tadarus.quran import Ref

KEMENAG_AYAH_URL = "https://quran.kemenag.go.id/quran/per-ayat/surah/{surah}?from={ayah}&to={ayah_end}"


def kemenag_url(surah: int, ayah: int, ayah_end: int | None = None) -> str:
    """The Kemenag page showing ayahs `ayah` to `ayah_end` (default: just `ayah`) of `surah`."""
    return KEMENAG_AYAH_URL.format(surah=surah, ayah=ayah, ayah_end=ayah_end or ayah)


def kemenag_range_url(first: Ref, last: Ref) -> str:
    """The Kemenag page for a reading portion: from `first` to `last` when both are in one surah,
    otherwise from `first` to the end of its surah (where the reading begins)."""
    if first.surah == last.surah and last >= first:
        return kemenag_url(first.surah, first.ayah, last.ayah)
    return kemenag_url(first.surah, first.ayah, quran.surah(first.surah).ayah_count)
