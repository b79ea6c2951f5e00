"""Privacy and sincerity: what one person read is theirs and their group coordinator's alone.

Every test here tries to see a member's reading from a place that must not show it: the office
coordinator, a coordinator who is also an employee of the office, the facilitator, leadership, the
programme admin, another member, a staff member outside the group, another office, the summary pages and
the Django admin.
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib import admin
from django.urls import reverse

from perjumpaan.core.scoping import scoped
from perjumpaan.org.models import Employee, Role
from perjumpaan.tadarus import odoj, selectors
from perjumpaan.tadarus.models import (
    GroupMember,
    JuzHandover,
    LevelEnrolment,
    LevelStep,
    Part,
    ReadingReport,
)
from tests.base import PerjumpaanTestCase
from tests.tadarus.helpers import NOW, TODAY
from tests.tadarus.odoj_helpers import everyone_reads, make_group, staff_login

YESTERDAY = TODAY - dt.timedelta(days=1)
NOT_READ = "Anggota Belum Membaca"


@time_machine.travel(NOW, tick=False)
class ReadingPrivacyTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ketua_user, cls.ketua = staff_login(cls.dukcapil, "ketua.odoj", "Hj. Rabiatul Adawiyah")
        cls.member_user, cls.member_employee = staff_login(cls.dukcapil, "anggota.odoj", "Baiq Sri Wahyuni")
        cls.lagging_user, cls.lagging = staff_login(cls.dukcapil, "lambat.odoj", NOT_READ)
        cls.outside_user, _outside = staff_login(cls.dukcapil, "bukan.anggota", "Pegawai Bukan Anggota")
        # A coordinator of DUKCAPIL who is also one of its employees (and not in the group).
        cls.koord_pegawai, _emp = staff_login(cls.dukcapil, "koord.pegawai", "Koordinator Yang Pegawai")
        Role.objects.create(
            user=cls.koord_pegawai, kind=Role.Kind.COORDINATOR, government=cls.government, office=cls.dukcapil
        )
        cls.group = make_group(cls.dukcapil, cls.ketua, [cls.ketua, cls.member_employee, cls.lagging])
        lagging = GroupMember.objects.get(employee=cls.lagging)
        everyone_reads(cls.group, YESTERDAY, except_members=(lagging.pk,))
        everyone_reads(cls.group, TODAY, except_members=(lagging.pk,))
        day = odoj.ledger(cls.group, YESTERDAY, since=YESTERDAY).day(YESTERDAY)
        assert day is not None
        juz = next(a.juz for a in day.assignments if a.key == lagging.pk)
        ReadingReport.objects.create(member=lagging, date=YESTERDAY, juz=juz, part=Part.ALL, done=False)
        cls.url = reverse("tadarus:group", kwargs={"group_id": cls.group.pk})

    # --- selectors ---------------------------------------------------------------------------------

    def test_scoped_alone_would_show_reports_to_the_office_coordinator(self) -> None:
        # Why the tadarus selectors exist: the general rule lets an office coordinator read personal rows.
        self.assertTrue(scoped(self.koord_dukcapil, ReadingReport.objects.all()).exists())

    def test_nobody_but_the_member_and_the_group_coordinator_reads_a_member_s_reports(self) -> None:
        lagging = ReadingReport.objects.filter(member__employee=self.lagging)
        self.assertTrue(lagging.exists())
        for user in (
            self.koord_dukcapil,
            self.koord_pegawai,
            self.fasilitator,
            self.pimpinan,
            self.admin,
            self.member_user,
            self.outside_user,
            self.staf_dukcapil,
            self.koord_pupr,
            self.staf_pupr,
            self.other_admin,
            self.outsider,
        ):
            with self.subTest(user=user.username):
                visible = selectors.reading_reports(user=user)
                self.assertFalse(visible.filter(member__employee=self.lagging).exists())
        self.assertEqual(set(selectors.reading_reports(user=self.lagging_user)), set(lagging))
        self.assertTrue(
            set(lagging) <= set(selectors.reading_reports(user=self.ketua_user)),
            "the group coordinator sees every member's reports",
        )

    def test_a_member_sees_only_their_own_reports_unless_the_group_opted_in(self) -> None:
        mine = ReadingReport.objects.filter(member__employee=self.member_employee)
        self.assertEqual(set(selectors.reading_reports(user=self.member_user)), set(mine))
        self.group.show_members_progress = True
        self.group.save()
        self.assertEqual(
            set(selectors.reading_reports(user=self.member_user)),
            set(ReadingReport.objects.filter(member__group=self.group)),
        )
        # Opting in shares with members only: still nothing for the office coordinator or leadership.
        for user in (self.koord_dukcapil, self.koord_pegawai, self.pimpinan, self.outside_user):
            self.assertFalse(selectors.reading_reports(user=user).exists())

    def test_memberships_are_seen_by_the_group_and_nobody_else(self) -> None:
        for user in (self.koord_dukcapil, self.koord_pegawai, self.pimpinan, self.admin, self.outside_user):
            with self.subTest(user=user.username):
                self.assertFalse(selectors.group_memberships(user=user).exists())
        self.assertEqual(selectors.group_memberships(user=self.member_user).count(), 3)

    def test_the_group_page_gives_non_members_totals_only(self) -> None:
        for user in (self.koord_dukcapil, self.koord_pegawai, self.pimpinan, self.admin, self.outside_user):
            with self.subTest(user=user.username):
                page = selectors.group_page(user=user, group=self.group)
                self.assertFalse(page.is_member or page.is_coordinator)
                self.assertEqual(
                    (page.my_today, page.member_names, page.members_progress, page.open_pieces),
                    ([], [], None, None),
                )
                self.assertEqual((page.today_done, page.today_assigned), (2, 3))

    def test_a_member_without_opt_in_sees_names_but_nobody_s_progress(self) -> None:
        page = selectors.group_page(user=self.member_user, group=self.group)
        self.assertIn(NOT_READ, page.member_names)
        self.assertIsNone(page.members_progress)
        self.assertIsNone(page.open_pieces)

    def test_the_group_coordinator_sees_who_has_not_read(self) -> None:
        page = selectors.group_page(user=self.ketua_user, group=self.group)
        assert page.members_progress is not None and page.open_pieces is not None
        row = next(r for r in page.members_progress if r.name == NOT_READ)
        self.assertEqual(row.status, "none")
        self.assertEqual({p.holder for p in page.open_pieces}, {NOT_READ})

    # --- pages -------------------------------------------------------------------------------------

    def test_no_page_shows_anyone_outside_the_group_who_has_or_has_not_read(self) -> None:
        # The office page may list staff (its managers enrol learners), so there the test looks for what
        # would tell reading apart; the group pages must not name the members at all.
        office = reverse("tadarus:office", kwargs={"office_code": "DUKCAPIL"})
        group_pages = [self.url, reverse("tadarus:summary"), reverse("tadarus:groups")]
        for user in (self.koord_dukcapil, self.koord_pegawai, self.fasilitator, self.pimpinan, self.admin):
            self.client.force_login(user)
            for url in [office, *group_pages]:
                with self.subTest(user=user.username, url=url):
                    response = self.client.get(url)
                    status = response.status_code
                    self.assertIn(status, (200, 404))
                    for marker in ("belum melapor", "belum sempat", "Istikamah", "amanah tambahan"):
                        self.assertNotContains(response, marker, status_code=status)
                    if url != office:
                        self.assertNotContains(response, NOT_READ, status_code=status)

    def test_another_office_cannot_even_open_the_group(self) -> None:
        for user in (self.koord_pupr, self.staf_pupr, self.other_admin, self.outsider):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url).status_code, 404)
                response = self.client.post(
                    reverse("tadarus:group_handover", kwargs={"group_id": self.group.pk}),
                    {"piece_date": f"{TODAY.isoformat()}|1-all", "volunteer": 1},
                )
                self.assertEqual(response.status_code, 404)
        self.assertFalse(JuzHandover.objects.exists())

    def test_the_office_coordinator_cannot_hand_over_or_report_for_a_member(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        day = odoj.ledger(self.group, TODAY, since=TODAY).day(TODAY)
        assert day is not None
        lagging = GroupMember.objects.get(employee=self.lagging)
        juz = next(a.juz for a in day.assignments if a.key == lagging.pk)
        before = ReadingReport.objects.count()
        self.client.post(
            reverse("tadarus:group_report", kwargs={"group_id": self.group.pk}),
            {"date": TODAY.isoformat(), "piece": f"{juz}-all", "done": "1"},
        )
        self.client.post(
            reverse("tadarus:group_handover", kwargs={"group_id": self.group.pk}),
            {"piece_date": f"{TODAY.isoformat()}|{juz}-all", "volunteer": lagging.pk},
        )
        self.assertEqual(ReadingReport.objects.count(), before)
        self.assertFalse(JuzHandover.objects.exists())

    def test_the_coordinator_s_list_is_on_the_coordinator_s_page_only(self) -> None:
        self.client.force_login(self.ketua_user)
        self.assertContains(self.client.get(self.url), NOT_READ)
        self.client.force_login(self.member_user)
        response = self.client.get(self.url)
        self.assertNotContains(response, "belum melapor")
        self.assertNotContains(response, "Lelang juz")

    def test_an_opted_in_group_shows_members_progress_to_its_members_only(self) -> None:
        self.group.show_members_progress = True
        self.group.save()
        self.client.force_login(self.member_user)
        self.assertContains(self.client.get(self.url), "Capaian anggota")
        self.client.force_login(self.koord_dukcapil)
        self.assertNotContains(self.client.get(self.url), "Capaian anggota")

    def test_the_admin_site_does_not_offer_personal_reading(self) -> None:
        for model in (GroupMember, ReadingReport, JuzHandover, LevelEnrolment, LevelStep):
            self.assertNotIn(model, admin.site._registry)


@time_machine.travel(NOW, tick=False)
class LevelPrivacyTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.guru_user, cls.guru = staff_login(cls.dukcapil, "guru.ngaji", "Ustaz Lalu Ahmad")
        from perjumpaan.tadarus import services

        cls.enrolment = services.level_enrol(
            actor=cls.koord_dukcapil,
            office=cls.dukcapil,
            employee=Employee.objects.get(user=cls.staf_dukcapil),
            teacher=cls.guru,
            level="iqro2",
        )

    def test_a_learner_s_level_is_seen_by_them_their_teacher_and_the_office_s_managers(self) -> None:
        self.assertEqual(selectors.my_enrolment(user=self.staf_dukcapil), self.enrolment)
        self.assertEqual(list(selectors.my_students(user=self.guru_user)), [self.enrolment])
        self.assertEqual(
            list(selectors.office_enrolments(user=self.koord_dukcapil, office=self.dukcapil)),
            [self.enrolment],
        )
        for user in (self.pimpinan, self.fasilitator, self.koord_pupr):
            with self.subTest(user=user.username):
                self.assertFalse(selectors.office_enrolments(user=user, office=self.dukcapil).exists())
                self.assertFalse(selectors.my_students(user=user).exists())

    def test_leadership_sees_numbers_per_level_not_names(self) -> None:
        self.client.force_login(self.pimpinan)
        response = self.client.get(reverse("tadarus:office", kwargs={"office_code": "DUKCAPIL"}))
        self.assertContains(response, "Iqro&#x27; 2")
        self.assertNotContains(response, "Baiq Nurul Aini")
