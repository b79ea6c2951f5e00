"""Prayer times (jadwal salat) by the method of Kementerian Agama RI (Kemenag).

Why no library: the Python packages on PyPI (``adhanpy``, ``praytimes``, ``islamic-times``,
``prayer-times-calculator``, ``salat``) take a Fajr and an Isha angle and fixed minute offsets, but none
reproduces what makes a Kemenag table a Kemenag table: the ihtiyat (a precautionary margin, 3 minutes
for Dzuhur, minus 2 for Terbit, 2 for the rest), the rounding of every time *up* to the next minute
except Terbit, whose seconds are dropped, and a horizon of -1° for sunrise and sunset. Bending a library
into that shape would mean undoing its own adjustments and rounding, so the astronomy is done here, in
a few small pure functions: the sun's declination and the equation of time from the NOAA solar
calculator equations (Jean Meeus, *Astronomical Algorithms*), and the hour-angle formulas that
praytimes.org documents. This module accepts 1900-2100, the range those equations are made for;
against Kemenag's own tables the computed moments differ by seconds.

The method (each choice was checked against Kemenag's published tables; docs/prayer-times.md gives
the sources and every difference found):

- Subuh: the sun 20° below the horizon, + 2 minutes ihtiyat, rounded up to the minute.
- Imsak: exactly 10 minutes before Subuh.
- Terbit: the sun at altitude -1° in the east, seconds dropped, - 2 minutes.
- Dzuhur: the sun's transit + 3 minutes, rounded up. Some sources say + 2; Kemenag's tables are
  reproduced by + 3 and by no other value.
- Ashar: the shadow of an object equals its length plus its shadow at noon (Syafi'i, shadow factor
  1), + 2 minutes, rounded up.
- Maghrib: the sun at altitude -1° in the west, + 2 minutes, rounded up.
- Isya: the sun 18° below the horizon, + 2 minutes, rounded up.

Elevation is accepted but not used: the fixed -1° horizon of falak practice (refraction, the sun's
semidiameter and the dip of the horizon from about 30 m) reproduces Kemenag's tables. A time the sun
never reaches on that day (only at high latitudes, never in Indonesia) is ``None``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext_lazy as _

DEFAULT_TIME_ZONE = "Asia/Makassar"

SUBUH_DEPRESSION = 20.0
ISYA_DEPRESSION = 18.0
HORIZON_ALTITUDE = -1.0
ASHAR_SHADOW_FACTOR = 1.0
IHTIYAT_MINUTES = 2
DZUHUR_IHTIYAT_MINUTES = 3
TERBIT_IHTIYAT_MINUTES = 2
IMSAK_BEFORE_SUBUH_MINUTES = 10

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)

PRAYER_NAMES: tuple[str, ...] = ("imsak", "subuh", "terbit", "dzuhur", "ashar", "maghrib", "isya")

ERROR_LATITUDE = _("Lintang harus berupa angka antara -90 dan 90 derajat, bukan {value}.")
ERROR_LONGITUDE = _("Bujur harus berupa angka antara -180 dan 180 derajat, bukan {value}.")
ERROR_ELEVATION = _("Ketinggian harus berupa angka (meter), bukan {value}.")
ERROR_TIME_ZONE = _("Zona waktu tidak dikenal: {value}. Contoh yang benar: Asia/Makassar.")
ERROR_DATE_RANGE = _("Tanggal harus antara 1 Januari 1900 dan 31 Desember 2100, bukan {value}.")

_ITERATIONS = 3

# The altitude (degrees) an event happens at, given the sun's declination; None if it never happens.
_AltitudeFn: TypeAlias = Callable[[float], float | None]


class PrayerTimesError(ValueError):
    """Input that prayer times cannot be computed for; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class PrayerTimes:
    """The seven times of one day at one place, as aware local datetimes (``None`` if undefined)."""

    date: dt.date
    imsak: dt.datetime | None
    subuh: dt.datetime | None
    terbit: dt.datetime | None
    dzuhur: dt.datetime | None
    ashar: dt.datetime | None
    maghrib: dt.datetime | None
    isya: dt.datetime | None

    def as_dict(self) -> dict[str, dt.datetime | None]:
        """The times by name, in the order of the day."""
        return {name: getattr(self, name) for name in PRAYER_NAMES}


