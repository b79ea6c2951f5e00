"""Prayer times: agreement with Kemenag's published schedules, invariants, validation and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from io import StringIO
from typing import Any, NamedTuple

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from perjumpaan.program.prayer import (
    ERROR_DATE_RANGE,
    ERROR_ELEVATION,
    ERROR_LATITUDE,
    ERROR_LONGITUDE,
    ERROR_TIME_ZONE,
    MAX_DATE,
    MIN_DATE,
    PRAYER_NAMES,
    PrayerTimesError,
    prayer_times,
)

# --- published schedules ---------------------------------------------------------------------------
#
# Kemenag publishes its schedule per kabupaten/kota at bimasislam.kemenag.go.id (jadwal shalat and
# jadwal imsakiyah); the site is not reachable from here, so the values below are copies of it that
# others published, each cited where it is used. Times are local ("HH:MM"); a row may give only some
# of the seven times.
#
# JAKARTA is Kemenag's point for KOTA JAKARTA, 6°10'12.32" S 106°49'51.78" E, as the api.myquran.com
# mirror of Kemenag's schedule returns it with the schedule (id 1301). MATARAM is Kota Mataram,
# 8°35' S 116°07' E; Kemenag's tables give Kab. Lombok Barat (Gerung, 12 km south) the same minutes on
# the days compared here except one Isya a minute apart, so its rows are checked at the same point.

JAKARTA: dict[str, Any] = {"latitude": -6.1700889, "longitude": 106.83105, "tz": "Asia/Jakarta"}
MATARAM: dict[str, Any] = {"latitude": -8.5833, "longitude": 116.1167, "tz": "Asia/Makassar"}


class Published(NamedTuple):
    source: str
    place: dict[str, Any]
    date: dt.date
    times: dict[str, str]


def _day(source: str, place: dict[str, Any], date: str, times: str) -> Published:
    """One published day; `times` lists imsak to isya, with "-" where the source gives none."""
    given_times = dict(zip(PRAYER_NAMES, times.split(), strict=True))
    return Published(
        source, place, dt.date.fromisoformat(date), {k: v for k, v in given_times.items() if v != "-"}
    )


PUBLISHED = [
    # Kemenag's own export for Jakarta, September 2025, stored as test data by masaajid-hub/prayer-times
    # in test-data/input/jakarta-kemenag.txt (commit bb7584bd): "Source:
    # https://bimasislam.kemenag.go.id/web/jadwalshalat, Date Fetch: 15 Sept 2025".
    _day("kemenag-export", JAKARTA, "2025-09-01", "04:28 04:38 05:50 11:56 15:14 17:56 19:05"),
    _day("kemenag-export", JAKARTA, "2025-09-02", "04:27 04:37 05:49 11:56 15:13 17:56 19:04"),
    _day("kemenag-export", JAKARTA, "2025-09-03", "04:27 04:37 05:49 11:56 15:12 17:55 19:04"),
    _day("kemenag-export", JAKARTA, "2025-09-04", "04:27 04:37 05:48 11:55 15:12 17:55 19:04"),
    _day("kemenag-export", JAKARTA, "2025-09-05", "04:26 04:36 05:48 11:55 15:11 17:55 19:04"),
    _day("kemenag-export", JAKARTA, "2025-09-06", "04:26 04:36 05:47 11:55 15:11 17:55 19:03"),
    _day("kemenag-export", JAKARTA, "2025-09-07", "04:25 04:35 05:47 11:54 15:10 17:55 19:03"),
    _day("kemenag-export", JAKARTA, "2025-09-08", "04:25 04:35 05:46 11:54 15:09 17:54 19:03"),
    _day("kemenag-export", JAKARTA, "2025-09-09", "04:24 04:34 05:46 11:54 15:09 17:54 19:03"),
    _day("kemenag-export", JAKARTA, "2025-09-10", "04:24 04:34 05:45 11:53 15:08 17:54 19:03"),
    _day("kemenag-export", JAKARTA, "2025-09-11", "04:23 04:33 05:45 11:53 15:07 17:54 19:02"),
    _day("kemenag-export", JAKARTA, "2025-09-12", "04:23 04:33 05:44 11:52 15:07 17:54 19:02"),
    _day("kemenag-export", JAKARTA, "2025-09-13", "04:22 04:32 05:44 11:52 15:06 17:53 19:02"),
    _day("kemenag-export", JAKARTA, "2025-09-14", "04:22 04:32 05:43 11:52 15:05 17:53 19:02"),
    _day("kemenag-export", JAKARTA, "2025-09-15", "04:21 04:31 05:43 11:51 15:04 17:53 19:02"),
    _day("kemenag-export", JAKARTA, "2025-09-16", "04:21 04:31 05:42 11:51 15:04 17:53 19:01"),
    _day("kemenag-export", JAKARTA, "2025-09-17", "04:20 04:30 05:42 11:51 15:03 17:53 19:01"),
    _day("kemenag-export", JAKARTA, "2025-09-18", "04:20 04:30 05:41 11:50 15:02 17:53 19:01"),
    _day("kemenag-export", JAKARTA, "2025-09-19", "04:19 04:29 05:41 11:50 15:01 17:52 19:01"),
    _day("kemenag-export", JAKARTA, "2025-09-20", "04:19 04:29 05:40 11:50 15:00 17:52 19:01"),
    _day("kemenag-export", JAKARTA, "2025-09-21", "04:18 04:28 05:40 11:49 15:00 17:52 19:00"),
    _day("kemenag-export", JAKARTA, "2025-09-22", "04:18 04:28 05:39 11:49 14:59 17:52 19:00"),
    _day("kemenag-export", JAKARTA, "2025-09-23", "04:17 04:27 05:39 11:49 14:58 17:52 19:00"),
    _day("kemenag-export", JAKARTA, "2025-09-24", "04:17 04:27 05:38 11:48 14:57 17:51 19:00"),
    _day("kemenag-export", JAKARTA, "2025-09-25", "04:16 04:26 05:38 11:48 14:56 17:51 19:00"),
    _day("kemenag-export", JAKARTA, "2025-09-26", "04:16 04:26 05:37 11:48 14:55 17:51 19:00"),
    _day("kemenag-export", JAKARTA, "2025-09-27", "04:15 04:25 05:37 11:47 14:55 17:51 18:59"),
    _day("kemenag-export", JAKARTA, "2025-09-28", "04:14 04:24 05:36 11:47 14:54 17:51 18:59"),
    _day("kemenag-export", JAKARTA, "2025-09-29", "04:14 04:24 05:36 11:47 14:53 17:51 18:59"),
    _day("kemenag-export", JAKARTA, "2025-09-30", "04:13 04:23 05:35 11:46 14:52 17:50 18:59"),
    # June: Liputan6, 4 June 2018 (19 Ramadan 1439), Jakarta, WIB:
    # https://liputan6.com/islami/read/3547533/jadwal-imsak-hari-ke-19-puasa-ramadan-2018
    _day("liputan6", JAKARTA, "2018-06-04", "04:27 04:37 - 11:54 15:15 - -"),
    # December: api.myquran.com/v2/sholat/jadwal/1301/2025/12/20 (KOTA JAKARTA), a mirror of Kemenag's
    # schedule, as quoted in a public project's notes (found through a code search; the repository
    # was not identified), and the same mirror for 24 December 2025 in a public API's documentation.
    _day("myquran", JAKARTA, "2025-12-20", "04:03 04:13 05:32 11:54 15:20 18:08 19:24"),
    _day("myquran", JAKARTA, "2025-12-24", "04:05 04:15 05:34 11:56 15:22 18:10 19:26"),
    # The same mirror for 17 November 2021, quoted with Kemenag's coordinates in a public Flutter model.
    _day("myquran", JAKARTA, "2021-11-17", "03:56 04:06 05:22 11:41 15:03 17:53 19:06"),
    # Ramadan 1447 imsakiyah for DKI Jakarta by Ditjen Bimas Islam, as printed by Bisnis.com:
    # https://babeindonesia.com/read/6606014/jadwal-imsak-jakarta-ramadan-1447-h-2026-resmi-dari-kemenag-cek-waktu-subuh-dan-ketentuan-sahur
    _day("bisnis", JAKARTA, "2026-02-19", "04:31 04:41 - - - - -"),
    _day("bisnis", JAKARTA, "2026-02-27", "04:33 04:43 - - - - -"),
    _day("bisnis", JAKARTA, "2026-03-20", "04:32 04:42 - - - - -"),
    # Kompas TV, 31 March 2024, "dilansir laman Bimas Islam Kemenag":
    # https://kompas.tv/religi/496979/jadwal-imsak-jakarta-bekasi-depok-bogor-dan-tangerang-minggu-31-maret-2024
    _day("kompastv", JAKARTA, "2024-03-31", "04:31 04:41 - - - - -"),
    # Tribun Lombok, Kota Mataram, 17 July 2022:
    # https://lombok.tribunnews.com/2022/07/16/jadwal-waktu-sholat-wilayah-ntb-minggu-17-juli-2022-mulai-dari-lombok-bima-hingga-kota-mataram
    _day("tribunlombok", MATARAM, "2022-07-17", "05:01 05:11 06:28 12:25 15:45 18:15 19:29"),
    # Tribun Lombok, Kabupaten Lombok Barat, 25 November 2022:
    # https://lombok.tribunnews.com/2022/11/25/jadwal-waktu-sholat-wilayah-ntb-jumat-25-november-2022-disertai-syarat-wajib-dan-sunah-salat-jumat
    _day("tribunlombok", MATARAM, "2022-11-25", "04:14 04:24 05:42 12:06 15:29 18:22 19:37"),
    # Tribunnews, Kota Mataram, "bersumber dari Direktorat Jenderal Bimbingan Masyarakat Islam":
    # https://m.tribunnews.com/regional/2020/05/08/jadwal-imsak-dan-buka-puasa-sabtu-9-mei-2020-wilayah-kota-mataram-ntb-lengkap-dengan-niat-puasa
    # https://m.tribunnews.com/regional/2020/05/19/jadwal-imsak-dan-buka-puasa-di-kota-mataram-ntb-rabu-20-mei-2020-lengkap-dengan-bacaan-niat-puasa
    _day("tribunnews", MATARAM, "2020-05-09", "04:51 05:01 06:16 12:16 15:36 18:08 19:20"),
    _day("tribunnews", MATARAM, "2020-05-20", "04:52 05:02 06:18 12:16 15:35 18:06 19:19"),
    _day("tribunnews", MATARAM, "2020-05-23", "04:52 05:02 06:19 12:16 15:36 18:06 19:19"),
    # Tribunnews, Kota Mataram, 2 May 2021, "dikutip dari laman bimasislam.kemenag.go.id":
    # https://m.tribunnews.com/ramadan/2021/05/02/jadwal-imsak-dan-buka-puasa-di-kota-mataram-hari-ini-2-mei-2021-atau-20-ramadhan-1442-h
    _day("tribunnews", MATARAM, "2021-05-02", "04:51 05:01 06:15 12:16 15:36 18:10 19:21"),
    # iNews NTB, "Lombok Barat, Lombok Utara dan Kota Mataram", 1 March 2025, from Kanwil Kemenag NTB:
    # https://lombok.inews.id/amp/563427/jadwal-imsakiyah-ntb-hari-ini-1-maret-2025-panduan-puasa-ramadhan-1446-h-di-bumi-gora/2
    _day("inews", MATARAM, "2025-03-01", "04:54 05:04 - 12:31 15:34 18:39 19:49"),
]

# The brief's acceptance bound. The largest difference found over these 291 times is 1 minute
# (docs/prayer-times.md lists each one).
TOLERANCE_MINUTES = 2


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@pytest.mark.parametrize("published", PUBLISHED, ids=[f"{p.source}-{p.date}" for p in PUBLISHED])
def test_it_agrees_with_kemenag_s_published_schedule_within_two_minutes(published: Published) -> None:
    computed = prayer_times(date=published.date, **published.place)
    differences = {}
    for name, expected in published.times.items():
        moment = getattr(computed, name)
        differences[name] = moment.hour * 60 + moment.minute - _minutes(expected)
    assert all(abs(difference) <= TOLERANCE_MINUTES for difference in differences.values()), differences


def test_the_reference_data_covers_two_cities_and_june_and_december() -> None:
    places = {published.place["tz"] for published in PUBLISHED}
    months = {published.date.month for published in PUBLISHED}
    assert places == {"Asia/Jakarta", "Asia/Makassar"}
    assert {6, 12} <= months


# --- invariants ------------------------------------------------------------------------------------

INDONESIA = {
    "latitude": st.floats(min_value=-11, max_value=6),
    "longitude": st.floats(min_value=95, max_value=141),
    "date": st.dates(min_value=MIN_DATE, max_value=MAX_DATE),
}


@settings(max_examples=300, deadline=None)
@given(**INDONESIA)
def test_the_times_come_in_order_anywhere_in_indonesia_on_any_date(
    latitude: float, longitude: float, date: dt.date
) -> None:
    times = prayer_times(date=date, latitude=latitude, longitude=longitude)
    ordered = [times.imsak, times.subuh, times.terbit, times.dzuhur, times.ashar, times.maghrib, times.isya]
    assert None not in ordered
    assert ordered == sorted(ordered)  # type: ignore[type-var]
    assert len(set(ordered)) == len(ordered)
    assert times.subuh - times.imsak == dt.timedelta(minutes=10)  # type: ignore[operator]


def test_it_returns_whole_minutes_as_aware_datetimes_in_the_requested_zone() -> None:
    times = prayer_times(date=dt.date(2026, 12, 4), latitude=-8.5833, longitude=116.1167)
    for moment in times.as_dict().values():
        assert moment is not None
        assert moment.tzinfo is not None
        assert str(moment.tzinfo) == "Asia/Makassar"
        assert moment.utcoffset() == dt.timedelta(hours=8)
        assert (moment.second, moment.microsecond) == (0, 0)
        assert moment.date() == dt.date(2026, 12, 4)


def test_another_time_zone_shows_the_same_moments_on_its_own_clock() -> None:
    place = {"date": dt.date(2026, 12, 4), "latitude": -8.5833, "longitude": 116.1167}
    wita = prayer_times(**place, tz="Asia/Makassar")  # type: ignore[arg-type]
    wib = prayer_times(**place, tz="Asia/Jakarta")  # type: ignore[arg-type]
    assert wita.as_dict() == wib.as_dict()
    assert wib.dzuhur is not None and wita.dzuhur is not None
    assert wib.dzuhur.hour == wita.dzuhur.hour - 1


def test_elevation_is_accepted_but_does_not_change_the_times_as_in_kemenag_s_tables() -> None:
    place = {"date": dt.date(2026, 6, 21), "latitude": -8.5833, "longitude": 116.1167}
    assert prayer_times(**place, elevation=1200) == prayer_times(**place)  # type: ignore[arg-type]


def test_at_high_latitudes_an_undefined_time_is_none_and_nothing_crashes() -> None:
    # Tromsø at midsummer: the sun neither sets nor goes 18° below the horizon.
    summer = prayer_times(date=dt.date(2026, 6, 21), latitude=69.65, longitude=18.96, tz="Europe/Oslo")
    assert summer.dzuhur is not None and summer.ashar is not None
    assert (summer.imsak, summer.subuh, summer.terbit, summer.maghrib, summer.isya) == (None,) * 5
    # Midwinter: the sun never rises, so there is no shadow for Ashar either.
    winter = prayer_times(date=dt.date(2026, 12, 21), latitude=69.65, longitude=18.96, tz="Europe/Oslo")
    assert (winter.terbit, winter.ashar, winter.maghrib) == (None,) * 3
    assert winter.subuh is not None and winter.isya is not None
    for latitude in (90, -90):
        pole = prayer_times(date=dt.date(2026, 3, 1), latitude=latitude, longitude=0, tz="UTC")
        assert pole.dzuhur is not None


# --- validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"latitude": 90.5}, ERROR_LATITUDE.format(value=90.5)),
        ({"latitude": -91}, ERROR_LATITUDE.format(value=-91)),
        ({"latitude": math.nan}, ERROR_LATITUDE.format(value=math.nan)),
        ({"longitude": 180.01}, ERROR_LONGITUDE.format(value=180.01)),
        ({"longitude": -math.inf}, ERROR_LONGITUDE.format(value=-math.inf)),
        ({"elevation": math.nan}, ERROR_ELEVATION.format(value=math.nan)),
        ({"tz": "Asia/Mataram"}, ERROR_TIME_ZONE.format(value="Asia/Mataram")),
        ({"tz": ""}, ERROR_TIME_ZONE.format(value="")),
        ({"tz": "../etc/passwd"}, ERROR_TIME_ZONE.format(value="../etc/passwd")),
        ({"date": dt.date(1899, 12, 31)}, ERROR_DATE_RANGE.format(value="1899-12-31")),
        ({"date": dt.date(2101, 1, 1)}, ERROR_DATE_RANGE.format(value="2101-01-01")),
    ],
)
def test_it_refuses_bad_input_with_an_indonesian_message(arguments: dict[str, object], message: str) -> None:
    valid: dict[str, object] = {"date": dt.date(2026, 12, 4), "latitude": -8.58, "longitude": 116.1}
    with pytest.raises(PrayerTimesError) as raised:
        prayer_times(**(valid | arguments))  # type: ignore[arg-type]
    assert str(raised.value) == message


# --- the command -----------------------------------------------------------------------------------

MATARAM_ARGS = ["--lat", "-8.5833", "--lon", "116.1167"]


def _run(*args: str) -> str:
    out = StringIO()
    call_command("prayer_times", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_json_output_is_a_list_of_days_with_local_hh_mm_times() -> None:
    days = json.loads(_run(*MATARAM_ARGS, "--date", "2026-12-04", "--json"))
    assert isinstance(days, list) and len(days) == 1
    day = days[0]
    assert list(day) == ["date", *PRAYER_NAMES]
    assert day["date"] == "2026-12-04"
    assert all(re.fullmatch(r"\d{2}:\d{2}", day[name]) for name in PRAYER_NAMES)
    expected = prayer_times(date=dt.date(2026, 12, 4), latitude=-8.5833, longitude=116.1167)
    assert day["dzuhur"] == expected.dzuhur.strftime("%H:%M")  # type: ignore[union-attr]
    assert day["maghrib"] == expected.maghrib.strftime("%H:%M")  # type: ignore[union-attr]


def test_days_gives_that_many_consecutive_days() -> None:
    days = json.loads(_run(*MATARAM_ARGS, "--date", "2026-06-01", "--days", "30", "--json"))
    assert [day["date"] for day in days] == [
        (dt.date(2026, 6, 1) + dt.timedelta(days=offset)).isoformat() for offset in range(30)
    ]


def test_days_cross_the_end_of_the_year() -> None:
    days = json.loads(_run(*MATARAM_ARGS, "--date", "2026-12-30", "--days", "4", "--json"))
    assert [day["date"] for day in days] == ["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]


def test_days_cross_the_end_of_a_leap_february() -> None:
    days = json.loads(_run(*MATARAM_ARGS, "--date", "2028-02-28", "--days", "3", "--json"))
    assert [day["date"] for day in days] == ["2028-02-28", "2028-02-29", "2028-03-01"]


def test_the_time_zone_defaults_to_wita_and_can_be_changed() -> None:
    wita = json.loads(_run(*MATARAM_ARGS, "--date", "2026-12-04", "--json"))[0]
    wib = json.loads(_run(*MATARAM_ARGS, "--date", "2026-12-04", "--json", "--tz", "Asia/Jakarta"))[0]
    assert _minutes(wita["dzuhur"]) - _minutes(wib["dzuhur"]) == 60


def test_the_table_has_indonesian_headers_and_dates() -> None:
    output = _run(*MATARAM_ARGS, "--date", "2026-12-04", "--days", "2")
    lines = output.splitlines()
    assert lines[0].split() == ["Tanggal", "Imsak", "Subuh", "Terbit", "Dzuhur", "Ashar", "Maghrib", "Isya"]
    expected = prayer_times(date=dt.date(2026, 12, 4), latitude=-8.5833, longitude=116.1167)
    times = [moment.strftime("%H:%M") for moment in expected.as_dict().values()]  # type: ignore[union-attr]
    assert lines[2].split() == ["Jumat,", "4", "Desember", "2026", *times]
    assert lines[3].startswith("Sabtu, 5 Desember 2026")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-13-01"], "Tanggal (--date) harus berformat YYYY-MM-DD dan ada di kalender"),
        (["--date", "04-12-2026"], "Tanggal (--date) harus berformat YYYY-MM-DD"),
        (["--date", "20261204"], "Tanggal (--date) harus berformat YYYY-MM-DD"),
        (["--date", "1850-01-01"], "Tanggal harus antara 1 Januari 1900 dan 31 Desember 2100"),
        (["--date", "2026-12-04", "--days", "0"], "Jumlah hari (--days) harus bilangan bulat 1 sampai 366"),
        (["--date", "2026-12-04", "--days", "367"], "Jumlah hari (--days) harus bilangan bulat 1 sampai 366"),
        (["--date", "2026-12-04", "--days", "dua"], "Jumlah hari (--days) harus bilangan bulat 1 sampai 366"),
        (["--date", "2026-12-04", "--tz", "WITA"], "Zona waktu tidak dikenal: WITA."),
        (["--lat", "91", "--date", "2026-12-04"], "Lintang harus berupa angka antara -90 dan 90 derajat"),
        (["--lat", "utara", "--date", "2026-12-04"], "Lintang (--lat) harus berupa angka desimal"),
        (["--lon", "200", "--date", "2026-12-04"], "Bujur harus berupa angka antara -180 dan 180 derajat"),
    ],
)
def test_bad_input_stops_the_command_with_one_indonesian_line(args: list[str], message: str) -> None:
    # Later options override the defaults given first, as argparse keeps the last value.
    with pytest.raises(CommandError) as raised:
        _run(*MATARAM_ARGS, *args)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lon", "116", "--date", "2026-12-04"], "Lintang (--lat) wajib diisi."),
        (["--lat", "-8.5", "--date", "2026-12-04"], "Bujur (--lon) wajib diisi."),
        (["--lat", "-8.5", "--lon", "116"], "Tanggal (--date) wajib diisi, dengan format YYYY-MM-DD."),
    ],
)
def test_a_missing_option_is_named_in_indonesian(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        _run(*args)
    assert str(raised.value) == message
