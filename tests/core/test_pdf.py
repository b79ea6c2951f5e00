"""The one PDF mechanism: Typst templates, data as JSON, the shared letterhead, footer and fonts."""

from __future__ import annotations

import string
import subprocess
import tempfile
from pathlib import Path

import time_machine
from django.test import SimpleTestCase

from perjumpaan.core.pdf import PdfError, letterhead, qr_svg, render_pdf
from perjumpaan.org.models import Government, Office

HERE = Path(__file__).parent
SAMPLE = HERE / "pdf_sample.typ"
GLYPHS = HERE / "pdf_glyphs.typ"
# What Indonesian documents print: names with apostrophes and the odd accent, titles, dates with dashes,
# quotations, "Rp", "No.", degrees, times with a dot.
INDONESIAN_CHARACTERS = (
    string.ascii_letters + string.digits + string.punctuation + "–—“”‘’·…•°×éÉèêëàáâäíîïóôöúûüñçÁÍÓÚ"
)
# A code point no font has: Typst draws its "missing glyph" box, the picture every missing glyph shares.
NO_GLYPH = "\U0010fffd"


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S607
    return result.stdout.decode()


def pdf_fonts(pdf: bytes) -> list[str]:
    result = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True)  # noqa: S607
    return [line.split()[0].split("+", 1)[-1] for line in result.stdout.decode().splitlines()[2:]]


def lombok_barat() -> tuple[Government, Office]:
    government = Government(name="Kabupaten Lombok Barat", address="Jl. Soekarno-Hatta, Giri Menang, Gerung")
    office = Office(
        government=government,
        code="DUKCAPIL",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        address="Jl. Gunung Rinjani No. 2,\n  Gerung",
    )
    return government, office


class RenderPdfTests(SimpleTestCase):
    def test_it_renders_the_letterhead_the_body_and_the_footer(self) -> None:
        _government, office = lombok_barat()
        pdf = render_pdf(
            SAMPLE,
            {
                "title": "Contoh",
                "letterhead": letterhead(office=office),
                "footer": "Dicetak dari Perjumpaan, Jumat, 4 Desember 2026",
                "body": "Isi laporan mingguan.",
            },
        )
        self.assertTrue(pdf.startswith(b"%PDF-"))
        text = pdf_text(pdf)
        for expected in [
            "PEMERINTAH KABUPATEN LOMBOK BARAT",
            "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
            "Jl. Gunung Rinjani No. 2, Gerung",
            "Isi laporan mingguan.",
            "Dicetak dari Perjumpaan, Jumat, 4 Desember 2026",
            "Halaman 1 dari 1",
        ]:
            self.assertIn(expected, text)

    def test_every_page_is_numbered_out_of_the_total(self) -> None:
        pdf = render_pdf(SAMPLE, {"body": "Halaman pertama", "extra_pages": 2})
        text = pdf_text(pdf)
        for page in (1, 2, 3):
            self.assertIn(f"Halaman {page} dari 3", text)

    def test_data_is_printed_as_text_never_run_as_typst(self) -> None:
        mischief = '#panic("x") *tebal* _miring_ $x^2$ <label> @rujukan // bukan \\ #read("/settings.py")'
        text = pdf_text(render_pdf(SAMPLE, {"body": mischief}))
        self.assertIn(mischief, text.replace("\n", " "))

    def test_a_template_is_named_relative_to_the_package_or_by_path(self) -> None:
        # The shared pieces compile on their own, to an empty page: only definitions.
        self.assertTrue(render_pdf("core/pdf/perjumpaan.typ", {}).startswith(b"%PDF-"))
        self.assertIn("x", pdf_text(render_pdf(SAMPLE, {"body": "x"})))
        with self.assertRaises(FileNotFoundError):
            render_pdf("program/pdf/tidak_ada.typ", {})

    def test_a_broken_template_raises_pdf_error_with_typst_s_message(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            broken = Path(directory) / "broken.typ"
            broken.write_text('#import "/core/pdf/perjumpaan.typ": inputs\n#inputs().tidak_ada\n')
            with self.assertRaisesRegex(PdfError, r"broken\.typ: .*tidak_ada"):
                render_pdf(broken, {})

    def test_the_same_data_at_the_same_moment_gives_the_same_bytes(self) -> None:
        with time_machine.travel("2026-12-04 01:00:00+00:00", tick=False):
            first = render_pdf(SAMPLE, {"body": "sama"})
            second = render_pdf(SAMPLE, {"body": "sama"})
        self.assertEqual(first, second)

    def test_it_uses_only_the_fonts_typst_embeds(self) -> None:
        pdf = render_pdf(SAMPLE, {"body": "Perjumpaan – “kebersamaan” · 12.30"})
        self.assertEqual(set(pdf_fonts(pdf)), {"LibertinusSerif-Regular-Identity-H"})

    def test_every_character_indonesian_text_uses_has_a_glyph(self) -> None:
        pdf = render_pdf(GLYPHS, {"chars": NO_GLYPH + INDONESIAN_CHARACTERS})
        with tempfile.TemporaryDirectory() as directory:
            subprocess.run(  # noqa: S603
                ["pdftoppm", "-png", "-r", "50", "-", f"{directory}/p"],  # noqa: S607
                input=pdf,
                capture_output=True,
                check=True,
            )
            pages = [path.read_bytes() for path in sorted(Path(directory).glob("p-*.png"))]
        self.assertEqual(len(pages), 1 + len(INDONESIAN_CHARACTERS))
        tofu, *drawn = pages
        missing = [char for char, page in zip(INDONESIAN_CHARACTERS, drawn, strict=True) if page == tofu]
        self.assertEqual(missing, [])

    def test_the_glyph_check_can_see_a_missing_glyph(self) -> None:
        # Otherwise "no character is missing" above would prove nothing.
        pdf = render_pdf(GLYPHS, {"chars": NO_GLYPH + "ﷺA"})
        with tempfile.TemporaryDirectory() as directory:
            subprocess.run(  # noqa: S603
                ["pdftoppm", "-png", "-r", "50", "-", f"{directory}/p"],  # noqa: S607
                input=pdf,
                capture_output=True,
                check=True,
            )
            tofu, arabic, latin = [path.read_bytes() for path in sorted(Path(directory).glob("p-*.png"))]
        self.assertEqual(arabic, tofu)
        self.assertNotEqual(latin, tofu)

    def test_a_qr_code_is_placed_as_an_image(self) -> None:
        svg = qr_svg("https://perjumpaan.example.go.id/opd/DUKCAPIL/pekan/?w=2026-W49")
        self.assertTrue(svg.startswith("<svg"))
        pdf = render_pdf(SAMPLE, {"body": "QR", "qr_svg": svg})
        self.assertTrue(pdf.startswith(b"%PDF-"))


class LetterheadTests(SimpleTestCase):
    def test_an_office_letterhead_falls_back_to_the_government_s_address(self) -> None:
        _government, office = lombok_barat()
        office.address = ""
        self.assertEqual(
            letterhead(office=office),
            {
                "government": "Pemerintah Kabupaten Lombok Barat",
                "office": "Dinas Kependudukan dan Pencatatan Sipil",
                "address": "Jl. Soekarno-Hatta, Giri Menang, Gerung",
                "logo_svg": None,
            },
        )

    def test_a_government_already_called_pemerintah_is_not_called_so_twice(self) -> None:
        government = Government(name="Pemerintah Provinsi Nusa Tenggara Barat")
        self.assertEqual(letterhead(government=government)["government"], government.name)
        self.assertEqual(letterhead(government=government)["office"], "")
