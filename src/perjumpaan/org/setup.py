"""First run: setting up a real government on an empty database.

`government_init` is the one write behind both `perjumpaan init` (the command, interactive or with flags)
and the web wizard at /mulai/ (shown while the database holds no government at all). In one transaction it
creates the government (name, time zone, coordinates for prayer times, letterhead address and logo), the
offices picked from the standard list of a regency's perangkat daerah (`data/standard_offices.csv`) plus
the regency's own kecamatan, and the first admin: a login with the programme-admin role that is also the
installation's superuser, because somebody must be able to create the coordinators' accounts.

Nothing is written unless everything is valid; every problem comes back as a `ValidationError` keyed by
field, with a message in Indonesian. Staff are imported afterwards, office by office, with the existing
staff import (`perjumpaan import_staff`, or the office's import page).
"""

from __future__ import annotations

import base64
import csv
import functools
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.audit import audit_record
from perjumpaan.org.models import Government, GovernmentLogo, Office, Role, User

DATA_FILE = Path(__file__).resolve().parent / "data" / "standard_offices.csv"

# Indonesia's four zones (Asia/Pontianak is WIB too, kept for West Kalimantan's own tz database entry).
TIME_ZONES: tuple[tuple[str, str], ...] = (
    ("Asia/Jakarta", gettext_noop("WIB (UTC+7) · Jakarta")),
    ("Asia/Pontianak", gettext_noop("WIB (UTC+7) · Pontianak")),
    ("Asia/Makassar", gettext_noop("WITA (UTC+8) · Makassar")),
    ("Asia/Jayapura", gettext_noop("WIT (UTC+9) · Jayapura")),
)
DEFAULT_TIME_ZONE = "Asia/Makassar"

# A box around Indonesia, from Sabang to Merauke and Rote to Miangas. A point outside it is a typing
# mistake (a missing minus sign puts Lombok in the Philippines) rather than a regency.
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 25_000_000
# Printed at 1.9 cm on the letterhead: 512 px is over 600 dpi there and keeps PDFs small.
LOGO_SIZE = 512

ERROR_NAME_REQUIRED = gettext_noop("Isi nama pemerintah daerah.")
ERROR_GOVERNMENT_EXISTS = gettext_noop(
    "Pemerintah daerah {name} sudah ada di basis data ini (kode {slug}); penyiapan tidak dijalankan dua "
    "kali. Ubah datanya melalui halaman Administrasi."
)
ERROR_CLOSED = gettext_noop(
    "Penyiapan awal sudah dilakukan: basis data ini sudah berisi pemerintah daerah. Masuk dengan akun "
    "admin untuk mengubah data."
)
ERROR_TIME_ZONE = gettext_noop("Pilih salah satu zona waktu Indonesia: WIB, WITA atau WIT.")
ERROR_LATITUDE = gettext_noop(
    "Lintang {value} berada di luar wilayah Indonesia (antara -11,5 dan 6,5). Lintang selatan ditulis "
    "dengan tanda minus, misalnya -8,6936."
)
ERROR_LONGITUDE = gettext_noop(
    "Bujur {value} berada di luar wilayah Indonesia (antara 94,5 dan 141,5), misalnya 116,1230."
)
ERROR_LOGO_TYPE = gettext_noop("Logo harus berupa gambar PNG atau JPEG.")
ERROR_LOGO_SIZE = gettext_noop("Berkas logo terlalu besar (paling besar 2 MB).")
ERROR_LOGO_PIXELS = gettext_noop("Gambar logo terlalu besar (paling banyak 25 juta piksel).")
ERROR_USERNAME_TAKEN = gettext_noop("Nama pengguna {username} sudah dipakai.")
ERROR_NO_OFFICE = gettext_noop("Pilih sedikitnya satu perangkat daerah.")
ERROR_UNKNOWN_OFFICE = gettext_noop("Kode perangkat daerah tidak dikenal: {codes}.")
ERROR_KECAMATAN_NAME = gettext_noop("Nama kecamatan “{name}” tidak berisi huruf atau angka.")
ERROR_KECAMATAN_CODE = gettext_noop(
    "Kode {code} untuk Kecamatan {name} bentrok dengan perangkat daerah lain; ubah namanya setelah penyiapan."
)
ERROR_KECAMATAN_LONG = gettext_noop("Nama kecamatan “{name}” terlalu panjang untuk dijadikan kode.")


@dataclass(frozen=True)
class StandardOffice:
    """One office of the standard list a regency picks from."""

    code: str
    kind: str
    name: str


