"""First run for a real government: `government_init` and the `perjumpaan init` command."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import TestCase
from PIL import Image

from perjumpaan.core.pdf import letterhead, render_pdf
from perjumpaan.org.models import AuditEntry, Government, GovernmentLogo, Office, Role, User
from perjumpaan.org.setup import (
    LOGO_SIZE,
    SetupClosed,
    government_init,
    kecamatan_office,
    logo_png,
    setup_is_open,
    slug_for,
    standard_offices,
)

PASSWORD = "Giri-Menang-2026!"
IMAGE = re.compile(rb"/Subtype\s*/Image\b")
SAMPLE_TEMPLATE = Path(__file__).resolve().parents[1] / "core" / "pdf_sample.typ"


def image_bytes(fmt: str, size: tuple[int, int] = (300, 360)) -> bytes:
    picture = Image.new("RGB", size, "white")
    picture.paste((200, 30, 30), (20, 20, size[0] - 20, size[1] - 20))
    out = io.BytesIO()
    picture.save(out, format=fmt)
    return out.getvalue()


def lombok_barat(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "Kabupaten Lombok Barat",
        "time_zone": "Asia/Makassar",
        "latitude": Decimal("-8.6936"),
        "longitude": Decimal("116.123"),
        "address": "Jl. Soekarno-Hatta No. 1, Giri Menang, Gerung",
        "admin_username": "admin.lobar",
        "admin_first_name": "Lalu Ahmad Zaini",
        "admin_password": PASSWORD,
        "office_codes": ["DUKCAPIL", "PUPR", "DIKBUD", "DINKES"],
        "kecamatan": ["Gerung", "Batu Layar"],
    }
    values.update(overrides)
    return values


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Government, Office, User, Role, AuditEntry)}


class StandardListTests(TestCase):
    def test_the_list_holds_a_regency_offices_with_the_demo_codes(self) -> None:
        offices = standard_offices()
        codes = [office.code for office in offices]
        self.assertEqual(len(codes), len(set(codes)), "codes are unique")
        for code in ("SETDA", "INSPEKTORAT", "BAPPEDA", "DUKCAPIL", "DIKBUD", "DINKES", "PUPR", "RSUD"):
            self.assertIn(code, codes)
        for office in offices:
            self.assertRegex(office.code, r"^[A-Z0-9_]{2,20}$")
            self.assertIn(office.kind, Office.Kind.values)
        by_code = {office.code: office.name for office in offices}
        self.assertEqual(by_code["DUKCAPIL"], "Dinas Kependudukan dan Pencatatan Sipil")
        self.assertEqual(by_code["PUPR"], "Dinas Pekerjaan Umum dan Penataan Ruang")

    def test_a_kecamatan_gets_its_code_from_its_name(self) -> None:
        self.assertEqual(kecamatan_office("Batu Layar").code, "BATULAYAR")
        self.assertEqual(kecamatan_office("Batu Layar").name, "Kecamatan Batu Layar")
        self.assertEqual(kecamatan_office("  kecamatan   Gerung ").name, "Kecamatan Gerung")
        self.assertEqual(kecamatan_office("Kecamatan Gerung").code, "GERUNG")
        self.assertEqual(kecamatan_office("Kuripan Timur").code, "KURIPANTIMUR")

    def test_the_government_code_comes_from_its_name(self) -> None:
        self.assertEqual(slug_for("Pemerintah Kabupaten Lombok Barat"), "kabupaten-lombok-barat")
        self.assertEqual(slug_for("Kota Mataram"), "kota-mataram")


class GovernmentInitTests(TestCase):
    def test_it_sets_up_the_government_its_offices_and_the_first_admin(self) -> None:
        self.assertTrue(setup_is_open())
        result = government_init(**lombok_barat())  # type: ignore[arg-type]

        government = Government.objects.get()
        self.assertEqual(government.name, "Pemerintah Kabupaten Lombok Barat")
        self.assertEqual(government.slug, "kabupaten-lombok-barat")
        self.assertEqual(government.time_zone, "Asia/Makassar")
        self.assertEqual(government.latitude, Decimal("-8.693600"))
        self.assertEqual(government.longitude, Decimal("116.123000"))
        self.assertEqual(government.address, "Jl. Soekarno-Hatta No. 1, Giri Menang, Gerung")
        offices = dict(Office.objects.filter(government=government).values_list("code", "name"))
        self.assertEqual(
            offices,
            {
                "DUKCAPIL": "Dinas Kependudukan dan Pencatatan Sipil",
                "PUPR": "Dinas Pekerjaan Umum dan Penataan Ruang",
                "DIKBUD": "Dinas Pendidikan dan Kebudayaan",
                "DINKES": "Dinas Kesehatan",
                "GERUNG": "Kecamatan Gerung",
                "BATULAYAR": "Kecamatan Batu Layar",
            },
        )
        self.assertEqual(Office.objects.get(code="GERUNG").kind, Office.Kind.KECAMATAN)
        self.assertEqual(len(result.offices), 6)

        admin = User.objects.get(username="admin.lobar")
        self.assertEqual(admin.first_name, "Lalu Ahmad Zaini")
        self.assertTrue(admin.is_superuser and admin.is_staff and not admin.is_demo)
        self.assertTrue(admin.check_password(PASSWORD))
        self.assertEqual(
            list(Role.objects.values_list("user__username", "kind", "government", "office")),
            [("admin.lobar", "admin", government.pk, None)],
        )
        entry = AuditEntry.objects.get(action="government.init")
        self.assertEqual(entry.actor, admin)
        self.assertEqual(len(entry.new["offices"]), 6)
        self.assertFalse(setup_is_open())

    def test_it_refuses_the_same_government_twice_and_writes_nothing(self) -> None:
        government_init(**lombok_barat())  # type: ignore[arg-type]
        before = counts()
        for name in ("Kabupaten Lombok Barat", "PEMERINTAH KABUPATEN LOMBOK BARAT"):
            with self.assertRaises(ValidationError) as caught:
                government_init(**lombok_barat(name=name, admin_username="admin2"))  # type: ignore[arg-type]
            self.assertIn("sudah ada di basis data ini", caught.exception.message_dict["name"][0])
        self.assertEqual(counts(), before)

    def test_the_wizard_form_of_it_refuses_once_any_government_exists(self) -> None:
        government_init(**lombok_barat())  # type: ignore[arg-type]
        before = counts()
        with self.assertRaises(SetupClosed):
            government_init(**lombok_barat(name="Kota Mataram", admin_username="x"), require_empty=True)  # type: ignore[arg-type]
        self.assertEqual(counts(), before)

    def test_one_bad_answer_saves_nothing_and_every_problem_is_told(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            government_init(
                **lombok_barat(  # type: ignore[arg-type]
                    latitude=Decimal("8.6936"),  # the minus sign forgotten: the Philippines
                    longitude=Decimal("16.123"),
                    time_zone="Asia/Tokyo",
                    admin_password="admin.lobar",
                    office_codes=["DUKCAPIL", "TIDAKADA"],
                    kecamatan=["Dinkes", "!!!"],
                    logo=b"bukan gambar",
                )
            )
        errors = caught.exception.message_dict
        self.assertIn("Lintang 8,6936 berada di luar wilayah Indonesia", errors["latitude"][0])
        self.assertIn("Bujur 16,123 berada di luar wilayah Indonesia", errors["longitude"][0])
        self.assertEqual(errors["time_zone"], ["Pilih salah satu zona waktu Indonesia: WIB, WITA atau WIT."])
        self.assertEqual(errors["logo"], ["Logo harus berupa gambar PNG atau JPEG."])
        self.assertEqual(errors["offices"], ["Kode perangkat daerah tidak dikenal: TIDAKADA."])
        self.assertTrue(errors["admin_password"])  # Django's validators, in Indonesian
        self.assertEqual(
            errors["kecamatan"],
            ["Nama kecamatan \u201c!!!\u201d tidak berisi huruf atau angka."],
        )
        self.assertEqual(counts(), {"Government": 0, "Office": 0, "User": 0, "Role": 0, "AuditEntry": 0})

    def test_a_kecamatan_whose_code_is_taken_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            government_init(**lombok_barat(office_codes=["DINKES"], kecamatan=["Dinkes"]))  # type: ignore[arg-type]
        self.assertIn(
            "Kode DINKES untuk Kecamatan Dinkes bentrok", caught.exception.message_dict["kecamatan"][0]
        )

    def test_no_office_at_all_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            government_init(**lombok_barat(office_codes=[], kecamatan=[]))  # type: ignore[arg-type]
        self.assertEqual(
            caught.exception.message_dict["offices"], ["Pilih sedikitnya satu perangkat daerah."]
        )

    def test_a_taken_username_is_refused(self) -> None:
        User.objects.create_user(username="Admin.Lobar", password="x")
        with self.assertRaises(ValidationError) as caught:
            government_init(**lombok_barat())  # type: ignore[arg-type]
        self.assertEqual(
            caught.exception.message_dict["admin_username"], ["Nama pengguna admin.lobar sudah dipakai."]
        )


class LogoTests(TestCase):
    def test_a_jpeg_logo_is_kept_as_a_png_of_at_most_512_px(self) -> None:
        png = logo_png(image_bytes("JPEG", (1200, 1440)))
        with Image.open(io.BytesIO(png)) as picture:
            self.assertEqual(picture.format, "PNG")
            # 1200 × 1440 scaled to fit 512: 427 × 512 (1200 × 512 / 1440 = 426.7).
            self.assertEqual(picture.size, (427, LOGO_SIZE))

    def test_anything_but_png_or_jpeg_is_refused(self) -> None:
        for content in (
            b"",
            b"GIF89a not really",
            image_bytes("GIF"),
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        ):
            with self.assertRaises(ValidationError) as caught:
                logo_png(content)
            self.assertEqual(caught.exception.messages, ["Logo harus berupa gambar PNG atau JPEG."])

    def test_the_letterhead_of_every_pdf_carries_the_logo(self) -> None:
        government_init(**lombok_barat(logo=image_bytes("PNG")))  # type: ignore[arg-type]
        government = Government.objects.get()
        self.assertTrue(bytes(GovernmentLogo.objects.get(government=government).png).startswith(b"\x89PNG"))
        head = letterhead(office=Office.objects.get(code="DUKCAPIL"))
        self.assertIn("data:image/png;base64,", head["logo_svg"])
        pdf = render_pdf(SAMPLE_TEMPLATE, {"title": "Uji", "letterhead": head, "body": "Isi", "footer": "f"})
        self.assertTrue(IMAGE.search(pdf), "the PDF holds no image")
        without = render_pdf(
            SAMPLE_TEMPLATE,
            {"title": "Uji", "letterhead": {**head, "logo_svg": None}, "body": "Isi", "footer": "f"},
        )
        self.assertFalse(IMAGE.search(without), "an image without a logo")


class InitCommandTests(TestCase):
    def setUp(self) -> None:
        self.dir = TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.password_file = Path(self.dir.name) / "sandi"
        self.password_file.write_text(PASSWORD + "\n", encoding="utf-8")

    def run_init(self, *args: str, stdin: str | None = None) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        extra = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
        call_command("init", *args, stdout=out, stderr=err, **extra)
        return out.getvalue(), err.getvalue()

    def flags(self, *extra: str) -> list[str]:
        return [
            "--no-input",
            "--name=Kabupaten Lombok Barat",
            "--latitude=-8,6936",
            "--longitude=116.1230",
            "--admin-username=admin.lobar",
            f"--admin-password-file={self.password_file}",
            *extra,
        ]

    def test_with_flags_it_sets_up_every_standard_office_and_says_what_comes_next(self) -> None:
        logo = Path(self.dir.name) / "logo.jpg"
        logo.write_bytes(image_bytes("JPEG"))
        out, err = self.run_init(*self.flags(f"--logo={logo}", "--kecamatan=Gerung,Lingsar"))
        self.assertEqual(err, "")
        government = Government.objects.get()
        self.assertEqual(government.latitude, Decimal("-8.693600"))
        self.assertTrue(bytes(GovernmentLogo.objects.get(government=government).png).startswith(b"\x89PNG"))
        self.assertEqual(Office.objects.count(), len(standard_offices()) + 2)
        self.assertIn(
            f"Pemerintah Kabupaten Lombok Barat siap: {len(standard_offices()) + 2} perangkat daerah", out
        )
        self.assertIn("perjumpaan import_staff pegawai-dukcapil.xlsx --office DUKCAPIL", out)
        self.assertTrue(User.objects.get(username="admin.lobar").check_password(PASSWORD))

    def test_it_refuses_to_run_twice_with_a_clear_message(self) -> None:
        self.run_init(*self.flags("--offices=DUKCAPIL,PUPR"))
        before = counts()
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "Penyiapan dibatalkan; tidak ada data yang disimpan."):
            call_command("init", *self.flags("--offices=DUKCAPIL"), stdout=io.StringIO(), stderr=err)
        self.assertIn(
            "--name: Pemerintah daerah Pemerintah Kabupaten Lombok Barat sudah ada di basis data ini "
            "(kode kabupaten-lombok-barat)",
            err.getvalue(),
        )
        self.assertIn("--admin-username: Nama pengguna admin.lobar sudah dipakai.", err.getvalue())
        self.assertEqual(counts(), before)

    def test_without_questions_it_names_what_is_missing(self) -> None:
        with self.assertRaisesMessage(CommandError, "isi juga: --latitude, --longitude"):
            self.run_init(
                "--no-input",
                "--name=Kota Mataram",
                "--admin-username=a",
                f"--admin-password-file={self.password_file}",
            )
        with self.assertRaisesMessage(CommandError, "PERJUMPAAN_ADMIN_PASSWORD"):
            self.run_init("--no-input", "--name=Kota Mataram")
        with self.assertRaisesMessage(CommandError, "bukan angka desimal"):
            self.run_init(*self.flags("--latitude=delapan"))
        self.assertEqual(Government.objects.count(), 0)

    def test_it_asks_what_the_flags_do_not_say_and_asks_again_after_a_mistake(self) -> None:
        answers = "\n".join(
            [
                "Kota Mataram",  # name
                "3",  # time zone: WITA
                "delapan",  # latitude, not a number: asked again
                "-8,5833",
                "116,1167",  # longitude
                "Jl. Pejanggik No. 16, Mataram",  # address
                "",  # no logo
                "admin.mataram",
                "Baiq Rina Hartini",
                "",  # no email
                "rahasia",  # password, too short: asked again after the check
                "rahasia",
                "DUKCAPIL, 12",  # offices by code and by number (12 is PUPR)
                "Ampenan",  # kecamatan
                PASSWORD,
                PASSWORD,
                "",
            ]
        )
        out, err = self.run_init(stdin=answers)
        self.assertIn("bukan angka desimal", err)
        self.assertIn("Kata sandi admin: ", err)  # the password problem, labelled by its question
        government = Government.objects.get()
        self.assertEqual(government.name, "Pemerintah Kota Mataram")
        self.assertEqual(government.latitude, Decimal("-8.583300"))
        self.assertEqual(
            sorted(Office.objects.values_list("code", flat=True)), ["AMPENAN", "DUKCAPIL", "PUPR"]
        )
        mataram_admin = User.objects.get(username="admin.mataram")
        self.assertTrue(mataram_admin.check_password(PASSWORD))
        self.assertEqual(mataram_admin.first_name, "Baiq Rina Hartini")
        self.assertIn("Pemerintah Kota Mataram siap: 3 perangkat daerah", out)

    def test_the_standard_list_can_be_shown(self) -> None:
        out, _err = self.run_init("--list-offices")
        lines = out.splitlines()
        self.assertEqual(len(lines), len(standard_offices()))
        self.assertTrue(any(re.match(r"^DUKCAPIL\s+Dinas Kependudukan", line) for line in lines))
