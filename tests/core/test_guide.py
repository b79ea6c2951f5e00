"""The user guide as help pages: docs/panduan/*.md rendered at /panduan/, its screenshots served from
docs/screenshots/ only, links between the pages working, and a notice when the folder is missing."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from perjumpaan.core.guide import _rewrite_image, _rewrite_link, guide_pages
from tests.base import PerjumpaanTestCase

DOCS = Path(settings.PERJUMPAAN_GUIDE_DIR)


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


def srcs(html: str) -> list[str]:
    return re.findall(r'<img[^>]* src="([^"]+)"', html)


class GuidePagesTests(PerjumpaanTestCase):
    def test_the_default_folder_is_the_repository_s_docs(self) -> None:
        self.assertEqual(DOCS, Path(__file__).resolve().parents[2] / "docs")
        names = [page.name for page in guide_pages()]
        self.assertEqual(names, ["README", "pegawai", "koordinator", "admin", "pimpinan", "warga"])

    def test_every_logged_in_user_reads_the_index_and_finds_it_in_the_navigation(self) -> None:
        for persona in ("staf_dukcapil", "koord_dukcapil", "fasilitator", "admin", "pimpinan", "outsider"):
            with self.subTest(persona=persona):
                self.client.force_login(getattr(self, persona))
                response = self.client.get("/panduan/")
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                self.assertIn("<h1", html)
                self.assertIn("Panduan Pengguna Perjumpaan", html)
                self.assertIn('<a href="/panduan/" aria-current="page">Panduan</a>', html)
                # The role table links to the other pages as help pages, not as .md files.
                for name in ("pegawai", "koordinator", "admin", "pimpinan", "warga"):
                    self.assertIn(f'href="/panduan/{name}/"', html)
                self.assertIn('href="/panduan/koordinator/#fasilitator"', html)
                # A link written as the file's name reads as the page's title.
                self.assertIn('<a href="/panduan/warga/">Panduan warga: Survei Kepuasan Masyarakat</a>', html)
                self.assertNotIn(">koordinator.md<", html)
                self.assertNotIn(".md", " ".join(hrefs(html)))
                self.assertIn("<table>", html)
        self.client.force_login(self.staf_dukcapil)
        today = self.client.get("/hari-ini/").content.decode()
        self.assertIn('<a href="/panduan/">Panduan</a>', today)

    def test_anonymous_visitors_are_sent_to_the_login(self) -> None:
        for url in ("/panduan/", "/panduan/pegawai/", "/panduan/gambar/pegawai-1-hari-ini.png"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/masuk/"))

    def test_every_link_and_image_of_every_page_works(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        seen_images = set()
        for page in guide_pages():
            with self.subTest(page=page.name):
                response = self.client.get(page.url)
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                self.assertIn(f"<title>{page.title} · Sekolah Perjumpaan</title>", html)
                for href in hrefs(html):
                    if href.startswith("/panduan/"):
                        path, _sep, fragment = href.partition("#")
                        target = self.client.get(path)
                        self.assertEqual(target.status_code, 200, href)
                        if fragment:
                            self.assertIn(f'id="{fragment}"', target.content.decode(), href)
                for src in srcs(html):
                    if not src.startswith("/panduan/"):
                        continue
                    self.assertRegex(src, r"^/panduan/gambar/[a-z0-9-]+\.png$")
                    image = self.client.get(src)
                    self.assertEqual(image.status_code, 200, src)
                    self.assertEqual(image["Content-Type"], "image/png")
                    body = b"".join(image.streaming_content)
                    self.assertEqual(body, (DOCS / "screenshots" / src.rsplit("/", 1)[1]).read_bytes())
                    seen_images.add(src)
        # Every screenshot the Markdown names (counted with grep over docs/panduan/*.md: 21) is shown.
        self.assertEqual(len(seen_images), 21)

    def test_the_staff_page_shows_its_screenshots_with_their_descriptions(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        html = self.client.get("/panduan/pegawai/").content.decode()
        self.assertIn(
            '<img alt="Halaman Hari ini di ponsel" loading="lazy" '
            'src="/panduan/gambar/pegawai-1-hari-ini.png"',
            html,
        )
        self.assertIn('<h1 id="panduan-pegawai">Panduan pegawai</h1>', html)

    def test_unknown_and_malformed_page_names_are_404(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        for url in (
            "/panduan/tidak-ada/",
            "/panduan/README/",
            "/panduan/readme/",
            "/panduan/Pegawai/",
            "/panduan/pegawai.md/",
            "/panduan/..%2Fsecurity/",
            "/panduan/%2E%2E/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_images_only_png_files_of_the_screenshots_folder(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        self.assertEqual(self.client.get("/panduan/gambar/warga-4-hasil-skm.png").status_code, 200)
        for name in (
            "tidak-ada.png",
            "WARGA-4-HASIL-SKM.png",
            "warga-4-hasil-skm.PNG",
            "..%2Fpanduan%2FREADME.md",
            "..%2F..%2Fpyproject.toml",
            "%2Fetc%2Fpasswd",
            "..png",
            "pegawai.md",
        ):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(f"/panduan/gambar/{name}").status_code, 404)

    def test_posting_is_refused(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        self.assertEqual(self.client.post("/panduan/").status_code, 405)


class GuideFolderTests(PerjumpaanTestCase):
    def test_a_missing_folder_shows_a_notice_in_indonesian(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        with (
            tempfile.TemporaryDirectory() as tmp,
            override_settings(PERJUMPAAN_GUIDE_DIR=Path(tmp) / "tidak-ada"),
            self.assertLogs("perjumpaan.core.guide", "WARNING"),
        ):
            for url in ("/panduan/", "/panduan/pegawai/"):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "folder panduan tidak ditemukan")
            self.assertEqual(self.client.get("/panduan/gambar/pegawai-1-hari-ini.png").status_code, 404)

    def test_a_folder_of_its_own_with_a_symlink_out_of_it(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "panduan").mkdir()
            (root / "screenshots").mkdir()
            (root / "panduan" / "README.md").write_text(
                "# Bantuan\n\nLihat [halaman lain](lain.md#bagian-dua) dan [situs](https://example.org/a.md).\n",
                encoding="utf-8",
            )
            (root / "panduan" / "lain.md").write_text(
                "# Halaman lain\n\n## Bagian dua\n\n![Gambar](../screenshots/satu.png)\n", encoding="utf-8"
            )
            (root / "panduan" / "Rahasia.md").write_text("# Tidak terdaftar\n", encoding="utf-8")
            (root / "screenshots" / "satu.png").write_bytes(b"\x89PNG\r\n\x1a\nsatu")
            (root / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\nluar")
            (root / "screenshots" / "tautan.png").symlink_to(root / "outside.png")
            with override_settings(PERJUMPAAN_GUIDE_DIR=root):
                self.assertEqual([page.name for page in guide_pages()], ["README", "lain"])
                html = self.client.get("/panduan/").content.decode()
                self.assertIn('<a href="/panduan/lain/#bagian-dua">halaman lain</a>', html)
                self.assertIn('href="https://example.org/a.md"', html)
                self.assertNotIn("Tidak terdaftar", html)
                page = self.client.get("/panduan/lain/").content.decode()
                self.assertIn('id="bagian-dua"', page)
                self.assertIn('src="/panduan/gambar/satu.png"', page)
                image = self.client.get("/panduan/gambar/satu.png")
                self.assertEqual(b"".join(image.streaming_content), b"\x89PNG\r\n\x1a\nsatu")
                self.assertEqual(self.client.get("/panduan/gambar/tautan.png").status_code, 404)
                self.assertEqual(self.client.get("/panduan/rahasia/").status_code, 404)


class LinkRewritingTests(PerjumpaanTestCase):
    def test_links(self) -> None:
        cases = {
            "pegawai.md": "/panduan/pegawai/",
            "./admin.md": "/panduan/admin/",
            "koordinator.md#fasilitator": "/panduan/koordinator/#fasilitator",
            "README.md": "/panduan/",
            "https://example.org/pegawai.md": "https://example.org/pegawai.md",
            "mailto:admin@example.org": "mailto:admin@example.org",
            "#izin": "#izin",
            "/hari-ini/": "/hari-ini/",
            "../architecture.md": "../architecture.md",
            "Pegawai.md": "Pegawai.md",
        }
        for href, expected in cases.items():
            with self.subTest(href=href):
                self.assertEqual(_rewrite_link(href), expected)

    def test_images(self) -> None:
        self.assertEqual(_rewrite_image("../screenshots/a-1.png"), "/panduan/gambar/a-1.png")
        self.assertEqual(_rewrite_image("../screenshots/../x.png"), "../screenshots/../x.png")
        self.assertEqual(_rewrite_image("https://example.org/x.png"), "https://example.org/x.png")
