"""The week's roster as a WhatsApp message, and the week page's "Kirim ke WhatsApp" link."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import time_machine
from django.urls import reverse

from perjumpaan.org.models import Employee
from perjumpaan.program.exports import WHATSAPP_MAX_CHARS, week_whatsapp_text, whatsapp_link
from perjumpaan.program.models import AgendaItem
from perjumpaan.program.services import gathering_add, gathering_cancel
from tests.base import PerjumpaanTestCase
from tests.program.calendars_out import BEFORE_WEEK, MONDAY, WITA, build_week

GREETING = (
    "Assalamu'alaikum warahmatullahi wabarakatuh.\n"
    "Bapak/Ibu, berikut jadwal Perjumpaan Dinas Kependudukan dan Pencatatan Sipil pekan "
    "30 November – 4 Desember 2026:"
)
EXPECTED = (
    GREETING
    + """

*Senin, 30 November 2026*
12.30–13.15 WITA · Musala kantor
Kultum: Baiq Nurul Aini
Materi: Menjaga lisan di tempat kerja

*Selasa, 1 Desember 2026*
12.30–13.15 WITA · Musala kantor
Kultum: Lalu Muhammad Zaini
Materi: Jujur dalam melayani warga

*Rabu, 2 Desember 2026*
12.30–13.15 WITA · Musala kantor
Kultum: Baiq Nurul Aini
Tausiah: Prof. Dr. H. Ahmad Fauzi, M.Ag. (UIN Mataram)
Materi: Sabar menghadapi keluhan

*Kamis, 3 Desember 2026*
12.30–13.15 WITA · Musala kantor
Kultum: Lalu Muhammad Zaini
Materi: Kebersamaan dan kekeluargaan

*Jumat, 4 Desember 2026*
09.00–09.30 WITA · Musala kantor
Kultum: Lalu Muhammad Zaini

Wassalam."""
)


@time_machine.travel(BEFORE_WEEK, tick=False)
class WhatsAppMessageTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.gatherings = build_week(self.dukcapil)

    def text(self) -> str:
        return week_whatsapp_text(self.dukcapil, MONDAY, user=self.koord_dukcapil)

    def test_it_writes_the_week_as_a_ready_to_send_message(self) -> None:
        self.assertEqual(self.text(), EXPECTED)

    def test_the_message_stays_short_enough_for_a_phone(self) -> None:
        self.assertLessEqual(len(self.text()), WHATSAPP_MAX_CHARS)

    def test_a_cancelled_gathering_says_so_with_its_reason(self) -> None:
        gathering_cancel(actor=self.koord_dukcapil, gathering=self.gatherings[3], reason="Rapat pimpinan")
        text = self.text()
        self.assertIn(
            "*Kamis, 3 Desember 2026*\n12.30–13.15 WITA · Musala kantor\nDIBATALKAN: Rapat pimpinan\n\n", text
        )

    def test_a_kultum_nobody_gives_yet_is_marked_as_open(self) -> None:
        AgendaItem.objects.filter(gathering=self.gatherings[0], kind="kultum").update(employee=None)
        self.assertIn(
            "*Senin, 30 November 2026*\n12.30–13.15 WITA · Musala kantor\nKultum: belum", self.text()
        )

    def test_a_week_with_another_faith_s_track_greets_everybody_alike(self) -> None:
        gathering_add(
            office=self.dukcapil,
            start=dt.datetime(2026, 12, 1, 12, 0, tzinfo=WITA),
            minutes=30,
            track=Employee.Track.HINDU,
            place="Padmasana kantor",
            agenda=[("materi", 20), ("doa", 10)],
        )
        text = self.text()
        self.assertTrue(text.startswith("Salam sejahtera.\n"), text[:60])
        self.assertTrue(text.endswith("\nTerima kasih."), text[-60:])
        self.assertIn("12.00–12.30 WITA · Padmasana kantor (Hindu)\n", text)
        self.assertIn("12.30–13.15 WITA · Musala kantor (Islam)\n", text)

    def test_it_reads_only_what_the_user_may_see(self) -> None:
        text = week_whatsapp_text(self.dukcapil, MONDAY, user=self.koord_pupr)
        self.assertNotIn("Baiq Nurul Aini", text)
        self.assertNotIn("Musala kantor", text)

    def test_the_week_page_links_to_whatsapp_with_the_message(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        response = self.client.get(reverse("program:week", args=["DUKCAPIL"]) + "?w=2026-W49")
        self.assertContains(response, "Kirim ke WhatsApp")
        link = response.context["whatsapp_url"]
        self.assertEqual(link, whatsapp_link(EXPECTED))
        parts = urlsplit(link)
        self.assertEqual((parts.scheme, parts.netloc, parts.path), ("https", "wa.me", "/"))
        self.assertEqual(parse_qs(parts.query)["text"], [EXPECTED])
        self.assertContains(response, link.replace("&", "&amp;"))
