"""The user guide (docs/panduan/*.md, screenshots in docs/screenshots/) served inside the app as help pages.

The Markdown files stay the one source: they read well on GitHub and in a text editor, and here they are
rendered with Python-Markdown for every logged-in user at /panduan/ (README.md) and /panduan/<page>/. Links
between the files (`pegawai.md`, `koordinator.md#fasilitator`) become links between the help pages, and
images (`../screenshots/x.png`) come from `guide_image`, which serves only the *.png files that exist in
that one folder.

The folder is settings.PERJUMPAAN_GUIDE_DIR (the repository's docs/ by default). An installation without it
(a wheel deployed on its own) shows a notice in Indonesian instead of failing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element  # nosec B405: a type for Markdown's tree; nothing is parsed as XML

import markdown
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

logger = logging.getLogger(__name__)

INDEX = "README"
PAGE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,40}")
IMAGE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,80}\.png")
# The order of the table of contents; a page not named here comes after these, alphabetically.
ORDER = ("pegawai", "koordinator", "admin", "pimpinan", "warga")


def guide_dir() -> Path:
    return Path(settings.PERJUMPAAN_GUIDE_DIR)


def pages_dir() -> Path:
    return guide_dir() / "panduan"


def images_dir() -> Path:
    return guide_dir() / "screenshots"


@dataclass(frozen=True)
class Page:
    name: str  # "README" for the index
    title: str
    url: str


def page_url(name: str) -> str:
    if name == INDEX:
        return reverse("guide")
    return reverse("guide_page", kwargs={"page": name})


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def guide_pages() -> list[Page]:
    """The guide's pages, the index first; empty when the folder is missing."""
    folder = pages_dir()
    if not folder.is_dir():
        return []
    names = [
        path.stem for path in folder.glob("*.md") if path.stem == INDEX or PAGE_NAME.fullmatch(path.stem)
    ]
    names.sort(key=lambda name: (name != INDEX, ORDER.index(name) if name in ORDER else len(ORDER), name))
    return [Page(name, _title(folder / f"{name}.md"), page_url(name)) for name in names]


def _rewrite_link(href: str) -> str:
    """`pegawai.md#izin` → /panduan/pegawai/#izin; addresses elsewhere are left as they are."""
    if re.match(r"[a-z][a-z0-9+.-]*:|/|#", href):
        return href
    target, _sep, fragment = href.partition("#")
    target = target.removeprefix("./")
    if not target.endswith(".md") or "/" in target:
        return href
    name = target[: -len(".md")]
    if name != INDEX and not PAGE_NAME.fullmatch(name):
        return href
    return page_url(name) + (f"#{fragment}" if fragment else "")


def _rewrite_image(src: str) -> str:
    """`../screenshots/x.png` → /panduan/gambar/x.png."""
    match = re.fullmatch(r"(?:\.\./)?screenshots/([^/]+)", src)
    if match and IMAGE_NAME.fullmatch(match.group(1)):
        return reverse("guide_image", kwargs={"image": match.group(1)})
    return src


class _Links(Treeprocessor):
    def __init__(self, md: markdown.Markdown, titles: dict[str, str]) -> None:
        super().__init__(md)
        self.titles = titles  # page URL -> title

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag == "a" and element.get("href"):
                original = element.get("href", "")
                rewritten = _rewrite_link(original)
                element.set("href", rewritten)
                # A link written as its file name ("[pegawai.md](pegawai.md)") reads as the page's title.
                page = rewritten.partition("#")[0]
                written_as_file = (element.text or "").strip() in (original, original.partition("#")[0])
                if rewritten != original and written_as_file and page in self.titles:
                    element.text = self.titles[page]
            elif element.tag == "img" and element.get("src"):
                element.set("src", _rewrite_image(element.get("src", "")))
                element.set("loading", "lazy")


class _LinksExtension(Extension):
    def __init__(self, titles: dict[str, str]) -> None:
        super().__init__()
        self.titles = titles

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Links(md, self.titles), "perjumpaan_links", 5)


def render_markdown(text: str, titles: dict[str, str] | None = None) -> SafeString:
    """The guide's Markdown as HTML. The files are the installation's own documentation, not user input."""
    extensions = ["tables", "toc", "sane_lists", _LinksExtension(titles or {})]
    html = markdown.markdown(text, extensions=extensions, output_format="html")
    return mark_safe(html)  # noqa: S308  # nosec B308 B703: the installation's own docs, not user input


@require_GET
@login_required
def guide(request: HttpRequest, page: str | None = None) -> HttpResponse:
    """/panduan/ shows README.md; /panduan/<page>/ one of the other files (lower-case names only)."""
    pages = guide_pages()
    if not pages:
        logger.warning("user guide folder missing or empty: %s", pages_dir())
        return render(request, "core/guide.html", {"missing": True, "pages": []})
    if page is not None and not PAGE_NAME.fullmatch(page):
        raise Http404
    name = INDEX if page is None else page
    current = next((item for item in pages if item.name == name), None)
    if current is None:
        raise Http404
    titles = {item.url: item.title for item in pages}
    body = render_markdown((pages_dir() / f"{name}.md").read_text(encoding="utf-8"), titles)
    return render(
        request, "core/guide.html", {"missing": False, "pages": pages, "current": current, "body": body}
    )


@require_GET
@login_required
def guide_image(request: HttpRequest, image: str) -> FileResponse:
    """A screenshot of the guide: only a *.png name found in the screenshots folder itself."""
    if not IMAGE_NAME.fullmatch(image) or ".." in image:
        raise Http404
    folder = images_dir()
    if not folder.is_dir() or image not in {path.name for path in folder.glob("*.png")}:
        raise Http404
    path = (folder / image).resolve()
    if path.parent != folder.resolve() or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response
