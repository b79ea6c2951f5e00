"""Check-in: windows, lateness, repeats, other offices, flags; closing; roll call; leave; recaps."""

from __future__ import annotations

import datetime as dt
import threading
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse

from perjumpaan.attendance import selectors, services
from perjumpaan.attendance.models import Attendance, AttendancePolicy, FollowUp, LeaveRequest
from perjumpaan.org.models import AuditEntry, Employee
from tests.attendance.helpers import a_gathering, at, code_for
from tests.base import PerjumpaanTestCase, make_employee


class CheckinTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.gathering = a_gathering(self.dukcapil)  # 12.00–12.45 WITA on 2 December 2026
        self.me = Employee.objects.get(user=self.staf_dukcapil)

    def checkin(
        self, moment: dt.datetime, code_moment: dt.datetime | None = None, **kw: object
    ) -> services.CheckinResult:
        code = code_for(self.gathering, code_moment or moment)
        return services.checkin(employee=self.me, code=code, now=moment, **kw)  # type: ignore[arg-type]

    def test_on_time_is_hadir_and_after_the_grace_period_terlambat(self) -> None:
        self.assertEqual(self.checkin(at(2, 12, 10)).mark.status, "H")  # 10 minutes grace: still on time
        other = Employee.objects.get(name="Lalu Muhammad Zaini")
        late = services.checkin(
            employee=other, code=code_for(self.gathering, at(2, 12, 10, 1)), now=at(2, 12, 10, 1)
        )
        self.assertEqual(late.mark.status, "T")

    def test_checking_in_twice_changes_nothing(self) -> None:
        first = self.checkin(at(2, 11, 50))
        second = self.checkin(at(2, 12, 20))
        self.assertTrue(first.created)
        self.assertFalse(second.created)
        self.assertEqual(second.mark.status, "H")
        self.assertEqual(Attendance.objects.count(), 1)

    def test_check_in_opens_fifteen_minutes_before_and_closes_at_the_end(self) -> None:
        with self.assertRaisesMessage(services.CheckinError, "belum dibuka"):
            self.checkin(at(2, 11, 44))
        self.assertTrue(self.checkin(at(2, 11, 45)).created)
        with self.assertRaisesMessage(services.CheckinError, "sudah ditutup"):
            services.checkin(
                employee=Employee.objects.get(name="Lalu Muhammad Zaini"),
                code=code_for(self.gathering, at(2, 12, 45, 30)),
                now=at(2, 12, 45, 30),
            )

    def test_an_expired_code_is_refused_and_the_previous_window_is_flagged(self) -> None:
        with self.assertRaisesMessage(services.CheckinError, "kedaluwarsa"):
            self.checkin(at(2, 12, 1), code_moment=at(2, 12, 0))
        mark = self.checkin(at(2, 12, 0, 16), code_moment=at(2, 12, 0, 0)).mark
        self.assertIn("stale_code", mark.flags)

    def test_staff_of_another_office_or_track_are_refused(self) -> None:
        stranger = Employee.objects.get(user=self.staf_pupr)
        with self.assertRaisesMessage(services.CheckinError, "bukan milik Anda"):
            services.checkin(employee=stranger, code=code_for(self.gathering, at(2, 12)), now=at(2, 12))
        hindu = make_employee(self.dukcapil, name="I Wayan Sudirta", track="hindu")
        with self.assertRaisesMessage(services.CheckinError, "bukan milik Anda"):
            services.checkin(employee=hindu, code=code_for(self.gathering, at(2, 12)), now=at(2, 12))

    def test_one_phone_checking_in_two_people_is_flagged_not_refused(self) -> None:
        self.checkin(at(2, 12), device="phone-1")
        other = Employee.objects.get(name="Lalu Muhammad Zaini")
        second = services.checkin(
            employee=other, code=code_for(self.gathering, at(2, 12)), now=at(2, 12), device="phone-1"
        )
        self.assertTrue(second.created)
        self.assertIn("shared_device", second.mark.flags)

    def test_rules_are_frozen_when_the_gathering_is_scheduled(self) -> None:
        AttendancePolicy.objects.create(office=self.dukcapil, grace_minutes=0)
        self.assertEqual(self.checkin(at(2, 12, 5)).mark.status, "H")  # still the 10 minutes in force before

    def test_a_required_location_outside_the_radius_is_refused(self) -> None:
        self.government.latitude, self.government.longitude = -8.6936, 116.1230
        self.government.save()
        AttendancePolicy.objects.create(office=self.dukcapil, location_mode="require", radius_m=200)
        gathering = a_gathering(self.dukcapil, day=3)
        code = code_for(gathering, at(3, 12))
        with self.assertRaisesMessage(services.CheckinError, "lokasi"):
            services.checkin(employee=self.me, code=code, now=at(3, 12))
        with self.assertRaisesMessage(services.CheckinError, "dari tempat perjumpaan"):
            services.checkin(employee=self.me, code=code, now=at(3, 12), latitude=-8.58, longitude=116.10)
        near = services.checkin(
            employee=self.me, code=code, now=at(3, 12), latitude=-8.6937, longitude=116.1231
        )
        self.assertTrue(near.created)

    def test_a_checkin_outside_the_office_network_is_flagged(self) -> None:
        AttendancePolicy.objects.create(office=self.dukcapil, networks="10.20.0.0/16")
        gathering = a_gathering(self.dukcapil, day=3)
        mark = services.checkin(
            employee=self.me, code=code_for(gathering, at(3, 12)), now=at(3, 12), ip="8.8.8.8"
        ).mark
        self.assertIn("outside_network", mark.flags)


class ClosingAndRecapTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.me = Employee.objects.get(user=self.staf_dukcapil)
        self.other = Employee.objects.get(name="Lalu Muhammad Zaini")

    def test_closing_marks_the_absent_tk_or_their_approved_leave_and_is_idempotent(self) -> None:
        gathering = a_gathering(self.dukcapil)
        services.checkin(employee=self.me, code=code_for(gathering, at(2, 12)), now=at(2, 12))
        third = make_employee(self.dukcapil, name="Muhammad Saleh")
        LeaveRequest.objects.create(
            employee=third,
            kind="DL",
            start_date=dt.date(2026, 12, 1),
            end_date=dt.date(2026, 12, 3),
            reason="Bimtek",
            status="approved",
        )
        self.assertEqual(services.gathering_close(gathering=gathering), 2)
        statuses = dict(
            Attendance.objects.filter(gathering=gathering).values_list("employee__name", "status")
        )
        self.assertEqual(
            statuses, {"Baiq Nurul Aini": "H", "Lalu Muhammad Zaini": "TK", "Muhammad Saleh": "DL"}
        )
        self.assertEqual(services.gathering_close(gathering=gathering), 0)
        gathering.refresh_from_db()
        self.assertEqual(gathering.status, "held")

    def test_a_roll_call_change_after_closing_needs_a_reason_and_is_audited(self) -> None:
        gathering = a_gathering(self.dukcapil)
        services.gathering_close(gathering=gathering)
        with self.assertRaisesMessage(ValidationError, "wajib disertai alasan"):
            services.rollcall_mark(
                actor=self.koord_dukcapil, gathering=gathering, employee=self.other, status="H"
            )
        services.rollcall_mark(
            actor=self.koord_dukcapil,
            gathering=gathering,
            employee=self.other,
            status="S",
            reason="Surat dokter menyusul",
        )
        entry = AuditEntry.objects.get(action="attendance.change")
        self.assertEqual(
            (entry.old, entry.new, entry.actor), ({"status": "TK"}, {"status": "S"}, self.koord_dukcapil)
        )
        self.assertEqual(entry.reason, "Surat dokter menyusul")

    def test_every_status_transition_by_roll_call_is_possible_and_unknown_codes_are_refused(self) -> None:
        gathering = a_gathering(self.dukcapil)
        for status in ["H", "T", "I", "S", "C", "DL", "TK", "H"]:
            services.rollcall_mark(
                actor=self.koord_dukcapil, gathering=gathering, employee=self.other, status=status
            )
            self.assertEqual(Attendance.objects.get(gathering=gathering, employee=self.other).status, status)
        with self.assertRaisesMessage(ValidationError, "tidak dikenal"):
            services.rollcall_mark(
                actor=self.koord_dukcapil, gathering=gathering, employee=self.other, status="X"
            )
        with self.assertRaisesMessage(ValidationError, "tidak termasuk peserta"):
            services.rollcall_mark(
                actor=self.koord_dukcapil,
                gathering=gathering,
                employee=Employee.objects.get(user=self.staf_pupr),
                status="H",
            )

    def test_approving_leave_afterwards_corrects_the_tk_marks(self) -> None:
        gathering = a_gathering(self.dukcapil)
        services.gathering_close(gathering=gathering)
        leave = services.leave_request(
            employee=self.other,
            kind="I",
            start_date=dt.date(2026, 12, 2),
            end_date=dt.date(2026, 12, 2),
            reason="Anak sakit",
        )
        services.leave_decide(actor=self.koord_dukcapil, leave=leave, approve=True)
        self.assertEqual(Attendance.objects.get(gathering=gathering, employee=self.other).status, "I")
        self.assertTrue(
            AuditEntry.objects.filter(action="attendance.change", reason="Izin disetujui").exists()
        )
        with self.assertRaisesMessage(ValidationError, "sudah diputuskan"):
            services.leave_decide(actor=self.koord_dukcapil, leave=leave, approve=False)

    def test_sick_leave_needs_a_letter(self) -> None:
        with self.assertRaisesMessage(ValidationError, "surat keterangan"):
            services.leave_request(
                employee=self.me,
                kind="S",
                start_date=dt.date(2026, 12, 2),
                end_date=dt.date(2026, 12, 2),
                reason="Demam",
            )

    def test_three_absences_in_a_row_open_one_follow_up(self) -> None:
        for day in (1, 2, 3, 4):
            gathering = a_gathering(self.dukcapil, day=day)
            services.checkin(employee=self.me, code=code_for(gathering, at(day, 12)), now=at(day, 12))
            services.gathering_close(gathering=gathering)
        follow_ups = FollowUp.objects.filter(employee=self.other)
        self.assertEqual(follow_ups.count(), 1)
        self.assertEqual(follow_ups.get().streak, 3)
        self.assertFalse(FollowUp.objects.filter(employee=self.me).exists())

    def test_the_recap_matches_a_case_worked_by_hand(self) -> None:
        # Ten gatherings for Baiq: H H H T T I S C DL TK.
        # Expected 10; excused (C + DL) 2; present (H + T) 5; rate = 5 / (10 − 2) = 62.5 %.
        # Lalu: present at all ten: rate 10/10. Office: (5 + 10) / (20 − 2) = 15/18 = 83.33 %.
        statuses = ["H", "H", "H", "T", "T", "I", "S", "C", "DL", "TK"]
        for day, status in enumerate(statuses, 1):
            gathering = a_gathering(self.dukcapil, day=day)
            services.rollcall_mark(
                actor=self.koord_dukcapil, gathering=gathering, employee=self.me, status=status
            )
            services.rollcall_mark(
                actor=self.koord_dukcapil, gathering=gathering, employee=self.other, status="H"
            )
            services.gathering_close(gathering=gathering)
        rows = selectors.attendance_recap(
            user=self.koord_dukcapil,
            office=self.dukcapil,
            start=dt.date(2026, 12, 1),
            end=dt.date(2026, 12, 31),
        )
        mine = next(r for r in rows if r.employee_id == self.me.pk)
        self.assertEqual((mine.expected, mine.present, mine.excused), (10, 5, 2))
        self.assertEqual(mine.rate, Fraction(5, 8))
        self.assertEqual(selectors.recap_total(rows).rate, Fraction(15, 18))
        # Staff see their own recap only; another office's coordinator sees nothing.
        own = selectors.attendance_recap(
            user=self.staf_dukcapil, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
        )
        self.assertEqual([r.employee_id for r in own], [self.me.pk])
        self.assertEqual(
            selectors.attendance_recap(
                user=self.koord_pupr,
                office=self.dukcapil,
                start=dt.date(2026, 12, 1),
                end=dt.date(2026, 12, 31),
            ),
            [],
        )


