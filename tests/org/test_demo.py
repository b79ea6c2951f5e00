from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import re
from collections import Counter
from decimal import Decimal

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from perjumpaan.core.scoping import MANAGE, access_for, scoped
from perjumpaan.org import demo
from perjumpaan.org.demo import LOGINS, DemoContext, demo_load, demo_step, demo_steps
from perjumpaan.org.models import Employee, Government, Office, Role, Unit, User
from perjumpaan.org.nip import nip_problems

USERNAMES = [spec.username for spec in LOGINS]
UserPermission = User.user_permissions.through
ORG_MODELS = (Government, Office, Unit, Employee, User, Role, UserPermission)
EMPLOYEE_FIELDS = (
    "office__code", "unit__name", "user__username", "nip", "name", "position", "gender", "status", "phone",
    "email", "track", "is_active",
)  # fmt: skip
# The demo marks every gathering that has ended by *now*; a gathering that ends between two loads would
# rightly be marked by the second, so the tests that compare loads stand still at one mid-morning instant.
STILL = time_machine.travel(dt.datetime(2026, 11, 25, 2, 30, tzinfo=dt.UTC), tick=False)
BALINESE = re.compile(r"^(?:(?:dr|Ir|Drs|Dra)\. )*(?:I |Ni |Ida (?:Bagus|Ayu) |Anak Agung )")


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ORG_MODELS}


def rows_digest() -> str:
    """Every column of every organisation row, ids and password hashes included."""
    digest = hashlib.sha256()
    for model in ORG_MODELS:
        for row in model.objects.order_by("pk").values():
            digest.update(repr(sorted(row.items())).encode())
    return digest.hexdigest()


def content_digest() -> str:
    """What the demo holds, by natural keys: equal on two databases even if their ids and salts differ."""
    queries = [
        Government.objects.values("slug", "name", "time_zone", "latitude", "longitude", "address"),
        Office.objects.values("government__slug", "code", "name", "kind", "address", "latitude", "longitude"),
        Unit.objects.values("office__code", "name"),
        Employee.objects.values(*EMPLOYEE_FIELDS),
        User.objects.values("username", "first_name", "last_name", "is_demo", "is_staff", "is_superuser"),
        Role.objects.values("user__username", "kind", "government__slug", "office__code"),
        UserPermission.objects.values("user__username", "permission__codename"),
    ]
    digest = hashlib.sha256()
    for query in queries:
        rows = sorted(repr(sorted(row.items())) for row in query)
        digest.update("\n".join(rows).encode())
    return digest.hexdigest()


