"""The citizen's SKM survey in a real Chromium on a 360 × 800 phone, end to end: the link printed on the
office's QR poster, bad and missing answers refused in Indonesian with what was typed kept, the nine
elements and the respondent profile answered, the thank-you page, and the published results page."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from perjumpaan.org.models import Office
from perjumpaan.service.models import Service, SurveyResponse
from tests.browser import Recorder, for_the_guide
from tests.e2e.test_login_browser import assert_png, log_in, regency

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Screenshot = Callable[[Page, str], Path]

# One citizen's answers, U1..U9, with the label each score has in the questionnaire (PermenPANRB 14/2017).
ANSWERS = {
    "U1": (4, "Sangat sesuai"),
    "U2": (3, "Mudah"),
    "U3": (3, "Cepat"),
    "U4": (4, "Gratis"),
    "U5": (3, "Sesuai"),
    "U6": (4, "Sangat kompeten"),
    "U7": (4, "Sangat sopan dan ramah"),
    "U8": (2, "Cukup"),
    "U9": (3, "Berfungsi kurang maksimal"),
}
# Worked by hand: one respondent, so each element's NRR is the answer itself; the weighted sum is
# (4+3+3+4+3+4+4+2+3)/9 = 30/9 = 3.3333…, and IKM = 30/9 × 25 = 83.333… → 83,33, which lies in mutu B
# (76,61–88,30, "Baik") of the regulation's interval table.
IKM_SHOWN = "83,33"


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


def no_answer_spills_out_of_its_box(page: Page) -> None:
    """Every answer's text fits inside its tappable box (a label wider than its box runs over the border)."""
    spilled = page.evaluate(
        """() => [...document.querySelectorAll('label.answer')]
            .filter(box => box.scrollWidth > box.clientWidth + 1)
            .map(box => box.textContent.trim())"""
    )
    assert spilled == [], f"answers running out of their box: {spilled}"


def dukcapil_catalogue(office: Office) -> None:
    for order, (code, name) in enumerate((("KTP-EL", "KTP-el"), ("KK", "Kartu Keluarga"))):
        Service.objects.create(office=office, code=code, name=name, order=order)


