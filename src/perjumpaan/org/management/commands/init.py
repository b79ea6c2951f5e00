"""`perjumpaan init`: set up a real government on a fresh database (interactive, or with flags)."""

from __future__ import annotations

import getpass
import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.org.models import Government
from perjumpaan.org.setup import (
    DEFAULT_TIME_ZONE,
    LOGO_MAX_BYTES,
    TIME_ZONES,
    GovernmentInitResult,
    government_init,
    standard_offices,
)

PASSWORD_ENV = "PERJUMPAAN_ADMIN_PASSWORD"  # noqa: S105  # nosec B105  # a variable name
REFUSED = gettext_noop("Penyiapan dibatalkan; tidak ada data yang disimpan.")
MISSING = gettext_noop("Tanpa --no-input, isi juga: {options}.")
NOT_A_NUMBER = gettext_noop("{value} bukan angka desimal (contoh: -8.6936).")
NO_LOGO = gettext_noop("Berkas logo {path} tidak dapat dibaca.")
NO_PASSWORD = gettext_noop(
    "Kata sandi admin belum diberikan: pakai --admin-password-file BERKAS atau variabel lingkungan {env}."
)

# Field of the service -> (option, prompt).
FIELDS: dict[str, tuple[str, str]] = {
    "name": ("--name", gettext_noop("Nama pemerintah daerah (misalnya Kabupaten Lombok Barat)")),
    "time_zone": ("--time-zone", gettext_noop("Zona waktu")),
    "latitude": ("--latitude", gettext_noop("Lintang kantor bupati, untuk waktu salat (misalnya -8.6936)")),
    "longitude": ("--longitude", gettext_noop("Bujur kantor bupati (misalnya 116.1230)")),
    "address": ("--address", gettext_noop("Alamat untuk kop surat")),
    "logo": ("--logo", gettext_noop("Berkas logo PNG atau JPEG untuk kop surat (kosongkan bila belum ada)")),
    "admin_username": ("--admin-username", gettext_noop("Nama pengguna admin pertama")),
    "admin_first_name": ("--admin-name", gettext_noop("Nama lengkap admin")),
    "admin_email": ("--admin-email", gettext_noop("Email admin (boleh kosong)")),
    "admin_password": ("--admin-password-file", gettext_noop("Kata sandi admin")),
    "offices": ("--offices", gettext_noop("Perangkat daerah")),
    "kecamatan": ("--kecamatan", gettext_noop("Kecamatan, dipisah koma (boleh kosong)")),
}
REQUIRED = ("name", "latitude", "longitude", "admin_username", "admin_password")