@STILL
class DemoDataTests(TestCase):
    government: Government

    @classmethod
    def setUpTestData(cls) -> None:
        cls.summary = demo_load()
        cls.government = Government.objects.get(slug="lombok-barat")

    def office(self, code: str) -> Office:
        return Office.objects.get(government=self.government, code=code)

    def user(self, username: str) -> User:
        # A fresh object each time: access_for caches on the user.
        return User.objects.get(username=username)

    # --- what is built ---

    def test_it_builds_lombok_barat_seated_in_gerung(self) -> None:
        government = self.government
        self.assertEqual(government.name, "Pemerintah Kabupaten Lombok Barat")
        self.assertEqual(government.time_zone, "Asia/Makassar")
        self.assertEqual(
            (government.latitude, government.longitude), (Decimal("-8.6936"), Decimal("116.123"))
        )
        self.assertIn("Gerung", government.address)

    def test_it_builds_at_least_twelve_offices_of_the_kinds_a_regency_has(self) -> None:
        kinds = dict(Office.objects.filter(government=self.government).values_list("code", "kind"))
        self.assertGreaterEqual(len(kinds), 12)
        self.assertEqual(kinds["DUKCAPIL"], Office.Kind.DINAS)
        self.assertEqual(kinds["PUPR"], Office.Kind.DINAS)
        self.assertEqual(kinds["SETDA"], Office.Kind.SEKRETARIAT)
        self.assertEqual(kinds["INSPEKTORAT"], Office.Kind.INSPEKTORAT)
        for code in ("BAPPEDA", "BKPSDM", "BPKAD"):
            self.assertEqual(kinds[code], Office.Kind.BADAN)
        kecamatan = [code for code, kind in kinds.items() if kind == Office.Kind.KECAMATAN]
        self.assertGreaterEqual(len(kecamatan), 3)
        self.assertIn("GERUNG", kecamatan)

    def test_every_office_has_two_to_five_units_and_its_staff_work_in_its_own_units(self) -> None:
        for office in Office.objects.filter(government=self.government):
            self.assertTrue(2 <= office.units.count() <= 5, office.code)
        strays = Employee.objects.filter(unit__isnull=False).exclude(unit__office=F("office"))
        self.assertFalse(strays.exists())
        units = set(Unit.objects.filter(office__code="DUKCAPIL").values_list("name", flat=True))
        self.assertIn("Bidang Pelayanan Pendaftaran Penduduk", units)

    def test_it_employs_about_three_hundred_people_most_of_them_in_dukcapil_and_pupr(self) -> None:
        total = Employee.objects.filter(government=self.government).count()
        self.assertTrue(250 <= total <= 350, total)
        sizes = Counter(Employee.objects.values_list("office__code", flat=True))
        self.assertEqual([code for code, _ in sizes.most_common(2)], ["DUKCAPIL", "PUPR"])
        self.assertTrue(35 <= sizes["DUKCAPIL"] <= 45, sizes["DUKCAPIL"])

    def test_every_office_has_one_head_with_the_title_of_its_kind(self) -> None:
        heads = {"DUKCAPIL": "Kepala Dinas", "BAPPEDA": "Kepala Badan", "INSPEKTORAT": "Inspektur"}
        heads |= {"SETDA": "Sekretaris Daerah", "NARMADA": "Camat"}
        for code, title in heads.items():
            self.assertEqual(Employee.objects.filter(office__code=code, position=title).count(), 1, code)

    def test_every_nip_is_valid_for_its_status_and_gender(self) -> None:
        employees = list(Employee.objects.all())
        for e in employees:
            self.assertEqual(nip_problems(e.nip, status=e.status, gender=e.gender), [], e)
            birth = dt.date(int(e.nip[:4]), int(e.nip[4:6]), int(e.nip[6:8]))
            gender_digit = {"L": "1", "P": "2"}[e.gender]
            if e.status == Employee.Status.PPPK:
                self.assertTrue(2019 <= int(e.nip[8:12]) <= 2024, e)
                self.assertEqual(e.nip[12:15], "21" + gender_digit, e)
            else:
                self.assertTrue(1966 <= birth.year <= 2000, e)
                self.assertTrue(22 <= int(e.nip[8:12]) - birth.year <= 35, e)
                self.assertEqual(e.nip[14], gender_digit, e)
        self.assertEqual(len({e.nip for e in employees}), len(employees))

    def test_about_fifteen_percent_are_pppk_and_a_few_have_left(self) -> None:
        employees = Employee.objects.all()
        pppk = employees.filter(status=Employee.Status.PPPK).count()
        self.assertTrue(0.10 <= pppk / employees.count() <= 0.20, pppk)
        left = employees.filter(is_active=False).count()
        self.assertTrue(1 <= left <= 15, left)

    def test_faith_tracks_follow_the_name_families_in_most_cases(self) -> None:
        tracks = Counter(Employee.objects.values_list("track", flat=True))
        self.assertGreater(tracks[Employee.Track.ISLAM], 0.6 * sum(tracks.values()))
        for track in (
            Employee.Track.HINDU,
            Employee.Track.KRISTEN,
            Employee.Track.KATOLIK,
            Employee.Track.BUDDHA,
        ):
            self.assertGreater(tracks[track], 0, track)
        balinese = [
            track for name, track in Employee.objects.values_list("name", "track") if BALINESE.match(name)
        ]
        self.assertGreater(len(balinese), 15)
        self.assertGreater(balinese.count(Employee.Track.HINDU), 0.8 * len(balinese))
        sasak = Employee.objects.filter(name__regex=r"^(?:[A-Za-z]+\. )*(?:Lalu|Baiq) ")
        self.assertGreater(sasak.count(), 30)
        self.assertFalse(sasak.exclude(track=Employee.Track.ISLAM).exists())

    def test_phones_are_indonesian_mobile_numbers_and_some_people_have_an_email(self) -> None:
        phones = [p for p in Employee.objects.values_list("phone", flat=True) if p]
        self.assertGreater(len(phones), 200)
        self.assertTrue(all(re.fullmatch(r"08\d{9,11}", p) for p in phones), phones)
        self.assertEqual(len(set(phones)), len(phones))
        emails = Employee.objects.exclude(email="").count()
        self.assertTrue(30 <= emails <= 250, emails)

    # --- logins and what each may do ---

    def test_every_demo_login_is_a_demo_account_and_none_is_a_superuser(self) -> None:
        users = User.objects.filter(username__in=USERNAMES)
        self.assertEqual(sorted(u.username for u in users), sorted(USERNAMES))
        self.assertTrue(all(u.is_demo and not u.is_superuser for u in users))
        self.assertEqual([u.username for u in users if u.is_staff], ["admin"])
        self.assertTrue(self.user("admin").has_perm("org.change_employee"))
        self.assertFalse(self.user("admin").has_perm("org.change_user"))

    def test_logins_linked_to_a_person_carry_that_person_s_name(self) -> None:
        for username, code in [
            ("koordinator.dukcapil", "DUKCAPIL"),
            ("koordinator.pupr", "PUPR"),
            ("staf.dukcapil", "DUKCAPIL"),
        ]:
            user = self.user(username)
            employee = Employee.objects.get(user=user)
            self.assertEqual(employee.office.code, code)
            self.assertTrue(employee.is_active)
            self.assertTrue(user.first_name and user.last_name, username)
            self.assertIn(f"{user.first_name} {user.last_name}", employee.name)

    def test_every_demo_login_can_log_in_through_the_login_page_while_debug_is_on(self) -> None:
        for username in USERNAMES:
            with override_settings(DEBUG=True):
                response = self.client.post(
                    reverse("login"), {"username": username, "password": settings.DEMO_PASSWORD}
                )
                self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
                self.assertEqual(self.client.session["_auth_user_id"], str(self.user(username).pk))
                self.client.post(reverse("logout"))

    def test_demo_logins_are_refused_when_debug_is_off(self) -> None:
        for username in USERNAMES:
            with override_settings(DEBUG=False):
                response = self.client.post(
                    reverse("login"), {"username": username, "password": settings.DEMO_PASSWORD}
                )
                self.assertEqual(response.status_code, 200, username)
                self.assertNotIn("_auth_user_id", self.client.session)

    def test_each_demo_role_resolves_to_the_access_it_is_named_for(self) -> None:
        gov = self.government.pk
        dukcapil, pupr = self.office("DUKCAPIL").pk, self.office("PUPR").pk

        admin = access_for(self.user("admin"))
        self.assertTrue(admin.is_admin)
        self.assertFalse(admin.is_superuser)
        self.assertEqual(admin.admin_governments, {gov})

        pimpinan = access_for(self.user("pimpinan"))
        self.assertTrue(pimpinan.is_leadership)
        self.assertFalse(pimpinan.is_admin)
        self.assertEqual(pimpinan.leadership_governments, {gov})

        for username, office, other in [
            ("koordinator.dukcapil", dukcapil, pupr),
            ("koordinator.pupr", pupr, dukcapil),
        ]:
            access = access_for(self.user(username))
            self.assertEqual(access.coordinator_offices, {office})
            self.assertEqual(access.employee_office_id, office)
            self.assertFalse(access.is_admin or access.is_leadership or access.is_facilitator)
            managed = scoped(self.user(username), Office.objects.all(), MANAGE)
            self.assertEqual(list(managed.values_list("pk", flat=True)), [office])
            self.assertFalse(scoped(self.user(username), Employee.objects.filter(office_id=other)).exists())

        fasilitator = access_for(self.user("fasilitator"))
        self.assertEqual(fasilitator.facilitator_offices, {dukcapil, pupr})
        self.assertFalse(fasilitator.is_coordinator or fasilitator.is_staff_member)

        staf = access_for(self.user("staf.dukcapil"))
        self.assertEqual(staf.employee_office_id, dukcapil)
        self.assertFalse(staf.is_admin or staf.is_leadership or staf.is_coordinator or staf.is_facilitator)
        self.assertFalse(Role.objects.filter(user__username="staf.dukcapil").exists())

    # --- loading again ---

    def test_a_second_run_changes_nothing(self) -> None:
        counts, digest = row_counts(), rows_digest()
        summary = demo_load()
        self.assertEqual(summary.created, 0)
        self.assertEqual(row_counts(), counts)
        self.assertEqual(rows_digest(), digest)
        self.assertEqual(summary.counts, self.summary.counts)

    def test_a_second_run_keeps_edits_and_puts_back_only_what_is_missing(self) -> None:
        # Someone who left: later apps' history (attendance, evaluations) protects everyone still active.
        edited = Employee.objects.filter(user__isnull=True).order_by("pk").first()
        removed = Employee.objects.filter(user__isnull=True, is_active=False).order_by("pk").first()
        assert edited is not None and removed is not None
        Employee.objects.filter(pk=edited.pk).update(phone="081100000000")
        Employee.objects.filter(pk=removed.pk).delete()
        summary = demo_load()
        self.assertEqual(summary.created, 1)
        self.assertEqual(Employee.objects.get(pk=edited.pk).phone, "081100000000")
        self.assertEqual(Employee.objects.get(nip=removed.nip).name, removed.name)

    def test_the_command_shows_the_totals_and_the_demo_logins_with_their_password(self) -> None:
        out = io.StringIO()
        call_command("demo", stdout=out)
        output = out.getvalue()
        self.assertIn("Pemerintah Kabupaten Lombok Barat", output)
        self.assertRegex(output, r"Pegawai\s+300\b")
        for username in USERNAMES:
            self.assertRegex(output, rf"(?m)^  {re.escape(username)}\s.*{re.escape(settings.DEMO_PASSWORD)}$")
        self.assertIn("PERJUMPAAN_DEBUG", output)
        self.assertIn("tidak ada yang diubah", output)