class CheckinPageTests(PerjumpaanTestCase):
    def test_the_link_from_the_qr_code_marks_a_logged_in_staff_member_present(self) -> None:
        import time_machine

        gathering = a_gathering(self.dukcapil)
        with time_machine.travel(at(2, 12, 3), tick=False):
            code = code_for(gathering, at(2, 12, 3))
            self.client.force_login(self.staf_dukcapil)
            page = self.client.get(reverse("attendance:checkin", args=[code]))
            self.assertContains(page, "Saya hadir")
            done = self.client.post(reverse("attendance:checkin", args=[code]))
            self.assertContains(done, "Tercatat: Hadir")
            again = self.client.post(reverse("attendance:checkin", args=[code]))
            self.assertContains(again, "tidak ada yang berubah")
            bad = self.client.post(reverse("attendance:checkin", args=["1-2-3"]))
            self.assertContains(bad, "tidak sah", status_code=400)

    def test_the_api_answers_201_then_200_then_4xx(self) -> None:
        import time_machine

        gathering = a_gathering(self.dukcapil)
        with time_machine.travel(at(2, 12, 3), tick=False):
            self.client.force_login(self.koord_dukcapil)
            code = self.client.get(f"/api/v1/gatherings/{gathering.pk}/code").json()
            self.assertEqual(code["expected"], 2)
            self.client.force_login(self.staf_dukcapil)
            first = self.client.post(
                "/api/v1/checkins", {"code": code["code"]}, content_type="application/json"
            )
            self.assertEqual(first.status_code, 201, first.content)
            self.assertEqual(first.json()["status"], "H")
            repeat = self.client.post(
                "/api/v1/checkins", {"code": code["code"]}, content_type="application/json"
            )
            self.assertEqual(repeat.status_code, 200)
            forged = self.client.post(
                "/api/v1/checkins", {"code": code["code"][:-1] + "0"}, content_type="application/json"
            )
            self.assertIn(forged.status_code, (400, 403))
            self.assertIn("detail", forged.json())
            self.client.force_login(self.koord_pupr)
            self.assertEqual(self.client.get(f"/api/v1/gatherings/{gathering.pk}/code").status_code, 404)


@pytest.mark.django_db(transaction=True)
class ConcurrentCheckinTests(TransactionTestCase):
    def test_simultaneous_check_ins_of_one_person_make_one_mark(self) -> None:
        from perjumpaan.org.models import Government, Office

        government = Government.objects.create(name="Uji", slug="uji")
        office = Office.objects.create(government=government, code="UJI", name="Kantor Uji")
        employee = make_employee(office, name="Hairul Anwar", track="islam")
        gathering = a_gathering(office)
        code = code_for(gathering, at(2, 12))
        results: list[bool] = []
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                results.append(services.checkin(employee=employee, code=code, now=at(2, 12)).created)
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(sorted(results), [False] * 7 + [True])
        self.assertEqual(Attendance.objects.filter(gathering=gathering).count(), 1)