class Command(BaseCommand):
    help = gettext_noop(
        "Menyiapkan pemerintah daerah baru di basis data: nama, zona waktu, koordinat (waktu salat), kop "
        "surat (alamat, logo), admin pertama, dan perangkat daerah dari daftar baku. Tanpa --no-input, yang "
        "belum diisi ditanyakan. Semua atau tidak sama sekali; menolak pemerintah daerah yang sudah ada."
    )
    # The stream the interactive questions are read from (tests give a StringIO).
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-input", action="store_true", help=_("Jangan bertanya; semua dari opsi."))
        parser.add_argument("--name", help=_("Nama pemerintah daerah, misalnya Kabupaten Lombok Barat."))
        parser.add_argument(
            "--time-zone",
            choices=[zone for zone, _label in TIME_ZONES],
            help=_("Zona waktu (bawaan: Asia/Makassar, WITA)."),
        )
        parser.add_argument("--latitude", help=_("Lintang, misalnya -8.6936."))
        parser.add_argument("--longitude", help=_("Bujur, misalnya 116.1230."))
        parser.add_argument("--address", help=_("Alamat untuk kop surat."))
        parser.add_argument("--logo", metavar="FILE", help=_("Logo PNG atau JPEG untuk kop surat."))
        parser.add_argument("--admin-username", help=_("Nama pengguna admin pertama."))
        parser.add_argument("--admin-name", help=_("Nama lengkap admin."))
        parser.add_argument("--admin-email", help=_("Email admin."))
        parser.add_argument(
            "--admin-password-file",
            metavar="FILE",
            help=_("Berkas berisi kata sandi admin (atau variabel lingkungan {env}).").format(
                env=PASSWORD_ENV
            ),
        )
        parser.add_argument(
            "--offices",
            help=_("Kode perangkat daerah dipisah koma, atau 'all' untuk seluruh daftar baku (bawaan: all)."),
        )
        parser.add_argument("--kecamatan", help=_("Nama kecamatan dipisah koma, misalnya 'Gerung,Lingsar'."))
        parser.add_argument(
            "--list-offices",
            action="store_true",
            help=_("Tampilkan daftar baku perangkat daerah, lalu keluar."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_offices"]:
            for office in standard_offices():
                self.stdout.write(f"{office.code:<12} {office.name}")
            return
        self.input: TextIO = options.get("stdin") or sys.stdin
        interactive = not options["no_input"]
        values = self.from_options(options)
        while True:
            self.complete(values, interactive)
            try:
                result = government_init(**self.arguments(values))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    option, prompt = FIELDS.get(field, (field, field))
                    label = _(prompt) if interactive else option
                    for message in messages:
                        self.stderr.write(f"{label}: {message}")
                if not interactive or not set(error.message_dict) & set(FIELDS):
                    raise CommandError(_(REFUSED)) from None
                # Ask again for what was refused, keeping every other answer.
                for field in error.message_dict:
                    values.pop(field, None)
                continue
            break
        self.show(result)

    # --- gathering the answers --------------------------------------------------------------------

    def complete(self, values: dict[str, Any], interactive: bool) -> None:
        """Ask for what is missing, or without questions refuse what is required and default the rest."""
        if interactive:
            for name in FIELDS:
                if name not in values:
                    values[name] = self.ask(name)
            return
        missing = [name for name in REQUIRED if not values.get(name)]
        if "admin_password" in missing:
            raise CommandError(_(NO_PASSWORD).format(env=PASSWORD_ENV))
        if missing:
            raise CommandError(_(MISSING).format(options=", ".join(FIELDS[name][0] for name in missing)))
        values.setdefault("time_zone", DEFAULT_TIME_ZONE)
        values.setdefault("offices", [o.code for o in standard_offices()])

    def from_options(self, options: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, key in (
            ("name", "name"),
            ("time_zone", "time_zone"),
            ("address", "address"),
            ("admin_username", "admin_username"),
            ("admin_first_name", "admin_name"),
            ("admin_email", "admin_email"),
        ):
            if options.get(key) is not None:
                values[name] = options[key]
        for name in ("latitude", "longitude"):
            if options.get(name) is not None:
                values[name] = self.decimal(options[name])
        if options.get("logo"):
            values["logo"] = self.read_logo(options["logo"])
        if options.get("offices"):
            values["offices"] = self.office_codes(options["offices"])
        if options.get("kecamatan") is not None:
            values["kecamatan"] = [n for n in options["kecamatan"].split(",") if n.strip()]
        password = ""  # nosec B105: empty until read from the file or the environment below
        if options.get("admin_password_file"):
            try:
                password = Path(options["admin_password_file"]).read_text(encoding="utf-8").strip("\r\n")
            except OSError as error:
                raise CommandError(str(error)) from None
        password = password or os.environ.get(PASSWORD_ENV, "")
        if password:
            values["admin_password"] = password
        return values

    def decimal(self, text: str) -> Decimal:
        try:
            value = Decimal(text.strip().replace(",", "."))
        except InvalidOperation:
            raise CommandError(_(NOT_A_NUMBER).format(value=text)) from None
        if not value.is_finite():
            raise CommandError(_(NOT_A_NUMBER).format(value=text))
        return value

    def read_logo(self, path: str) -> bytes:
        try:
            with open(path, "rb") as handle:
                return handle.read(LOGO_MAX_BYTES + 1)
        except OSError:
            raise CommandError(_(NO_LOGO).format(path=path)) from None

    def office_codes(self, text: str) -> list[str]:
        if text.strip().lower() in ("all", "semua"):
            return [office.code for office in standard_offices()]
        return [code.strip().upper() for code in text.split(",") if code.strip()]

    def line(self, prompt: str, default: str = "") -> str:
        shown = f"{prompt} [{default}]: " if default else f"{prompt}: "
        self.stdout.write(shown, ending="")
        self.stdout.flush()
        answer = self.input.readline()
        if answer == "":
            raise CommandError(_(REFUSED))  # end of input: nobody is answering
        return answer.strip() or default

    def ask(self, name: str) -> Any:
        prompt = _(FIELDS[name][1])
        while True:
            try:
                return self.ask_once(name, prompt)
            except CommandError as error:
                if str(error) == _(REFUSED):
                    raise
                self.stderr.write(str(error))

    def ask_once(self, name: str, prompt: str) -> Any:
        if name == "time_zone":
            for number, (_zone, label) in enumerate(TIME_ZONES, 1):
                self.stdout.write(f"  {number}. {_(label)}")
            default = str(1 + [zone for zone, _label in TIME_ZONES].index(DEFAULT_TIME_ZONE))
            answer = self.line(prompt, default)
            zones = [zone for zone, _label in TIME_ZONES]
            return zones[int(answer) - 1] if answer.isdigit() and 1 <= int(answer) <= len(zones) else answer
        if name in ("latitude", "longitude"):
            return self.decimal(self.line(prompt))
        if name == "logo":
            path = self.line(prompt)
            return self.read_logo(path) if path else b""
        if name == "admin_password":
            return self.password(prompt)
        if name == "offices":
            for number, office in enumerate(standard_offices(), 1):
                self.stdout.write(f"  {number:>2}. {office.code:<12} {office.name}")
            answer = self.line(_("Pilih dengan nomor atau kode dipisah koma, atau 'semua'"), _("semua"))
            if answer.lower() in ("semua", "all"):
                return [office.code for office in standard_offices()]
            listed = standard_offices()
            return [
                listed[int(part) - 1].code
                if part.isdigit() and 1 <= int(part) <= len(listed)
                else part.upper()
                for part in (p.strip() for p in answer.split(","))
                if part
            ]
        if name == "kecamatan":
            return [n for n in self.line(prompt).split(",") if n.strip()]
        return self.line(prompt)

    def password(self, prompt: str) -> str:
        if self.input is sys.stdin and sys.stdin.isatty():
            first = getpass.getpass(f"{prompt}: ")
            second = getpass.getpass(_("Ulangi kata sandi: "))
        else:
            first = self.line(prompt)
            second = self.line(_("Ulangi kata sandi"))
        if first != second:
            raise CommandError(_("Kedua kata sandi tidak sama."))
        return first

    def arguments(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": values.get("name", ""),
            "time_zone": values.get("time_zone") or DEFAULT_TIME_ZONE,
            "latitude": values["latitude"],
            "longitude": values["longitude"],
            "address": values.get("address", ""),
            "logo": values.get("logo", b""),
            "admin_username": values.get("admin_username", ""),
            "admin_first_name": values.get("admin_first_name", ""),
            "admin_email": values.get("admin_email", ""),
            "admin_password": values.get("admin_password", ""),
            "office_codes": values.get("offices", []),
            "kecamatan": values.get("kecamatan", []),
        }

    # --- the answer -------------------------------------------------------------------------------

    def show(self, result: GovernmentInitResult) -> None:
        government, offices = result.government, result.offices
        self.stdout.write(
            self.style.SUCCESS(
                _("{government} siap: {count} perangkat daerah, admin {username}.").format(
                    government=government.name, count=len(offices), username=result.admin.username
                )
            )
        )
        example = next((o for o in offices if o.code == "DUKCAPIL"), offices[0])
        several = Government.objects.exclude(pk=government.pk).exists()
        where = f" --government {government.slug}" if several else ""
        self.stdout.write("")
        self.stdout.write(_("Langkah berikutnya:"))
        self.stdout.write(_("  1. Impor daftar pegawai setiap perangkat daerah (.xlsx atau .csv), misalnya:"))
        self.stdout.write(
            f"       perjumpaan import_staff pegawai-{example.code.lower()}.xlsx"
            f" --office {example.code}{where}"
        )
        self.stdout.write(
            _("     atau masuk sebagai {username} dan buka /opd/{code}/impor/ di peramban.").format(
                username=result.admin.username, code=example.code
            )
        )
        self.stdout.write(
            _("  2. Buat akun koordinator setiap perangkat daerah di halaman Administrasi (/admin/).")
        )
        self.stdout.write(_("  3. Tetapkan perangkat daerah perintis dan jadwal pertemuan pertamanya."))
