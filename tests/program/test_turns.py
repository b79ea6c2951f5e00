"""Kultum turns: swapping, opting out, blocking dates, leave, reminders; guest speakers."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from perjumpaan.attendance.models import LeaveRequest
from perjumpaan.org.models import AuditEntry, Employee
from perjumpaan.program import services
from perjumpaan.program.models import AgendaItem, Gathering, Speaker, SwapRequest
from tests.base import PerjumpaanTestCase
from tests.program.helpers import enrol_with_templates

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 11, 30, 7, 0, tzinfo=WITA)


@time_machine.travel(NOW, tick=False)
class TurnTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        enrol_with_templates(self.dukcapil)
        self.me = Employee.objects.get(user=self.staf_dukcapil)
        self.other = Employee.objects.get(name="Lalu Muhammad Zaini")
        services.gathering_schedule(
            office=self.dukcapil, start=dt.date(2026, 11, 30), end=dt.date(2026, 12, 11)
        )

    def turn_on(self, day: int) -> AgendaItem:
        return AgendaItem.objects.get(kind="kultum", gathering__date=dt.date(2026, 12, day))

    def my_turn(self) -> AgendaItem:
        return AgendaItem.objects.filter(employee=self.me, kind="kultum").order_by("gathering__start").first()  # type: ignore[return-value]

    def test_two_people_take_turns_fairly(self) -> None:
        givers = list(
            AgendaItem.objects.filter(kind="kultum")
            .order_by("gathering__start")
            .values_list("employee_id", flat=True)
        )
        self.assertLessEqual(abs(givers.count(self.me.pk) - givers.count(self.other.pk)), 1)
        self.assertNotIn(None, givers)

    def test_a_swap_accepted_by_the_colleague_changes_hands_and_is_audited(self) -> None:
        item = self.my_turn()
        request = services.swap_request(employee=self.me, item=item, colleague=self.other)
        services.swap_decide(colleague=self.other, request=request, accept=True)
        item.refresh_from_db()
        self.assertEqual(item.employee, self.other)
        self.assertTrue(AuditEntry.objects.filter(action="roster.swap", object_id=str(item.pk)).exists())

    def test_a_true_swap_exchanges_both_turns(self) -> None:
        mine = self.my_turn()
        theirs = (
            AgendaItem.objects.filter(employee=self.other, kind="kultum").order_by("gathering__start").first()
        )
        assert theirs is not None
        request = services.swap_request(employee=self.me, item=mine, colleague=self.other, swap_with=theirs)
        services.swap_decide(colleague=self.other, request=request, accept=True)
        mine.refresh_from_db()
        theirs.refresh_from_db()
        self.assertEqual((mine.employee, theirs.employee), (self.other, self.me))

    def test_a_declined_swap_changes_nothing(self) -> None:
        item = self.my_turn()
        request = services.swap_request(employee=self.me, item=item, colleague=self.other)
        services.swap_decide(colleague=self.other, request=request, accept=False)
        item.refresh_from_db()
        self.assertEqual(item.employee, self.me)
        with self.assertRaisesMessage(ValidationError, "sudah diputuskan"):
            services.swap_decide(colleague=self.other, request=request, accept=True)

    def test_a_swap_is_refused_too_close_to_the_gathering(self) -> None:
        item = self.my_turn()
        with (
            time_machine.travel(item.gathering.start - dt.timedelta(hours=1), tick=False),
            self.assertRaisesMessage(ValidationError, "jam sebelum perjumpaan"),
        ):
            services.swap_request(employee=self.me, item=item, colleague=self.other)

    def test_nobody_can_give_away_someone_else_s_turn_or_to_another_office(self) -> None:
        theirs = AgendaItem.objects.filter(employee=self.other, kind="kultum").first()
        assert theirs is not None
        with self.assertRaisesMessage(ValidationError, "bukan milik Anda"):
            services.swap_request(employee=self.me, item=theirs, colleague=self.other)
        stranger = Employee.objects.get(user=self.staf_pupr)
        with self.assertRaisesMessage(ValidationError, "kantor dan jalur yang sama"):
            services.swap_request(employee=self.me, item=self.my_turn(), colleague=stranger)

    def test_opting_out_moves_my_future_turns_to_others(self) -> None:
        self.assertTrue(AgendaItem.objects.filter(employee=self.me).exists())
        with self.assertRaisesMessage(ValidationError, "alasan"):
            services.roster_opt_out(employee=self.me, opted_out=True, reason="  ")
        services.roster_opt_out(employee=self.me, opted_out=True, reason="Sedang belajar membaca")
        self.assertFalse(AgendaItem.objects.filter(employee=self.me).exists())
        self.assertFalse(AgendaItem.objects.filter(kind="kultum", employee=None).exists())

    def test_a_blocked_date_moves_that_turn_and_i_keep_my_place(self) -> None:
        item = self.my_turn()
        services.roster_block(employee=self.me, day=item.gathering.date, reason="Ke Mataram")
        item.refresh_from_db()
        self.assertEqual(item.employee, self.other)
        # The next turn goes back to me, since I now have fewer turns.
        following = (
            AgendaItem.objects.filter(kind="kultum", gathering__start__gt=item.gathering.start)
            .order_by("gathering__start")
            .first()
        )
        assert following is not None
        self.assertEqual(following.employee, self.me)

    def test_approved_leave_moves_a_turn_on_refresh(self) -> None:
        item = self.my_turn()
        LeaveRequest.objects.create(
            employee=self.me,
            kind="DL",
            start_date=item.gathering.date,
            end_date=item.gathering.date,
            reason="Bimtek di Mataram",
            status="approved",
        )
        moved = services.roster_refresh(office=self.dukcapil, track="islam")
        item.refresh_from_db()
        self.assertEqual((moved, item.employee), (1, self.other))

    def test_reminders_go_out_once_per_turn(self) -> None:
        self.me.email = "baiq@example.org"
        self.me.save()
        day = self.my_turn().gathering.date
        out = StringIO()
        call_command("remind_roster", "--date", day.isoformat(), stdout=out)
        self.assertIn("1 pengingat", out.getvalue())
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("giliran kultum", mail.outbox[0].body)
        call_command("remind_roster", "--date", day.isoformat(), stdout=StringIO())
        self.assertEqual(len(mail.outbox), 1)

    def test_the_turns_page_lets_staff_ask_and_colleagues_answer(self) -> None:
        item = self.my_turn()
        self.client.force_login(self.staf_dukcapil)
        page = self.client.get(reverse("program:my_turns"))
        self.assertContains(page, "Minta rekan menggantikan")
        self.client.post(reverse("program:my_turn_swap", args=[item.pk]), {"colleague": self.other.pk})
        swap = SwapRequest.objects.get()
        # Another office's staff member cannot answer it.
        self.client.force_login(self.staf_pupr)
        self.assertEqual(
            self.client.post(
                reverse("program:my_swap_decide", args=[swap.pk]), {"decision": "accept"}
            ).status_code,
            404,
        )
        self.other.user = self.outsider
        self.other.save()
        self.client.force_login(self.outsider)
        self.assertContains(self.client.get(reverse("program:my_turns")), "meminta Anda menggantikan")
        self.client.post(reverse("program:my_swap_decide", args=[swap.pk]), {"decision": "accept"})
        item.refresh_from_db()
        self.assertEqual(item.employee, self.other)


@time_machine.travel(NOW, tick=False)
class SpeakerTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        enrol_with_templates(self.dukcapil)
        enrol_with_templates(self.pupr)
        services.gathering_schedule(
            office=self.dukcapil, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 1)
        )
        services.gathering_schedule(office=self.pupr, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 1))
        self.speaker = Speaker.objects.create(
            government=self.government, title="Prof. Dr. H.", name="Ahmad Fathoni", institution="UIN Mataram"
        )

    def test_inviting_a_speaker_booked_elsewhere_at_the_same_time_warns(self) -> None:
        first = Gathering.objects.get(office=self.dukcapil)
        second = Gathering.objects.get(office=self.pupr)
        _, warnings = services.speaker_invite(actor=self.admin, gathering=first, speaker=self.speaker)
        self.assertEqual(warnings, [])
        item, warnings = services.speaker_invite(actor=self.admin, gathering=second, speaker=self.speaker)
        self.assertEqual(item.kind, "tausiah")
        self.assertEqual(len(warnings), 1)
        self.assertIn("Dinas Kependudukan dan Pencatatan Sipil", warnings[0])
        self.assertIn("12.30", warnings[0])

    def test_the_week_page_invites_and_shows_the_warning(self) -> None:
        other = Gathering.objects.get(office=self.pupr)
        services.speaker_invite(actor=self.admin, gathering=other, speaker=self.speaker)
        gathering = Gathering.objects.get(office=self.dukcapil)
        self.client.force_login(self.koord_dukcapil)
        response = self.client.post(
            reverse("program:speaker_invite", args=["DUKCAPIL", gathering.pk]),
            {"speaker": self.speaker.pk},
            follow=True,
        )
        self.assertContains(response, "juga dijadwalkan")
        self.assertTrue(gathering.agenda.filter(speaker=self.speaker).exists())

    def test_the_speaker_s_schedule_lists_their_bookings_to_coordinators_only(self) -> None:
        services.speaker_invite(
            actor=self.admin, gathering=Gathering.objects.get(office=self.pupr), speaker=self.speaker
        )
        self.client.force_login(self.koord_dukcapil)
        self.assertContains(
            self.client.get(reverse("program:speaker_schedule", args=[self.speaker.pk])),
            "Dinas Pekerjaan Umum",
        )
        self.client.force_login(self.staf_dukcapil)
        self.assertEqual(
            self.client.get(reverse("program:speaker_schedule", args=[self.speaker.pk])).status_code, 404
        )
        self.client.force_login(self.other_admin)
        self.assertEqual(
            self.client.get(reverse("program:speaker_schedule", args=[self.speaker.pk])).status_code, 404
        )

    def test_a_new_tausiah_item_is_appended_when_the_agenda_has_none(self) -> None:
        gathering = Gathering.objects.get(office=self.dukcapil)
        count = gathering.agenda.count()
        services.speaker_invite(actor=self.admin, gathering=gathering, speaker=self.speaker)
        self.assertEqual(gathering.agenda.count(), count + 1)
        self.assertEqual(gathering.agenda.order_by("-order").first().kind, "tausiah")  # type: ignore[union-attr]