@functools.cache
def standard_offices() -> tuple[StandardOffice, ...]:
    """The standard perangkat daerah of a regency (PP 18/2016), with the codes the demo uses."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(StandardOffice(row["code"], row["kind"], row["name"]) for row in csv.DictReader(handle))


def kecamatan_office(name: str) -> StandardOffice:
    """The office of a kecamatan typed by its name: "Batu Layar" is BATULAYAR, "Kecamatan Batu Layar"."""
    bare = re.sub(r"^\s*kecamatan\s+", "", " ".join(name.split()), flags=re.IGNORECASE)
    ascii_name = unicodedata.normalize("NFKD", bare).encode("ascii", "ignore").decode()
    code = re.sub(r"[^A-Z0-9]", "", ascii_name.upper())
    return StandardOffice(code=code, kind=Office.Kind.KECAMATAN, name=f"Kecamatan {bare}")


def slug_for(name: str) -> str:
    """The government's code from its name: "Pemerintah Kabupaten Lombok Barat" is kabupaten-lombok-barat."""
    bare = re.sub(r"^\s*pemerintah\s+", "", name, flags=re.IGNORECASE)
    return slugify(bare)[:60].strip("-")


def government_name(name: str) -> str:
    """The name as the letterhead prints it: "Kabupaten Lombok Barat" becomes "Pemerintah Kabupaten …"."""
    name = " ".join(name.split())
    if name and not name.lower().startswith("pemerintah"):
        name = f"Pemerintah {name}"
    return name


# --- The logo ---------------------------------------------------------------------------------------