def poster_survey_url(page: Page) -> str:
    """The survey address printed under the QR code of the office's poster, as the coordinator prints it."""
    response = page.request.get("/opd/DUKCAPIL/layanan/poster.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607
        input=response.body(),
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    found = re.findall(r"https?://\S+/skm/DUKCAPIL/", text)
    assert found, f"no survey address on the poster:\n{text}"
    return found[0]


def test_a_citizen_answers_the_survey_from_the_poster_on_a_phone(
    phone: Page,
    desktop: Page,
    live_server: object,
    requests_seen: Recorder,
    screenshot: Screenshot,
) -> None:
    data = regency()
    dukcapil = data["dukcapil"]
    assert isinstance(dukcapil, Office)
    dukcapil_catalogue(dukcapil)
    log_in(desktop, "koordinator.dukcapil")
    url = poster_survey_url(desktop)
    assert url == f"{live_server.url}/skm/DUKCAPIL/"  # type: ignore[attr-defined]

    # The citizen scans the code: no account, straight to the form.
    phone.goto(url)
    expect(phone.get_by_role("heading", name="Survei Kepuasan Masyarakat")).to_be_visible()
    expect(phone.locator("body")).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil")
    expect(phone.locator("main")).to_contain_text("Survei ini tanpa nama dan tanpa NIK.")
    for code in ANSWERS:
        expect(phone.locator(f"#q-{code} .answer")).to_have_count(4)
    no_sideways_scroll(phone)
    no_answer_spills_out_of_its_box(phone)
    for_the_guide(screenshot(phone, "warga-1-survei"))

    # Nothing chosen, an impossible age and a ticket with odd characters: refused in Indonesian.
    phone.get_by_label("Umur (tahun)").fill("7")
    phone.get_by_label("Nomor antrian (tidak wajib)").fill("A#12!")
    phone.get_by_label("Saran dan masukan (tidak wajib)").fill("Ruang tunggu panas di siang hari.")
    phone.get_by_role("button", name="Kirim jawaban").click()
    errors = phone.locator("main")
    expect(errors).to_contain_text("Pilih jawaban untuk sekurang-kurangnya satu pertanyaan.")
    expect(errors).to_contain_text("Pilih layanan yang Anda terima.")
    expect(errors).to_contain_text("Umur paling sedikit 10 tahun.")
    expect(errors).to_contain_text("Nomor antrian hanya berisi huruf dan angka, misalnya A012.")
    # What was typed is kept.
    expect(phone.get_by_label("Saran dan masukan (tidak wajib)")).to_have_value(
        "Ruang tunggu panas di siang hari."
    )
    expect(phone.get_by_label("Umur (tahun)")).to_have_value("7")
    no_sideways_scroll(phone)
    for_the_guide(screenshot(phone, "warga-2-survei-pesan-salah"))
    assert SurveyResponse.objects.count() == 0

    # A forged answer (a score the questionnaire does not have) is refused too, with the question marked.
    phone.get_by_label("Layanan yang Anda terima").select_option(label="KTP-el")
    phone.get_by_label("Umur (tahun)").fill("34")
    phone.get_by_label("Nomor antrian (tidak wajib)").fill("a 012")
    phone.locator("#q-U1").get_by_role("radio", name="Sangat sesuai", exact=True).check()
    phone.locator("#q-U1 input[type=radio]:checked").evaluate("radio => { radio.value = '5'; }")
    phone.get_by_role("button", name="Kirim jawaban").click()
    expect(phone.locator("#q-U1 .errorlist")).to_have_text("Pilih salah satu jawaban.")
    expect(phone.get_by_label("Layanan yang Anda terima")).to_have_value(
        str(Service.objects.get(office=dukcapil, code="KTP-EL").pk)
    )
    assert SurveyResponse.objects.count() == 0

    # The nine elements and the profile, each answer chosen by its questionnaire label.
    for code, (_score, label) in ANSWERS.items():
        phone.locator(f"#q-{code}").get_by_role("radio", name=label, exact=True).check()
    phone.get_by_role("radio", name="Perempuan", exact=True).check()
    phone.get_by_label("Pendidikan terakhir").select_option(label="SMA")
    phone.get_by_label("Pekerjaan utama").select_option(label="Wirausaha")
    no_sideways_scroll(phone)
    screenshot(phone, "skm-survey-phone-filled")
    phone.get_by_role("button", name="Kirim jawaban").click()

    expect(phone.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    assert phone.url == f"{live_server.url}/skm/DUKCAPIL/terima-kasih/"  # type: ignore[attr-defined]
    no_sideways_scroll(phone)
    for_the_guide(screenshot(phone, "warga-3-terima-kasih"))

    stored = SurveyResponse.objects.get()
    assert stored.office_id == dukcapil.pk
    assert stored.service is not None and stored.service.code == "KTP-EL"
    assert {code: getattr(stored, code.lower()) for code in ANSWERS} == {
        code: score for code, (score, _label) in ANSWERS.items()
    }
    assert (stored.sex, stored.age, stored.education, stored.occupation) == ("P", 34, "SMA", "WIRAUSAHA")
    assert stored.ticket == "A 012"
    assert stored.suggestion == "Ruang tunggu panas di siang hari."
    assert stored.channel == SurveyResponse.Channel.PHONE

    # The published results, reached from the thank-you page.
    phone.get_by_role("link", name="Lihat hasil survei").click()
    expect(phone.get_by_role("heading", name="Hasil Survei Kepuasan Masyarakat")).to_be_visible()
    card = phone.locator(".ikm-card")
    expect(card.locator(".ikm-value").first).to_have_text(IKM_SHOWN)
    expect(card).to_contain_text("Baik")
    expect(card.locator(".ikm-value").nth(1)).to_have_text("B")
    expect(card.locator("dd").first).to_have_text("1")
    rows = phone.locator(".chart-row table").first.locator("tbody tr")
    expect(rows).to_have_count(9)
    expect(rows.nth(7)).to_contain_text("U8 Sarana dan Prasarana")
    expect(rows.nth(7).locator("td.num")).to_have_text("2,00")
    expect(phone.locator(".chart-card svg").first).to_be_visible()
    no_sideways_scroll(phone)
    for_the_guide(screenshot(phone, "warga-4-hasil-skm"))

    assert requests_seen.failed == []
    assert requests_seen.foreign(live_server.url) == []  # type: ignore[attr-defined]


def test_the_results_infographic_downloads_as_a_png(phone: Page, screenshot: Screenshot) -> None:
    data = regency()
    dukcapil = data["dukcapil"]
    assert isinstance(dukcapil, Office)
    dukcapil_catalogue(dukcapil)
    phone.goto("/skm/DUKCAPIL/hasil/")
    expect(phone.locator(".ikm-card")).to_contain_text("Belum ada jawaban survei pada periode ini.")
    no_sideways_scroll(phone)
    shot = screenshot(phone, "skm-results-phone-empty")
    assert_png(shot)
    response = phone.request.get("/skm/DUKCAPIL/hasil/infografis.png")
    assert response.status == 200
    assert response.body().startswith(b"\x89PNG\r\n\x1a\n")