def prayer_times(
    *,
    date: dt.date,
    latitude: float,
    longitude: float,
    tz: str = DEFAULT_TIME_ZONE,
    elevation: float = 0,
) -> PrayerTimes:
    """Compute Kemenag's prayer times for `date` at (`latitude`, `longitude`), shown in zone `tz`.

    Raises PrayerTimesError, with a message in Indonesian, for a latitude outside [-90, 90], a
    longitude outside [-180, 180], an elevation that is not a finite number, an unknown time zone or a
    date outside 1900-2100. `elevation` is validated but, as in Kemenag's tables, not used.
    """
    zone = _validate(date=date, latitude=latitude, longitude=longitude, tz=tz, elevation=elevation)
    jd_midnight = _julian_day(date)

    def transit(ut: float) -> float:
        _declination, equation_of_time = _sun(jd_midnight + ut / 24)
        return 12 - longitude / 15 - equation_of_time / 60

    def event(direction: int, altitude_of: _AltitudeFn) -> float | None:
        # The sun's position depends on the moment, and the moment on the sun's position: iterate,
        # starting from noon. Three rounds move the result by far less than a second.
        ut = transit(12 - longitude / 15)
        for _round in range(_ITERATIONS):
            declination, _equation = _sun(jd_midnight + ut / 24)
            altitude = altitude_of(declination)
            if altitude is None:
                return None
            angle = _hour_angle(latitude=latitude, declination=declination, altitude=altitude)
            if angle is None:
                return None
            ut = transit(ut) + direction * angle / 15
        return ut

    def constant(altitude: float) -> _AltitudeFn:
        return lambda _declination: altitude

    def ashar_altitude(declination: float) -> float | None:
        zenith_at_noon = abs(latitude - declination)
        if zenith_at_noon >= 90:
            return None  # The sun stays below the horizon all day.
        return math.degrees(math.atan(1 / (ASHAR_SHADOW_FACTOR + math.tan(math.radians(zenith_at_noon)))))

    dzuhur_ut = transit(12 - longitude / 15)
    for _round in range(_ITERATIONS):
        dzuhur_ut = transit(dzuhur_ut)

    subuh = _round_up(date, event(-1, constant(-SUBUH_DEPRESSION)), IHTIYAT_MINUTES, zone)
    return PrayerTimes(
        date=date,
        imsak=None if subuh is None else subuh - dt.timedelta(minutes=IMSAK_BEFORE_SUBUH_MINUTES),
        subuh=subuh,
        terbit=_round_down(date, event(-1, constant(HORIZON_ALTITUDE)), -TERBIT_IHTIYAT_MINUTES, zone),
        dzuhur=_round_up(date, dzuhur_ut, DZUHUR_IHTIYAT_MINUTES, zone),
        ashar=_round_up(date, event(+1, ashar_altitude), IHTIYAT_MINUTES, zone),
        maghrib=_round_up(date, event(+1, constant(HORIZON_ALTITUDE)), IHTIYAT_MINUTES, zone),
        isya=_round_up(date, event(+1, constant(-ISYA_DEPRESSION)), IHTIYAT_MINUTES, zone),
    )


def prayer_schedule(
    *,
    start: dt.date,
    days: int,
    latitude: float,
    longitude: float,
    tz: str = DEFAULT_TIME_ZONE,
    elevation: float = 0,
) -> list[PrayerTimes]:
    """Prayer times for `days` consecutive days from `start` (see `prayer_times`)."""
    return [
        prayer_times(
            date=start + dt.timedelta(days=offset),
            latitude=latitude,
            longitude=longitude,
            tz=tz,
            elevation=elevation,
        )
        for offset in range(days)
    ]


# --- validation ------------------------------------------------------------------------------------


def _validate(*, date: dt.date, latitude: float, longitude: float, tz: str, elevation: float) -> ZoneInfo:
    # Written as "not inside" so that NaN, which compares false with everything, is refused too.
    if not -90 <= latitude <= 90:
        raise PrayerTimesError(ERROR_LATITUDE.format(value=latitude))
    if not -180 <= longitude <= 180:
        raise PrayerTimesError(ERROR_LONGITUDE.format(value=longitude))
    if not math.isfinite(elevation):
        raise PrayerTimesError(ERROR_ELEVATION.format(value=elevation))
    if not MIN_DATE <= date <= MAX_DATE:
        raise PrayerTimesError(ERROR_DATE_RANGE.format(value=date.isoformat()))
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise PrayerTimesError(ERROR_TIME_ZONE.format(value=tz)) from None