def logo_png(content: bytes) -> bytes:
    """The uploaded logo re-encoded as a PNG of at most 512 px, or ValidationError.

    Re-encoding keeps nothing of the upload but its pixels, so no crafted file reaches the PDFs.
    """
    from PIL import Image, UnidentifiedImageError

    if len(content) > LOGO_MAX_BYTES:
        raise ValidationError(_(ERROR_LOGO_SIZE), code="logo_size")
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in ("PNG", "JPEG"):
                raise ValidationError(_(ERROR_LOGO_TYPE), code="logo_type")
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise ValidationError(_(ERROR_LOGO_PIXELS), code="logo_pixels")
            image.load()
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_(ERROR_LOGO_TYPE), code="logo_type") from error
    picture.thumbnail((LOGO_SIZE, LOGO_SIZE))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def logo_as_svg(png: bytes) -> str:
    """A PNG wrapped in an SVG of its own proportions, as the PDF letterhead places pictures."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f'<image width="{width}" height="{height}" xlink:href="data:image/png;base64,{data}"/></svg>'
    )


# --- The write --------------------------------------------------------------------------------------


@dataclass
class GovernmentInitResult:
    """What `government_init` created."""

    government: Government
    admin: User
    offices: list[Office] = field(default_factory=list)


class SetupClosed(Exception):
    """The web wizard was asked to run on a database that already holds a government."""

    def __str__(self) -> str:
        return _(ERROR_CLOSED)


def setup_is_open() -> bool:
    """Whether the web wizard may run: only while the database holds no government at all."""
    return not Government.objects.exists()


def _decimal_comma(value: Decimal) -> str:
    """A coordinate as it is written in Indonesian, with a decimal comma: -8,6936."""
    # (An absurd exponent such as 1e999999, typed on the command line, is shown as typed, not expanded.)
    if not value.is_finite() or not -20 < value.adjusted() < 20 or value.as_tuple().exponent < -20:  # type: ignore[operator]
        return str(value)
    return f"{value:f}".replace(".", ",")


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _pick_offices(
    office_codes: Sequence[str], kecamatan: Sequence[str], errors: dict[str, list[str]]
) -> list[StandardOffice]:
    known = {office.code: office for office in standard_offices()}
    wanted = list(dict.fromkeys(code.strip().upper() for code in office_codes if code.strip()))
    unknown = [code for code in wanted if code not in known]
    if unknown:
        _add(errors, "offices", _(ERROR_UNKNOWN_OFFICE).format(codes=", ".join(unknown)))
    picked = [known[code] for code in wanted if code in known]
    codes = {office.code for office in picked}
    for name in dict.fromkeys(" ".join(n.split()) for n in kecamatan if n.strip()):
        office = kecamatan_office(name)
        bare = office.name.removeprefix("Kecamatan ")
        if not office.code:
            _add(errors, "kecamatan", _(ERROR_KECAMATAN_NAME).format(name=name))
        elif len(office.code) > (Office._meta.get_field("code").max_length or 20) or len(office.name) > 200:
            _add(errors, "kecamatan", _(ERROR_KECAMATAN_LONG).format(name=name))
        elif office.code in codes:
            _add(errors, "kecamatan", _(ERROR_KECAMATAN_CODE).format(code=office.code, name=bare))
        else:
            codes.add(office.code)
            picked.append(office)
    if not picked and "offices" not in errors and "kecamatan" not in errors:
        _add(errors, "offices", _(ERROR_NO_OFFICE))
    return picked


def _lock_governments() -> None:
    # SQLite's IMMEDIATE transactions already serialise writers; PostgreSQL needs the table locked so that
    # two wizards submitted at once cannot both find the database empty.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE org_government IN SHARE ROW EXCLUSIVE MODE")


@transaction.atomic
def government_init(
    *,
    name: str,
    time_zone: str,
    latitude: Decimal,
    longitude: Decimal,
    admin_username: str,
    admin_password: str,
    office_codes: Sequence[str],
    kecamatan: Sequence[str] = (),
    address: str = "",
    logo: bytes = b"",
    admin_first_name: str = "",
    admin_last_name: str = "",
    admin_email: str = "",
    require_empty: bool = False,
) -> GovernmentInitResult:
    """Create a government, its offices and its first admin, all or nothing.

    `logo` is an uploaded PNG or JPEG (re-encoded here). With `require_empty` (the web wizard) it refuses
    with `SetupClosed` as soon as any government exists; without it (the command, run by the server's
    operator) it refuses only a government of the same name or code. Every other problem is a
    `ValidationError` keyed by field: name, time_zone, latitude, longitude, logo, admin_username,
    admin_password, offices, kecamatan.
    """
    _lock_governments()
    if require_empty and not setup_is_open():
        raise SetupClosed
    errors: dict[str, list[str]] = {}
    full_name = government_name(name)
    slug = slug_for(full_name)
    if not slug:
        _add(errors, "name", _(ERROR_NAME_REQUIRED))
    else:
        existing = Government.objects.filter(slug=slug).first() or next(
            (g for g in Government.objects.all() if g.name.casefold() == full_name.casefold()), None
        )
        if existing is not None:
            _add(errors, "name", _(ERROR_GOVERNMENT_EXISTS).format(name=existing.name, slug=existing.slug))
    if time_zone not in dict(TIME_ZONES):
        _add(errors, "time_zone", _(ERROR_TIME_ZONE))
    if not LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]:
        _add(errors, "latitude", _(ERROR_LATITUDE).format(value=_decimal_comma(latitude)))
    if not LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]:
        _add(errors, "longitude", _(ERROR_LONGITUDE).format(value=_decimal_comma(longitude)))
    png = b""
    if logo:
        try:
            png = logo_png(logo)
        except ValidationError as error:
            errors.setdefault("logo", []).extend(error.messages)

    admin = User(
        username=admin_username.strip(),
        first_name=admin_first_name.strip()[:150],
        last_name=admin_last_name.strip()[:150],
        email=admin_email.strip(),
        is_staff=True,
        is_superuser=True,
    )
    try:
        admin.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(f"admin_{key}", []).extend(messages)
    if admin.username and User.objects.filter(username__iexact=admin.username).exists():
        _add(errors, "admin_username", _(ERROR_USERNAME_TAKEN).format(username=admin.username))
    try:
        validate_password(admin_password, user=admin)
    except ValidationError as error:
        errors.setdefault("admin_password", []).extend(error.messages)

    picked = _pick_offices(office_codes, kecamatan, errors)
    if errors:
        raise ValidationError(errors)

    government = Government(
        name=full_name,
        slug=slug,
        time_zone=time_zone,
        latitude=latitude.quantize(Decimal("0.000001")),
        longitude=longitude.quantize(Decimal("0.000001")),
        address=address.strip(),
    )
    government.full_clean()
    government.save()
    if png:
        GovernmentLogo.objects.create(government=government, png=png)
    admin.set_password(admin_password)
    admin.save()
    Role.objects.create(user=admin, kind=Role.Kind.ADMIN, government=government)
    offices = []
    for spec in picked:
        office = Office(government=government, code=spec.code, name=spec.name, kind=spec.kind)
        office.full_clean()
        offices.append(office)
    Office.objects.bulk_create(offices)
    audit_record(
        actor=admin,
        office=None,
        action="government.init",
        obj=government,
        new={
            "name": government.name,
            "offices": [office.code for office in offices],
            "admin": admin.username,
        },
    )
    return GovernmentInitResult(government=government, admin=admin, offices=offices)
