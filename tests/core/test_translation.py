"""The English catalogue: complete, nothing fuzzy, django.mo compiled from the current django.po, and used.

The source language is Bahasa Indonesia; English is chosen with the language cookie (core/middleware.py).
django.mo is committed, so a django.po edited without recompiling would silently show stale English:
the compiled catalogue is compared with the .po entry by entry (parsed, not byte for byte: msgfmt versions
order and hash differently). File modification times are not compared: git does not keep them.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, TestCase
from django.utils import translation

import perjumpaan

MESSAGES = Path(perjumpaan.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$")


def _unquote(quoted: str) -> str:
    body = quoted.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], body)


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def key(self) -> str:
        """The key Python's gettext uses: context and msgid joined by EOT."""
        if "msgctxt" in self.fields:
            return f"{self.fields['msgctxt']}\x04{self.msgid}"
        return self.msgid

    @property
    def translations(self) -> dict[str, str]:
        return {name: value for name, value in self.fields.items() if name.startswith("msgstr")}


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file (obsolete `#~` entries left out), enough for the checks below."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry = Entry()
        current = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry.fields[current] += _unquote(line)
            else:
                match = _KEYWORD.match(line)
                if match is None:
                    raise ValueError(f"Unreadable line in {PO.name}: {line!r}")
                current = match.group(1)
                entry.fields[current] = _unquote(match.group(3))
        if "msgid" in entry.fields:
            entries.append(entry)
    return entries


def po_catalogue(entries: list[Entry]) -> dict[object, str]:
    """What a compiled catalogue must hold: every translated, non-fuzzy entry except the header."""
    catalogue: dict[object, str] = {}
    for entry in entries:
        if not entry.msgid or "fuzzy" in entry.flags:
            continue
        if "msgid_plural" in entry.fields:
            for name, value in entry.translations.items():
                catalogue[(entry.key, int(name[7:-1]))] = value
        elif entry.fields.get("msgstr"):
            catalogue[entry.key] = entry.fields["msgstr"]
    return catalogue


def mo_catalogue(path: Path) -> dict[object, str]:
    with path.open("rb") as handle:
        catalogue = dict(gettext.GNUTranslations(handle)._catalog)  # the parsed catalogue
    catalogue.pop("", None)
    return catalogue


def describe(entries: list[Entry]) -> str:
    return "\n".join(f"  {entry.key!r}" for entry in entries[:20]) + ("\n  …" if len(entries) > 20 else "")


class ParserTests(SimpleTestCase):
    """The small parser the checks rely on, against entries worked out by hand."""

    SAMPLE = "\n".join(
        [
            'msgid ""',
            'msgstr ""',
            '"Language: en\\n"',
            "",
            "#: a.py:1",
            "#, fuzzy, python-format",
            '#| msgid "Lama"',
            'msgid "Baru %(n)s"',
            'msgstr "Old %(n)s"',
            "",
            'msgctxt "navigation"',
            'msgid ""',
            '"Dua "',
            '"baris \\"kutip\\""',
            'msgstr "Two lines \\"quoted\\""',
            "",
            'msgid "%(counter)s kantor"',
            'msgid_plural "%(counter)s kantor"',
            'msgstr[0] "%(counter)s office"',
            'msgstr[1] ""',
            "",
            'msgid "Kosong"',
            'msgstr ""',
            "",
            '#~ msgid "Usang"',
            '#~ msgstr "Obsolete"',
        ]
    )

    def test_parse_and_catalogue(self) -> None:
        entries = parse_po(self.SAMPLE)
        self.assertEqual(
            [entry.msgid for entry in entries],
            ["", "Baru %(n)s", 'Dua baris "kutip"', "%(counter)s kantor", "Kosong"],
        )
        self.assertEqual(entries[1].flags, {"fuzzy", "python-format"})
        self.assertEqual(entries[2].key, 'navigation\x04Dua baris "kutip"')
        self.assertEqual(
            po_catalogue(entries),
            {
                'navigation\x04Dua baris "kutip"': 'Two lines "quoted"',
                ("%(counter)s kantor", 0): "%(counter)s office",
                ("%(counter)s kantor", 1): "",
            },
        )


class CatalogueTests(SimpleTestCase):
    def setUp(self) -> None:
        self.entries = parse_po(PO.read_text(encoding="utf-8"))

    def test_catalogue_is_not_trivially_small(self) -> None:
        # A broken parse must not pass the checks below by finding nothing.
        self.assertGreater(len(self.entries), 1500)

    def test_every_entry_is_translated(self) -> None:
        untranslated = [
            entry
            for entry in self.entries
            if entry.msgid and any(not value for value in entry.translations.values())
        ]
        self.assertEqual(untranslated, [], f"Untranslated entries in {PO}:\n{describe(untranslated)}")

    def test_no_entry_is_fuzzy(self) -> None:
        fuzzy = [entry for entry in self.entries if entry.msgid and "fuzzy" in entry.flags]
        self.assertEqual(fuzzy, [], f"Fuzzy entries in {PO}:\n{describe(fuzzy)}")

    def test_compiled_catalogue_matches_the_po(self) -> None:
        expected = po_catalogue(self.entries)
        compiled = mo_catalogue(MO)
        stale = sorted(repr(key) for key in expected.keys() ^ compiled.keys())
        stale += sorted(
            repr(key) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key]
        )
        self.assertEqual(stale[:20], [], f"{MO.name} is out of date; run `perjumpaan compilemessages`.")

    def test_msgfmt_accepts_the_po_and_makes_the_same_catalogue(self) -> None:
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            self.skipTest("GNU gettext (msgfmt) is not installed")
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "django.mo"
            result = subprocess.run(  # noqa: S603 - fixed arguments
                [msgfmt, "--check", "-o", str(fresh), str(PO)], capture_output=True, text=True, check=False
            )
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(
                mo_catalogue(fresh), mo_catalogue(MO), f"{MO.name} differs from msgfmt's output."
            )


class EnglishPageTests(TestCase):
    def test_login_page_in_english_with_the_language_cookie(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.get("/masuk/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Language"], "en")
        self.assertContains(response, "Use your username or NIP.")
        self.assertNotContains(response, "Gunakan nama pengguna atau NIP Anda.")

    def test_login_page_in_indonesian_without_the_cookie(self) -> None:
        response = self.client.get("/masuk/")
        self.assertContains(response, "Gunakan nama pengguna atau NIP Anda.")
        self.assertNotContains(response, "Use your username or NIP.")

    def test_new_strings_are_translated_at_runtime(self) -> None:
        # Strings added late in the project, looked up through Django's own catalogue loading.
        with translation.override("en"):
            self.assertEqual(translation.gettext("Dasbor"), "Dashboard")
            self.assertEqual(translation.pgettext("navigation", "Izin saya"), "My leave requests")
            self.assertEqual(
                translation.ngettext("%(counter)s pegawai", "%(counter)s pegawai", 2) % {"counter": 2},
                "2 staff members",
            )
