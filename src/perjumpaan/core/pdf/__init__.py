"""PDF documents: the one mechanism for everything the project prints or sends upward.

A PDF is a Typst template compiled with data from Python::

    from perjumpaan.core.pdf import letterhead, qr_svg, render_pdf

    pdf = render_pdf(
        "program/pdf/weekly_schedule.typ",
        {
            "title": "Jadwal Perjumpaan",
            "letterhead": letterhead(office=office),
            "footer": "Dicetak dari Perjumpaan · Rabu, 2 Desember 2026",
            "qr_svg": qr_svg("https://…/opd/DUKCAPIL/pekan/"),
            "days": [...],  # whatever else the template reads
        },
    )

How it fits together:

- **Templates** live with the app that owns them, as `<app>/pdf/<name>.typ`, and are named relative to
  the `perjumpaan` package (a `Path` to a file anywhere also works, which is how tests try a template out).
  Typst's root is the package directory, so a template imports the shared pieces by absolute path::

      #import "/core/pdf/perjumpaan.typ": a4-document, inputs
      #let data = inputs()
      #show: a4-document.with(data)

- **Data** goes in as JSON (`sys.inputs.data`, read by `inputs()`), so it must be JSON-serialisable:
  strings, numbers, booleans, lists, dictionaries. Strings are set as text and never evaluated as Typst
  markup, so a name with `#`, `*` or `$` prints exactly as typed.
- **Words and dates are decided in Python**: labels through gettext in the active language, dates and
  times through `perjumpaan.core.timeutil` (`format_date`, `format_time`, `format_hijri`). Typst formats
  nothing itself; the only shared label it needs ("Halaman 1 dari 2") comes in as `sys.inputs.shared`.
- **Shared pieces** (`core/pdf/perjumpaan.typ`): `a4-document` (A4 page, fonts, the letterhead on the first
  page when `data.letterhead` is present, a footer with `data.footer` on the left and the page number on
  the right), `letterhead`, `qr` (an SVG string as an image of a given size), `inputs`, and the colours
  (`brand`, `ink`, `muted`, `rule`, `tint`).
- **The letterhead** (kop surat) is `letterhead(office=…)` or `letterhead(government=…)`: the
  government's name, the office's name, the address, and optionally a logo as SVG text (`logo_svg`).
- **Pictures** are SVG strings turned into images by Typst (`qr(data.qr_svg, 3cm)`): QR codes from
  `qr_svg(url)`, logos, and charts later.
- **Fonts** are only those compiled into Typst (Libertinus Serif for text, DejaVu Sans Mono, New Computer
  Modern); system fonts are ignored, so a PDF looks the same on every server and nothing is downloaded.
  Libertinus Serif covers Latin with diacritics and the typographic punctuation Indonesian text uses.
- The creation date written into the PDF is the current time, so a frozen clock gives identical bytes.

A template that does not compile raises `PdfError` carrying Typst's message and hints: that is a bug in
the template, not bad user input.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import segno
import typst
from django.utils import timezone
from django.utils.translation import gettext as _

from perjumpaan.org.models import Government, Office

logger = logging.getLogger(__name__)

# Typst's project root: templates and the shared pieces can read files below it, nothing else.
ROOT = Path(__file__).resolve().parent.parent.parent


class PdfError(RuntimeError):
    """A template failed to compile."""


def render_pdf(template: str | Path, data: dict[str, Any]) -> bytes:
    """The PDF that Typst `template` makes of `data` (see the module docstring for both)."""
    path = Path(template)
    if not path.is_absolute():
        path = ROOT / path
    source = path.read_bytes()
    shared = {"page_label": _("Halaman {page} dari {total}")}
    try:
        # (The stub ties `root`'s type to `input`'s; Typst takes the template's bytes and a root path.)
        pdf, warnings = typst.compile_with_warnings(  # type: ignore[call-overload]
            source,
            root=str(ROOT),
            ignore_system_fonts=True,
            format="pdf",
            sys_inputs={
                "data": json.dumps(data, ensure_ascii=False),
                "shared": json.dumps(shared, ensure_ascii=False),
            },
            # Typst takes whole seconds; the clock, not a constant, so the PDF says when it was made.
            timestamp=timezone.now().replace(microsecond=0),
        )
    except typst.TypstError as error:
        details = "\n".join(filter(None, [error.diagnostic, *error.hints]))
        raise PdfError(f"{path.name}: {error.message}\n{details}".strip()) from error
    for warning in warnings:
        logger.warning("%s: %s", path.name, warning.message)
    assert isinstance(pdf, bytes)
    return pdf


def letterhead(
    *, office: Office | None = None, government: Government | None = None, logo_svg: str | None = None
) -> dict[str, Any]:
    """The kop surat of `office` (or of the `government` itself): names, address and optional logo."""
    if government is None:
        if office is None:
            raise ValueError("letterhead() needs an office or a government")
        government = office.government
    name = government.name
    if not name.lower().startswith("pemerintah"):
        name = _("Pemerintah {name}").format(name=name)
    address = (office.address if office else "") or government.address
    return {
        "government": name,
        "office": office.name if office else "",
        "address": " ".join(address.split()),
        # The government's own logo (set by `perjumpaan init` or the /mulai/ wizard) unless one is given.
        "logo_svg": logo_svg or government.logo_svg,
    }


def qr_svg(text: str) -> str:
    """A QR code of `text` as SVG, to be placed in a template with `qr(...)`.

    Error correction "M" (15%): readable on a printed sheet behind glass or slightly creased.
    """
    code = segno.make(text, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", border=0, xmldecl=False, svgns=True, nl=False)
    return buffer.getvalue().decode()
