"""Calendar feeds: secret addresses, what they show, and that they parse as RFC 5545 iCalendar.

Feeds are read here twice: by a small strict reader written in this file from RFC 5545 (lines, folding,
escaping, component nesting), independent of the `icalendar` package that writes them, and by
`icalendar.Calendar.from_ical` as the calendar apps' stand-in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import icalendar
import time_machine
from django.test import override_settings
from django.urls import reverse

from perjumpaan.org.models import Employee, Role
from perjumpaan.program.feeds import calendar_token_for
from perjumpaan.program.models import CalendarToken
from perjumpaan.program.services import gathering_add, gathering_cancel
from tests.base import PerjumpaanTestCase
from tests.program.calendars_out import BEFORE_WEEK, WITA, build_week

# --- An independent RFC 5545 reader -----------------------------------------------------------------

CONTENT_LINE = re.compile(r"^(?P<name>[A-Za-z0-9-]+)(?P<params>(;[A-Za-z0-9-]+=[^;:]*)*):(?P<value>.*)$")


@dataclass
class Component:
    name: str
    properties: list[tuple[str, str, str]] = field(default_factory=list)  # name, params, raw value
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> str:
        values = [value for prop, _params, value in self.properties if prop == name]
        assert len(values) == 1, f"{self.name} has {len(values)} {name}"
        return values[0]

    def has(self, name: str) -> bool:
        return any(prop == name for prop, _params, _value in self.properties)

    def text(self, name: str) -> str:
        """A TEXT value, unescaped (RFC 5545 §3.3.11)."""
        return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), self.get(name))

    def utc(self, name: str) -> dt.datetime:
        value = self.get(name)
        assert re.fullmatch(r"\d{8}T\d{6}Z", value), f"{name} is not a UTC date-time: {value}"
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)

    @property
    def events(self) -> list[Component]:
        return [child for child in self.children if child.name == "VEVENT"]


def read_ics(body: bytes) -> Component:
    """Parse an iCalendar stream strictly: CRLF lines of at most 75 octets, folds that never split a
    UTF-8 character, well-formed content lines, BEGIN/END properly nested, one VCALENDAR."""
    text = body.decode("utf-8")  # raises if a fold split a multi-byte character
    assert text.endswith("\r\n"), "the stream must end with CRLF"
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line, f"bare line break in {line!r}"
        assert len(line.encode()) <= 75, f"line longer than 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line[:1] in (" ", "\t"):
            assert logical, "a continuation line cannot come first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[Component] = []
    root: Component | None = None
    for line in logical:
        match = CONTENT_LINE.match(line)
        assert match, f"not a content line: {line!r}"
        name, params, value = match["name"].upper(), match["params"], match["value"]
        if name == "BEGIN":
            component = Component(value.upper())
            if stack:
                stack[-1].children.append(component)
            else:
                assert root is None, "more than one top-level component"
                root = component
            stack.append(component)
        elif name == "END":
            assert stack and stack[-1].name == value.upper(), f"END:{value} does not close {stack[-1:]}"
            stack.pop()
        else:
            assert stack, f"property outside any component: {line!r}"
            stack[-1].properties.append((name, params, value))
    assert not stack, "unclosed component"
    assert root is not None and root.name == "VCALENDAR"
    assert root.get("VERSION") == "2.0" and root.get("PRODID")
    for event in root.events:
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert event.has(required), f"VEVENT without {required}"
        assert event.utc("DTSTART") < event.utc("DTEND")
    return root


# --- The tests ---------------------------------------------------------------------------------------


@time_machine.travel(BEFORE_WEEK, tick=False)
class CalendarFeedTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.gatherings = build_week(self.dukcapil)
        self.me = Employee.objects.get(user=self.staf_dukcapil)  # Baiq Nurul Aini
        # PUPR has its own gathering, which no DUKCAPIL feed may ever show.
        self.pupr_gathering = gathering_add(
            office=self.pupr,
            start=dt.datetime(2026, 12, 1, 12, 0, tzinfo=WITA),
            minutes=30,
            track=Employee.Track.HINDU,
            place="Pura Jagatnatha PUPR",
        )

    def office_url(self, token: str) -> str:
        return reverse("program:office_feed", kwargs={"token": token})

    def personal_url(self, token: str) -> str:
        return reverse("program:personal_feed", kwargs={"token": token})

    def fetch(self, url: str) -> Component:
        response = self.client.get(url)  # no login: calendar apps cannot log in
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn("private", response["Cache-Control"])
        body = response.content
        self.assertEqual(len(icalendar.Calendar.from_ical(body).walk("VEVENT")), len(read_ics(body).events))
        return read_ics(body)

    def office_feed(self) -> Component:
        token = calendar_token_for(user=self.koord_dukcapil, office=self.dukcapil)
        return self.fetch(self.office_url(token.token))

    def personal_feed(self) -> Component:
        return self.fetch(self.personal_url(calendar_token_for(user=self.staf_dukcapil).token))

    # The office feed

    def test_the_office_feed_has_every_gathering_with_a_stable_uid_and_utc_times(self) -> None:
        events = {event.get("UID"): event for event in self.office_feed().events}
        self.assertEqual(set(events), {f"gathering-{g.pk}@perjumpaan" for g in self.gatherings})
        monday = events[f"gathering-{self.gatherings[0].pk}@perjumpaan"]
        self.assertEqual(monday.utc("DTSTART"), dt.datetime(2026, 11, 30, 4, 30, tzinfo=dt.UTC))  # 12.30 WITA
        self.assertEqual(monday.utc("DTEND"), dt.datetime(2026, 11, 30, 5, 15, tzinfo=dt.UTC))
        self.assertEqual(monday.text("SUMMARY"), "Perjumpaan DUKCAPIL")
        self.assertEqual(monday.text("LOCATION"), "Musala kantor, Dinas Kependudukan dan Pencatatan Sipil")
        self.assertEqual(monday.get("STATUS"), "CONFIRMED")
        self.assertEqual(
            monday.text("DESCRIPTION").splitlines(),
            [
                "Kultum (7 menit): Baiq Nurul Aini",
                "Tadarus (15 menit)",
                "Tadabbur (8 menit)",
                "Materi Sekolah Perjumpaan (10 menit): Menjaga lisan di tempat kerja",
                "Doa (5 menit)",
            ],
        )
        self.assertTrue(monday.get("URL").endswith("/opd/DUKCAPIL/pekan/?w=2026-W49"))

    def test_the_feed_names_itself_and_asks_to_be_refreshed(self) -> None:
        calendar = self.office_feed()
        self.assertEqual(calendar.text("X-WR-CALNAME"), "Perjumpaan DUKCAPIL")
        self.assertEqual(calendar.get("X-WR-TIMEZONE"), "Asia/Makassar")
        self.assertEqual(calendar.get("REFRESH-INTERVAL"), "PT3H")
        self.assertEqual(calendar.get("X-PUBLISHED-TTL"), "PT3H")

    def test_a_cancelled_gathering_stays_in_the_feed_as_cancelled(self) -> None:
        cancelled = self.gatherings[3]
        gathering_cancel(actor=self.koord_dukcapil, gathering=cancelled, reason="Rapat pimpinan")
        events = {event.get("UID"): event for event in self.office_feed().events}
        event = events[f"gathering-{cancelled.pk}@perjumpaan"]
        self.assertEqual(event.get("STATUS"), "CANCELLED")
        self.assertEqual(event.text("SUMMARY"), "Dibatalkan: Perjumpaan DUKCAPIL")
        self.assertTrue(event.text("DESCRIPTION").startswith("Dibatalkan: Rapat pimpinan\n"))

    def test_a_token_never_shows_another_office_s_gatherings(self) -> None:
        body = self.client.get(
            self.office_url(calendar_token_for(user=self.koord_dukcapil, office=self.dukcapil).token)
        ).content.decode()
        self.assertNotIn(f"gathering-{self.pupr_gathering.pk}@", body)
        self.assertNotIn("Pura Jagatnatha PUPR", body)
        pupr_body = self.client.get(
            self.office_url(calendar_token_for(user=self.koord_pupr, office=self.pupr).token)
        ).content.decode()
        self.assertIn(f"gathering-{self.pupr_gathering.pk}@", pupr_body)
        self.assertNotIn("Baiq Nurul Aini", pupr_body)
        self.assertNotIn("Musala kantor", pupr_body)

    def test_an_office_feed_stops_when_its_owner_loses_the_role(self) -> None:
        url = self.office_url(calendar_token_for(user=self.koord_dukcapil, office=self.dukcapil).token)
        self.assertEqual(self.client.get(url).status_code, 200)
        Role.objects.filter(user=self.koord_dukcapil).delete()
        self.assertEqual(self.client.get(url).status_code, 404)

    # The personal feed

    def test_the_personal_feed_marks_the_person_s_own_turns(self) -> None:
        summaries = {event.get("UID"): event.text("SUMMARY") for event in self.personal_feed().events}
        mine = {self.gatherings[0].pk, self.gatherings[2].pk}  # Monday and Wednesday
        for gathering in self.gatherings:
            expected = "Kultum: Anda bertugas" if gathering.pk in mine else "Perjumpaan DUKCAPIL"
            self.assertEqual(summaries[f"gathering-{gathering.pk}@perjumpaan"], expected)

    def test_the_personal_feed_keeps_to_the_person_s_office_and_track(self) -> None:
        other_track = gathering_add(
            office=self.dukcapil,
            start=dt.datetime(2026, 12, 1, 12, 0, tzinfo=WITA),
            minutes=30,
            track=Employee.Track.KRISTEN,
            place="Ruang rapat lantai 2",
        )
        uids = {event.get("UID") for event in self.personal_feed().events}
        self.assertEqual(uids, {f"gathering-{g.pk}@perjumpaan" for g in self.gatherings})
        self.assertNotIn(f"gathering-{other_track.pk}@perjumpaan", uids)
        self.assertNotIn(f"gathering-{self.pupr_gathering.pk}@perjumpaan", uids)

    def test_a_personal_token_does_not_open_the_office_feed_nor_the_other_way_round(self) -> None:
        personal = calendar_token_for(user=self.staf_dukcapil).token
        office = calendar_token_for(user=self.koord_dukcapil, office=self.dukcapil).token
        self.assertEqual(self.client.get(self.office_url(personal)).status_code, 404)
        self.assertEqual(self.client.get(self.personal_url(office)).status_code, 404)

    # Tokens

    def test_a_wrong_token_gives_404(self) -> None:
        calendar_token_for(user=self.staf_dukcapil)
        for token in ["x" * 43, "A" * 32, "pendek", "..%2F..%2Fetc", "a" * 65, "%00" * 20]:
            with self.subTest(token=token):
                self.assertEqual(self.client.get(self.personal_url(token)).status_code, 404)
                self.assertEqual(self.client.get(self.office_url(token)).status_code, 404)

    def test_a_revoked_token_gives_404(self) -> None:
        token = calendar_token_for(user=self.staf_dukcapil)
        CalendarToken.objects.filter(pk=token.pk).update(revoked=True)
        self.assertEqual(self.client.get(self.personal_url(token.token)).status_code, 404)

    def test_tokens_are_long_random_and_url_safe(self) -> None:
        first = calendar_token_for(user=self.staf_dukcapil)
        self.assertEqual(calendar_token_for(user=self.staf_dukcapil), first)  # the same until regenerated
        second = calendar_token_for(user=self.koord_dukcapil, office=self.dukcapil)
        for token in (first.token, second.token):
            self.assertRegex(token, r"^[A-Za-z0-9_-]{43}$")
        self.assertNotEqual(first.token, second.token)

    def test_a_deactivated_user_s_feed_gives_404(self) -> None:
        url = self.personal_url(calendar_token_for(user=self.staf_dukcapil).token)
        self.staf_dukcapil.is_active = False
        self.staf_dukcapil.save()
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_demo_account_s_feed_is_refused_in_production(self) -> None:
        self.staf_dukcapil.is_demo = True
        self.staf_dukcapil.save()
        url = self.personal_url(calendar_token_for(user=self.staf_dukcapil).token)
        with override_settings(DEBUG=True):
            self.assertEqual(self.client.get(url).status_code, 200)
        with override_settings(DEBUG=False):
            self.assertEqual(self.client.get(url).status_code, 404)

    # The page

    def test_the_page_shows_staff_their_personal_address_only(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        response = self.client.get(reverse("program:calendar_feeds"))
        token = CalendarToken.objects.get(user=self.staf_dukcapil, revoked=False)
        self.assertIsNone(token.office)
        self.assertContains(response, "http://testserver" + self.personal_url(token.token))
        self.assertContains(response, "webcal://testserver" + self.personal_url(token.token))
        self.assertContains(response, "Buat ulang tautan")
        self.assertNotContains(response, "/kalender/opd/")

    def test_the_page_shows_a_coordinator_the_office_address(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.get(reverse("program:calendar_feeds"))
        token = CalendarToken.objects.get(user=self.koord_dukcapil, office=self.dukcapil, revoked=False)
        self.assertContains(response, self.office_url(token.token))
        self.assertContains(response, "Kalender perangkat daerah DUKCAPIL")
        self.assertNotContains(response, "/kalender/saya/")  # a coordinator without an employee record

    def test_regenerating_revokes_the_old_address(self) -> None:
        old = calendar_token_for(user=self.staf_dukcapil)
        self.client.force_login(self.staf_dukcapil)
        response = self.client.post(reverse("program:calendar_feeds"), {"feed": "saya"})
        self.assertRedirects(response, reverse("program:calendar_feeds"))
        new = CalendarToken.objects.get(user=self.staf_dukcapil, revoked=False)
        self.assertNotEqual(new.token, old.token)
        self.client.logout()
        self.assertEqual(self.client.get(self.personal_url(old.token)).status_code, 404)
        self.assertEqual(self.client.get(self.personal_url(new.token)).status_code, 200)

    def test_nobody_regenerates_the_address_of_an_office_they_do_not_coordinate(self) -> None:
        self.client.force_login(self.koord_pupr)
        response = self.client.post(reverse("program:calendar_feeds"), {"feed": "DUKCAPIL"}, follow=True)
        self.assertContains(response, "Kalender yang dipilih tidak ditemukan.")
        self.assertFalse(CalendarToken.objects.filter(office=self.dukcapil).exists())

    def test_the_page_needs_a_login(self) -> None:
        response = self.client.get(reverse("program:calendar_feeds"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))


class IndependentReaderTests(PerjumpaanTestCase):
    """The reader above must itself refuse what RFC 5545 forbids, or passing it would prove nothing."""

    def test_it_refuses_an_overlong_unfolded_line(self) -> None:
        body = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nX-LONG:" + b"a" * 80 + b"\r\nEND:VCALENDAR\r\n"
        with self.assertRaises(AssertionError):
            read_ics(body)

    def test_it_refuses_bare_newlines_and_unclosed_components(self) -> None:
        with self.assertRaises(AssertionError):
            read_ics(b"BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n")
        with self.assertRaises(AssertionError):
            read_ics(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n")

    def test_it_unfolds_and_unescapes_text(self) -> None:
        body = (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u\r\n"
            b"DTSTAMP:20261201T000000Z\r\nDTSTART:20261201T043000Z\r\nDTEND:20261201T051500Z\r\n"
            b"SUMMARY:Kultum\\, tadarus\\; doa\\nsel\r\n esai\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        self.assertEqual(read_ics(body).events[0].text("SUMMARY"), "Kultum, tadarus; doa\nselesai")
