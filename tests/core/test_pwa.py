"""The installable app as the server sends it: manifest, service worker, offline page, and their links."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from PIL import Image

from tests.base import PerjumpaanTestCase


def css_variable(name: str) -> str:
    css = Path(finders.find("perjumpaan/app.css")).read_text(encoding="utf-8")  # type: ignore[arg-type]
    match = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", css)
    assert match, name
    return match.group(1).lower()


class ManifestTests(PerjumpaanTestCase):
    def test_the_manifest_names_the_app_its_colours_and_the_today_page(self) -> None:
        response = self.client.get("/manifest.webmanifest")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/manifest+json")
        data = json.loads(response.content)
        self.assertEqual(data["name"], "Sekolah Perjumpaan")
        self.assertEqual(data["short_name"], "Perjumpaan")
        self.assertEqual(data["lang"], "id")
        self.assertEqual(data["start_url"], "/hari-ini/")
        self.assertEqual(data["scope"], "/")
        self.assertEqual(data["display"], "standalone")
        # The colours are the site's own, read from its stylesheet.
        self.assertEqual(data["theme_color"], css_variable("brand"))
        self.assertEqual(data["background_color"], css_variable("bg"))

    def test_every_icon_is_a_png_of_the_size_it_claims(self) -> None:
        icons = json.loads(self.client.get("/manifest.webmanifest").content)["icons"]
        self.assertEqual({icon["sizes"] for icon in icons}, {"192x192", "512x512"})
        self.assertIn("maskable", {icon["purpose"] for icon in icons})
        for icon in icons:
            path = finders.find(icon["src"].removeprefix("/static/"))
            self.assertIsInstance(path, str, icon["src"])
            with Image.open(path) as picture:  # type: ignore[arg-type]
                self.assertEqual(picture.format, "PNG")
                self.assertEqual("{}x{}".format(*picture.size), icon["sizes"])
            if icon["purpose"] == "maskable":
                # A maskable icon is full-bleed: its corners are the brand colour, not transparent.
                with Image.open(path) as picture:  # type: ignore[arg-type]
                    corner = picture.convert("RGBA").getpixel((0, 0))
                self.assertEqual("#{:02x}{:02x}{:02x}".format(*corner[:3]), css_variable("brand"))  # type: ignore[index]


class ServiceWorkerTests(PerjumpaanTestCase):
    def test_the_worker_is_served_from_the_root_as_javascript_and_never_cached(self) -> None:
        response = self.client.get("/sw.js")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/javascript; charset=utf-8")
        self.assertEqual(response["Cache-Control"], "no-cache")
        self.assertEqual(response["Service-Worker-Allowed"], "/")
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])
        source = response.content.decode()
        for path in ("perjumpaan/app.css", "perjumpaan/pwa.js", "perjumpaan/icons/icon-192.png"):
            self.assertIn(json.dumps(static(path))[1:-1], source)
        self.assertIn('const OFFLINE_URL = "/luring/";', source)
        # Only GETs are handled, and pages (navigations) go to the network, falling back to the offline page.
        self.assertIn('if (request.method !== "GET")', source)
        self.assertIn("event.respondWith(fetch(request).catch(offlinePage));", source)

    def test_the_worker_version_is_the_same_for_the_same_files(self) -> None:
        first, second = self.client.get("/sw.js").content, Client().get("/sw.js").content
        self.assertEqual(first, second)
        self.assertRegex(first.decode(), r'const VERSION = "[0-9a-f]{16}";')

    def test_it_refuses_anything_but_get(self) -> None:
        for path in ("/sw.js", "/manifest.webmanifest", "/luring/"):
            self.assertEqual(self.client.post(path).status_code, 405, path)


class OfflinePageTests(PerjumpaanTestCase):
    def test_the_offline_page_is_in_indonesian_and_about_nobody(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        response = self.client.get("/luring/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tidak ada sambungan internet")
        self.assertContains(response, '<html lang="id">')
        page = response.content.decode()
        # It is stored on phones: no name, no CSRF token, no session-dependent navigation.
        self.assertNotIn("Baiq Nurul Aini", page)
        self.assertNotIn("csrfmiddlewaretoken", page)
        self.assertNotIn("Keluar", page)
        self.assertEqual(page, Client().get("/luring/").content.decode())

    def test_every_page_links_the_manifest_and_registers_the_worker_from_a_file(self) -> None:
        page = self.client.get("/masuk/").content.decode()
        self.assertIn('<link rel="manifest" href="/manifest.webmanifest">', page)
        self.assertIn('<meta name="theme-color" content="#0f766e">', page)
        tag = re.search(r"<script [^>]*pwa\.js[^>]*>", page)
        assert tag is not None
        self.assertIn('data-worker="/sw.js"', tag.group(0))
        self.assertIn('data-scope="/"', tag.group(0))