# --- astronomy -------------------------------------------------------------------------------------


def _julian_day(date: dt.date) -> float:
    """Julian day at 0h UT of a Gregorian date."""
    return date.toordinal() + 1_721_424.5


def _sun(jd: float) -> tuple[float, float]:
    """The sun's apparent declination (degrees) and the equation of time (minutes) at Julian day `jd`.

    NOAA solar calculator equations, from Meeus, Astronomical Algorithms, ch. 25 and 28.
    """
    t = (jd - 2_451_545.0) / 36_525
    mean_longitude = (280.46646 + t * (36_000.76983 + t * 0.0003032)) % 360
    mean_anomaly = math.radians(357.52911 + t * (35_999.05029 - 0.0001537 * t))
    eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    centre = (
        math.sin(mean_anomaly) * (1.914602 - t * (0.004817 + 0.000014 * t))
        + math.sin(2 * mean_anomaly) * (0.019993 - 0.000101 * t)
        + math.sin(3 * mean_anomaly) * 0.000289
    )
    omega = math.radians(125.04 - 1934.136 * t)
    apparent_longitude = math.radians(mean_longitude + centre - 0.00569 - 0.00478 * math.sin(omega))
    mean_obliquity = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60
    obliquity = math.radians(mean_obliquity + 0.00256 * math.cos(omega))

    declination = math.degrees(math.asin(math.sin(obliquity) * math.sin(apparent_longitude)))

    y = math.tan(obliquity / 2) ** 2
    l0 = math.radians(mean_longitude)
    equation_of_time = 4 * math.degrees(
        y * math.sin(2 * l0)
        - 2 * eccentricity * math.sin(mean_anomaly)
        + 4 * eccentricity * y * math.sin(mean_anomaly) * math.cos(2 * l0)
        - 0.5 * y * y * math.sin(4 * l0)
        - 1.25 * eccentricity * eccentricity * math.sin(2 * mean_anomaly)
    )
    return declination, equation_of_time


def _hour_angle(*, latitude: float, declination: float, altitude: float) -> float | None:
    """Degrees from the meridian at which the sun stands at `altitude`, or None if it never does."""
    phi = math.radians(latitude)
    delta = math.radians(declination)
    denominator = math.cos(phi) * math.cos(delta)
    if denominator == 0:
        return None  # At a pole the sun's altitude does not change during the day.
    cosine = (math.sin(math.radians(altitude)) - math.sin(phi) * math.sin(delta)) / denominator
    if not -1 <= cosine <= 1:
        return None
    return math.degrees(math.acos(cosine))


# --- ihtiyat and rounding --------------------------------------------------------------------------


def _round_up(
    date: dt.date, ut_hours: float | None, ihtiyat_minutes: int, zone: ZoneInfo
) -> dt.datetime | None:
    return None if ut_hours is None else _to_local_minute(date, ut_hours, ihtiyat_minutes, zone, up=True)


def _round_down(
    date: dt.date, ut_hours: float | None, ihtiyat_minutes: int, zone: ZoneInfo
) -> dt.datetime | None:
    return None if ut_hours is None else _to_local_minute(date, ut_hours, ihtiyat_minutes, zone, up=False)


def _to_local_minute(
    date: dt.date, ut_hours: float, ihtiyat_minutes: int, zone: ZoneInfo, *, up: bool
) -> dt.datetime:
    """Add the ihtiyat to the computed moment and round it to a whole minute of local time."""
    midnight_ut = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    # Whole milliseconds, so that a moment a hair past a whole minute is not pushed to the next one by
    # floating-point noise.
    milliseconds = round((ut_hours * 60 + ihtiyat_minutes) * 60_000)
    moment = midnight_ut + dt.timedelta(milliseconds=milliseconds)
    # Round on the local clock: before the 1930s some zones were offset by seconds (local mean time).
    offset = moment.astimezone(zone).utcoffset() or dt.timedelta(0)
    local_ms = milliseconds + offset // dt.timedelta(milliseconds=1)
    local_minutes = -(-local_ms // 60_000) if up else local_ms // 60_000
    return (midnight_ut + dt.timedelta(minutes=local_minutes) - offset).astimezone(zone)