@STILL
class DemoLoadingTests(TestCase):
    """On an empty database."""

    def test_two_fresh_databases_get_identical_demo_data(self) -> None:
        with transaction.atomic():
            demo_load()
            first = content_digest()
            transaction.set_rollback(True)
        self.assertFalse(Government.objects.exists())
        demo_load()
        self.assertEqual(content_digest(), first)

    def test_if_empty_loads_an_empty_database(self) -> None:
        out = io.StringIO()
        call_command("demo", "--if-empty", stdout=out)
        self.assertTrue(Government.objects.filter(slug="lombok-barat").exists())
        self.assertIn("koordinator.dukcapil", out.getvalue())

    def test_if_empty_leaves_a_database_that_has_a_government_alone(self) -> None:
        Government.objects.create(name="Pemerintah Kabupaten Lombok Timur", slug="lombok-timur")
        out = io.StringIO()
        call_command("demo", "--if-empty", stdout=out)
        self.assertEqual(Government.objects.count(), 1)
        self.assertFalse(Office.objects.exists() or User.objects.exists())
        self.assertEqual(
            out.getvalue().strip().splitlines(), ["Basis data sudah berisi data; data demo tidak dimuat."]
        )

    def test_it_gives_nothing_to_a_real_account_that_has_a_demo_username(self) -> None:
        real = User.objects.create_user(username="admin", password="rahasia-uji-123")
        summary = demo_load()
        real.refresh_from_db()
        self.assertFalse(real.is_demo or real.is_staff)
        self.assertFalse(Role.objects.filter(user=real).exists())
        self.assertFalse(real.user_permissions.exists())
        self.assertNotIn("admin", [login.username for login in summary.logins])

    def test_a_later_app_s_step_runs_after_the_org_steps_with_random_numbers_of_its_own(self) -> None:
        seen: list[object] = []

        @demo_step("tests.probe")
        def probe(ctx: DemoContext) -> None:
            seen.append(ctx.office("DUKCAPIL").employees.count())
            seen.append(ctx.rng("tests.probe").random())
            ctx.summary.counts["Percobaan"] = 1

        try:
            summary = demo_load()
        finally:
            del demo._steps["tests.probe"]
        self.assertEqual(seen[0], 40)
        self.assertEqual(seen[1], random.Random(f"{demo.SEED}:tests.probe").random())
        self.assertEqual(summary.counts["Percobaan"], 1)


class DemoStepOrderTests(SimpleTestCase):
    def test_steps_follow_the_apps_not_the_order_their_modules_were_imported(self) -> None:
        steps = demo_steps()
        modules = [function.__module__ for _name, function in steps]
        self.assertLess(modules.index("perjumpaan.program.demo"), modules.index("perjumpaan.service.demo"))
        saved = dict(demo._steps)
        try:
            # As when a test module imported perjumpaan.service.demo before anything asked for the steps.
            early = [(name, f) for name, f in steps if f.__module__ == "perjumpaan.service.demo"]
            demo._steps.clear()
            demo._steps.update(early)
            demo._steps.update((name, f) for name, f in steps if (name, f) not in early)
            self.assertEqual([name for name, _f in demo_steps()], [name for name, _f in steps])
        finally:
            demo._steps.clear()
            demo._steps.update(saved)
