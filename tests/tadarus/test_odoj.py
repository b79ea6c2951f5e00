"""ODOJ groups: assignments, reports, lelang, tiers, khatams, streaks and membership."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from perjumpaan.org.models import Employee
from perjumpaan.tadarus import odoj, quran, selectors, services
from perjumpaan.tadarus.models import GroupMember, JuzHandover, Part, ReadingGroup, ReadingReport, Tier
from perjumpaan.tadarus.rotation import day_slots, juz_of_slot
from tests.base import PerjumpaanTestCase, make_employee
from tests.tadarus.helpers import NOW, TODAY
from tests.tadarus.odoj_helpers import GROUP_START, everyone_reads, make_group, staff_login

YESTERDAY = TODAY - dt.timedelta(days=1)


@time_machine.travel(NOW, tick=False)
class GroupTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ketua_user, cls.ketua = staff_login(cls.dukcapil, "ketua.odoj", "Hj. Rabiatul Adawiyah")
        cls.baiq = Employee.objects.get(user=cls.staf_dukcapil)
        cls.lalu = Employee.objects.get(office=cls.dukcapil, name="Lalu Muhammad Zaini")
        cls.others = [staff_login(cls.dukcapil, f"anggota{i}", f"Anggota Uji {i}") for i in range(1, 4)]
        members = [cls.ketua, cls.baiq, cls.lalu, *(e for _u, e in cls.others)]
        cls.group = make_group(cls.dukcapil, cls.ketua, members)

    def member(self, employee: Employee) -> GroupMember:
        return GroupMember.objects.get(group=self.group, employee=employee)

    def test_the_day_s_juz_follow_the_proved_rotation(self) -> None:
        day = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert day is not None
        e = (TODAY - GROUP_START).days
        expected = [juz_of_slot(s) for s in day_slots(6, e, 6 * e)]
        self.assertEqual([a.juz for a in day.assignments], expected)
        self.assertEqual([a.key for a in day.assignments], [self.member(m).pk for m in self.members()])

    def members(self) -> list[Employee]:
        return [self.ketua, self.baiq, self.lalu, *(e for _u, e in self.others)]

    def test_six_members_complete_a_khatam_in_five_days_when_everyone_reads(self) -> None:
        for offset in range(5):
            everyone_reads(self.group, GROUP_START + dt.timedelta(days=offset))
        led = odoj.ledger(self.group, TODAY)
        self.assertEqual(led.khatam_count, 1)
        self.assertEqual(led.cycles[0].last_day, GROUP_START + dt.timedelta(days=4))

    def test_one_unread_juz_leaves_the_khatam_incomplete(self) -> None:
        lalu = self.member(self.lalu)
        for offset in range(5):
            day = GROUP_START + dt.timedelta(days=offset)
            everyone_reads(
                self.group, day, except_members=(lalu.pk,) if day == YESTERDAY - dt.timedelta(days=4) else ()
            )
        self.assertEqual(odoj.ledger(self.group, TODAY).khatam_count, 0)
        # A missed juz of a past day cannot be handed over any more (only today and yesterday)…
        missed_day = YESTERDAY - dt.timedelta(days=4)
        missed = odoj.ledger(self.group, missed_day, since=missed_day).day(missed_day)
        assert missed is not None
        juz = next(a.juz for a in missed.assignments if a.key == lalu.pk)
        with self.assertRaisesMessage(ValidationError, services.REPORT_DAY):
            services.juz_handover(
                actor=self.ketua_user,
                group=self.group,
                date=missed_day,
                juz=juz,
                part=Part.ALL,
                volunteer=self.member(self.baiq),
            )

    def test_lelang_completes_today_s_juz(self) -> None:
        day = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert day is not None
        lalu = self.member(self.lalu)
        juz = next(a.juz for a in day.assignments if a.key == lalu.pk)
        baiq = self.member(self.baiq)
        handover = services.juz_handover(
            actor=self.ketua_user, group=self.group, date=TODAY, juz=juz, part=Part.ALL, volunteer=baiq
        )
        self.assertEqual(handover.volunteer, baiq)
        services.reading_report(
            actor=self.staf_dukcapil, group=self.group, date=TODAY, juz=juz, part=Part.ALL, done=True
        )
        today = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert today is not None
        self.assertIn(juz, today.juz_done)
        # The volunteer's own streak is about their own juz, not the one they took over.
        self.assertEqual(odoj.ledger(self.group, TODAY).streak(baiq.pk, TODAY), 0)

    def test_a_handed_over_piece_shows_the_volunteer_no_name(self) -> None:
        day = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert day is not None
        lalu = self.member(self.lalu)
        juz = next(a.juz for a in day.assignments if a.key == lalu.pk)
        services.juz_handover(
            actor=self.ketua_user,
            group=self.group,
            date=TODAY,
            juz=juz,
            part=Part.ALL,
            volunteer=self.member(self.baiq),
        )
        page = selectors.group_page(user=self.staf_dukcapil, group=self.group)
        mine = [p for p in page.my_today if p.handed_to_me]
        self.assertEqual([p.juz for p in mine], [juz])
        self.client.force_login(self.staf_dukcapil)
        response = self.client.get(reverse("tadarus:group", kwargs={"group_id": self.group.pk}))
        self.assertContains(response, "amanah tambahan")
        self.assertNotContains(response, "Lalu Muhammad Zaini belum")

    def test_a_half_juz_member_reads_the_first_half_and_the_rest_is_offered(self) -> None:
        lalu = self.member(self.lalu)
        services.group_member_tier_set(actor=self.ketua_user, member=lalu, tier=Tier.HALF)
        day = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert day is not None
        juz = next(a.juz for a in day.assignments if a.key == lalu.pk)
        head = next(p for p in day.pieces if p.juz == juz and p.part == Part.HEAD)
        tail = next(p for p in day.pieces if p.juz == juz and p.part == Part.TAIL)
        first, last = quran.juz_bounds(juz)
        self.assertEqual((head.first, tail.last), (first, last))
        self.assertEqual(quran.advance(head.last, 1), tail.first)
        self.assertEqual((head.holder_id, tail.holder_id), (lalu.pk, 0))
        ReadingReport.objects.create(member=lalu, date=TODAY, juz=juz, part=Part.HEAD, done=True)
        self.assertNotIn(juz, odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY).juz_done)  # type: ignore[union-attr]
        baiq = self.member(self.baiq)
        services.juz_handover(
            actor=self.ketua_user, group=self.group, date=TODAY, juz=juz, part=Part.TAIL, volunteer=baiq
        )
        services.reading_report(
            actor=self.staf_dukcapil, group=self.group, date=TODAY, juz=juz, part=Part.TAIL, done=True
        )
        self.assertIn(juz, odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY).juz_done)  # type: ignore[union-attr]

    def test_a_few_pages_member_reads_that_many_pages(self) -> None:
        lalu = self.member(self.lalu)
        services.group_member_tier_set(actor=self.ketua_user, member=lalu, tier=Tier.PAGES, pages=5)
        day = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert day is not None
        head = next(p for p in day.pieces if p.assignee_id == lalu.pk and p.part == Part.HEAD)
        self.assertEqual(quran.page_of(quran.advance(head.last, 1)) - quran.page_of(head.first), 5)

    def test_the_streak_counts_consecutive_days_read_up_to_today(self) -> None:
        baiq = self.member(self.baiq)
        for offset in range(1, 4):
            everyone_reads(self.group, TODAY - dt.timedelta(days=offset))
        self.assertEqual(odoj.ledger(self.group, TODAY).streak(baiq.pk, TODAY), 3)
        everyone_reads(self.group, TODAY)
        self.assertEqual(odoj.ledger(self.group, TODAY).streak(baiq.pk, TODAY), 4)

    def test_members_report_only_today_or_yesterday_and_only_their_own_piece(self) -> None:
        day = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert day is not None
        baiq, lalu = self.member(self.baiq), self.member(self.lalu)
        mine = next(a.juz for a in day.assignments if a.key == baiq.pk)
        theirs = next(a.juz for a in day.assignments if a.key == lalu.pk)
        services.reading_report(
            actor=self.staf_dukcapil, group=self.group, date=TODAY, juz=mine, part=Part.ALL, done=True
        )
        with self.assertRaisesMessage(ValidationError, services.NOT_YOUR_PIECE):
            services.reading_report(
                actor=self.staf_dukcapil, group=self.group, date=TODAY, juz=theirs, part=Part.ALL, done=True
            )
        with self.assertRaisesMessage(ValidationError, services.REPORT_DAY):
            services.reading_report(
                actor=self.staf_dukcapil,
                group=self.group,
                date=TODAY - dt.timedelta(days=2),
                juz=mine,
                part=Part.ALL,
                done=True,
            )
        with self.assertRaisesMessage(ValidationError, services.NOT_GROUP_MEMBER):
            services.reading_report(
                actor=self.koord_dukcapil, group=self.group, date=TODAY, juz=mine, part=Part.ALL, done=True
            )
        self.assertEqual(ReadingReport.objects.count(), 1)

    def test_reporting_again_changes_the_report(self) -> None:
        day = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert day is not None
        mine = next(a.juz for a in day.assignments if a.key == self.member(self.baiq).pk)
        for done in (False, True):
            services.reading_report(
                actor=self.staf_dukcapil, group=self.group, date=TODAY, juz=mine, part=Part.ALL, done=done
            )
        self.assertEqual(list(ReadingReport.objects.values_list("done", flat=True)), [True])

    def test_only_the_group_coordinator_hands_over_a_juz(self) -> None:
        day = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert day is not None
        juz = day.assignments[2].juz
        for user in (self.staf_dukcapil, self.koord_dukcapil, self.admin):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(ValidationError, services.NOT_GROUP_COORDINATOR),
            ):
                services.juz_handover(
                    actor=user,
                    group=self.group,
                    date=TODAY,
                    juz=juz,
                    part=Part.ALL,
                    volunteer=self.member(self.baiq),
                )
        self.assertFalse(JuzHandover.objects.exists())

    def test_a_piece_already_read_is_not_put_up_for_lelang(self) -> None:
        everyone_reads(self.group, TODAY)
        day = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert day is not None
        with self.assertRaisesMessage(ValidationError, services.PIECE_ALREADY_READ):
            services.juz_handover(
                actor=self.ketua_user,
                group=self.group,
                date=TODAY,
                juz=day.assignments[0].juz,
                part=Part.ALL,
                volunteer=self.member(self.baiq),
            )

    def test_a_new_member_starts_tomorrow_in_the_first_free_place(self) -> None:
        newcomer = make_employee(self.dukcapil, name="Muhammad Sahnan", track="islam")
        member = services.group_member_add(actor=self.ketua_user, group=self.group, employee=newcomer)
        self.assertEqual((member.joined_on, member.join_order), (TODAY + dt.timedelta(days=1), 7))
        today = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert today is not None
        self.assertEqual(today.assigned, 6)
        with self.assertRaisesMessage(ValidationError, "Muhammad Sahnan sudah menjadi anggota"):
            services.group_member_add(actor=self.ketua_user, group=self.group, employee=newcomer)

    def test_a_group_never_has_more_than_30_members(self) -> None:
        for i in range(24):
            services.group_member_add(
                actor=self.ketua_user,
                group=self.group,
                employee=make_employee(self.dukcapil, name=f"Pegawai {i}", track="islam"),
            )
        with self.assertRaisesMessage(ValidationError, services.GROUP_FULL):
            services.group_member_add(
                actor=self.ketua_user, group=self.group, employee=make_employee(self.dukcapil, name="Ke-31")
            )
        self.assertEqual(GroupMember.objects.filter(group=self.group, left_on=None).count(), 30)

    def test_members_come_from_the_group_s_own_office_and_only_the_coordinator_adds_them(self) -> None:
        stranger = Employee.objects.get(user=self.staf_pupr)
        with self.assertRaisesMessage(ValidationError, services.MEMBER_WRONG_OFFICE):
            services.group_member_add(actor=self.ketua_user, group=self.group, employee=stranger)
        colleague = make_employee(self.dukcapil, name="Rekan Baru")
        with self.assertRaisesMessage(ValidationError, services.NOT_GROUP_COORDINATOR):
            services.group_member_add(actor=self.staf_dukcapil, group=self.group, employee=colleague)

    def test_leaving_takes_effect_tomorrow_and_frees_the_place(self) -> None:
        lalu = self.member(self.lalu)
        services.group_member_leave(actor=self.ketua_user, member=lalu)
        lalu.refresh_from_db()
        self.assertEqual(lalu.left_on, TODAY + dt.timedelta(days=1))
        tomorrow = TODAY + dt.timedelta(days=1)
        self.assertEqual(odoj.ledger(self.group, tomorrow, since=tomorrow).day(tomorrow).assigned, 5)  # type: ignore[union-attr]
        newcomer = make_employee(self.dukcapil, name="Pengganti")
        self.assertEqual(
            services.group_member_add(actor=self.ketua_user, group=self.group, employee=newcomer).join_order,
            3,
        )

    def test_a_member_may_leave_on_their_own(self) -> None:
        services.group_member_leave(actor=self.staf_dukcapil, member=self.member(self.baiq))
        with self.assertRaisesMessage(ValidationError, services.NOT_GROUP_COORDINATOR):
            services.group_member_leave(actor=self.staf_dukcapil, member=self.member(self.lalu))


@time_machine.travel(NOW, tick=False)
class GroupCreationTests(PerjumpaanTestCase):
    def test_staff_create_a_group_and_become_its_coordinator_and_first_member(self) -> None:
        group = services.reading_group_create(actor=self.staf_dukcapil, name="  ODOJ   Pelayanan ")
        me = Employee.objects.get(user=self.staf_dukcapil)
        self.assertEqual(
            (group.name, group.coordinator, group.office, group.started_on),
            ("ODOJ Pelayanan", me, self.dukcapil, TODAY),
        )
        self.assertEqual(list(group.members.values_list("employee", "join_order")), [(me.pk, 1)])
        with self.assertRaisesMessage(ValidationError, services.GROUP_NAME_TAKEN):
            services.reading_group_create(actor=self.staf_dukcapil, name="odoj pelayanan")

    def test_a_login_without_an_employee_cannot_create_a_group(self) -> None:
        for user in (self.koord_dukcapil, self.pimpinan, self.admin):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(ValidationError, services.NOT_STAFF),
            ):
                services.reading_group_create(actor=user, name="Grup")
        self.assertFalse(ReadingGroup.objects.exists())

    def test_the_groups_page_creates_a_group_and_opens_it(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        response = self.client.post(reverse("tadarus:groups"), {"name": "ODOJ Loket"})
        group = ReadingGroup.objects.get()
        self.assertRedirects(response, reverse("tadarus:group", kwargs={"group_id": group.pk}))
        page = self.client.get(reverse("tadarus:groups"))
        self.assertContains(page, "ODOJ Loket")
        self.assertContains(page, "Juz 1")

    def test_a_blank_name_keeps_the_form_and_explains(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        response = self.client.post(reverse("tadarus:groups"), {"name": "   "})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ReadingGroup.objects.exists())


@time_machine.travel(NOW, tick=False)
class GroupPageTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ketua_user, cls.ketua = staff_login(cls.dukcapil, "ketua.odoj", "Hj. Rabiatul Adawiyah")
        cls.baiq = Employee.objects.get(user=cls.staf_dukcapil)
        cls.group = make_group(cls.dukcapil, cls.ketua, [cls.ketua, cls.baiq])
        cls.url = reverse("tadarus:group", kwargs={"group_id": cls.group.pk})

    def test_a_member_reports_through_the_page(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        page = selectors.group_page(user=self.staf_dukcapil, group=self.group)
        piece = page.my_today[0]
        response = self.client.post(
            reverse("tadarus:group_report", kwargs={"group_id": self.group.pk}),
            {"date": TODAY.isoformat(), "piece": piece.key, "done": "1"},
        )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertTrue(ReadingReport.objects.get().done)
        response = self.client.get(self.url)
        self.assertContains(response, "✓ selesai")
        self.assertContains(response, "Istikamah saya")

    def test_a_malformed_report_is_explained_not_a_crash(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        for data in ({}, {"date": "kemarin", "piece": "x"}, {"date": TODAY.isoformat(), "piece": "31-all"}):
            response = self.client.post(
                reverse("tadarus:group_report", kwargs={"group_id": self.group.pk}), data
            )
            self.assertEqual(response.status_code, 302)
        self.assertFalse(ReadingReport.objects.exists())

    def test_the_coordinator_hands_over_through_the_page(self) -> None:
        page = selectors.group_page(user=self.ketua_user, group=self.group)
        assert page.open_pieces is not None
        piece = next(p for p in page.open_pieces if p.date == TODAY)
        baiq = GroupMember.objects.get(employee=self.baiq)
        self.client.force_login(self.ketua_user)
        response = self.client.post(
            reverse("tadarus:group_handover", kwargs={"group_id": self.group.pk}),
            {"piece_date": f"{TODAY.isoformat()}|{piece.key}", "volunteer": baiq.pk},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(JuzHandover.objects.get().juz, piece.juz)

    def test_the_coordinator_adds_a_colleague_through_the_page(self) -> None:
        lalu = Employee.objects.get(office=self.dukcapil, name="Lalu Muhammad Zaini")
        self.client.force_login(self.ketua_user)
        self.client.post(
            reverse("tadarus:group_members", kwargs={"group_id": self.group.pk}),
            {"action": "add", "employee": lalu.pk, "tier": "half"},
        )
        member = GroupMember.objects.get(employee=lalu)
        self.assertEqual((member.tier, member.joined_on), (Tier.HALF, TODAY + dt.timedelta(days=1)))

    def test_a_member_sets_their_own_tier_but_not_someone_else_s(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        mine = GroupMember.objects.get(employee=self.baiq)
        theirs = GroupMember.objects.get(employee=self.ketua)
        url = reverse("tadarus:group_members", kwargs={"group_id": self.group.pk})
        self.client.post(url, {"action": "tier", "member": mine.pk, "tier": "pages", "pages": "3"})
        self.client.post(url, {"action": "tier", "member": theirs.pk, "tier": "half"})
        mine.refresh_from_db()
        theirs.refresh_from_db()
        self.assertEqual((mine.tier, mine.pages, theirs.tier), (Tier.PAGES, 3, Tier.FULL))

    def test_the_coordinator_lets_the_group_share_progress(self) -> None:
        self.client.force_login(self.ketua_user)
        self.client.post(
            reverse("tadarus:group_settings", kwargs={"group_id": self.group.pk}),
            {"show_members_progress": "1"},
        )
        self.group.refresh_from_db()
        self.assertTrue(self.group.show_members_progress)
        self.client.force_login(self.staf_dukcapil)
        self.client.post(reverse("tadarus:group_settings", kwargs={"group_id": self.group.pk}), {})
        self.group.refresh_from_db()
        self.assertTrue(self.group.show_members_progress)  # a member cannot switch it off

    def test_the_history_lists_every_day_with_its_totals(self) -> None:
        everyone_reads(self.group, YESTERDAY)
        page = selectors.group_page(user=self.staf_dukcapil, group=self.group)
        self.assertEqual([row.date for row in page.history][:2], [TODAY, YESTERDAY])
        self.assertEqual((page.history[1].done, page.history[1].assigned), (2, 2))
        self.assertEqual(len(page.history), (TODAY - GROUP_START).days + 1)
