"""The base test case: one government with named personas across offices, built once per class.

- `admin` — programme admin of Lombok Barat;
- `pimpinan` — leadership (read-only, every office);
- `koord_dukcapil`, `staf_dukcapil`, `fasilitator` — coordinator, staff member and facilitator of DUKCAPIL;
- `koord_pupr`, `staf_pupr` — coordinator and staff member of PUPR, who must see nothing of DUKCAPIL;
- `outsider` — a login with no role at all;
- `other_admin` — admin of another government, who must see nothing of Lombok Barat.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.test import TestCase

from perjumpaan.org.models import Employee, Government, Office, Role, Unit, User
from perjumpaan.org.nip import nip_compose

_serial = itertools.count(1)


def make_employee(
    office: Office, *, name: str, gender: str = "L", user: User | None = None, **extra: Any
) -> Employee:
    birth = dt.date(1980 + next(_serial) % 15, 1 + next(_serial) % 12, 1 + next(_serial) % 28)
    nip = nip_compose(
        birth=birth, tmt=dt.date(birth.year + 24, 3, 1), gender=gender, serial=next(_serial) % 999 + 1
    )
    return Employee.objects.create(
        government=office.government, office=office, nip=nip, name=name, gender=gender, user=user, **extra
    )


class PerjumpaanTestCase(TestCase):
    government: Government
    dukcapil: Office
    pupr: Office
    admin: User
    pimpinan: User
    koord_dukcapil: User
    staf_dukcapil: User
    fasilitator: User
    koord_pupr: User
    staf_pupr: User
    outsider: User
    other_admin: User

    @classmethod
    def setUpTestData(cls) -> None:
        gov = cls.government = Government.objects.create(name="Kabupaten Lombok Barat", slug="lombok-barat")
        cls.dukcapil = Office.objects.create(
            government=gov, code="DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil"
        )
        cls.pupr = Office.objects.create(
            government=gov, code="PUPR", name="Dinas Pekerjaan Umum dan Penataan Ruang"
        )
        Unit.objects.create(office=cls.dukcapil, name="Pelayanan Pendaftaran Penduduk")

        def user(username: str) -> User:
            return User.objects.create_user(username=username, password="rahasia-uji-123")

        cls.admin = user("admin")
        Role.objects.create(user=cls.admin, kind=Role.Kind.ADMIN, government=gov)
        cls.pimpinan = user("pimpinan")
        Role.objects.create(user=cls.pimpinan, kind=Role.Kind.LEADERSHIP, government=gov)
        cls.koord_dukcapil = user("koordinator.dukcapil")
        Role.objects.create(
            user=cls.koord_dukcapil, kind=Role.Kind.COORDINATOR, government=gov, office=cls.dukcapil
        )
        cls.koord_pupr = user("koordinator.pupr")
        Role.objects.create(user=cls.koord_pupr, kind=Role.Kind.COORDINATOR, government=gov, office=cls.pupr)
        cls.fasilitator = user("fasilitator")
        Role.objects.create(
            user=cls.fasilitator, kind=Role.Kind.FACILITATOR, government=gov, office=cls.dukcapil
        )
        cls.staf_dukcapil = user("staf.dukcapil")
        make_employee(cls.dukcapil, name="Baiq Nurul Aini", gender="P", user=cls.staf_dukcapil, track="islam")
        make_employee(cls.dukcapil, name="Lalu Muhammad Zaini", track="islam")
        cls.staf_pupr = user("staf.pupr")
        make_employee(cls.pupr, name="I Made Sudarsana", user=cls.staf_pupr, track="hindu")
        make_employee(cls.pupr, name="Ni Luh Putu Ariani", gender="P", track="hindu")
        cls.outsider = user("outsider")

        other = Government.objects.create(name="Kabupaten Lombok Timur", slug="lombok-timur")
        Office.objects.create(government=other, code="DUKCAPIL", name="Disdukcapil Lombok Timur")
        cls.other_admin = user("admin.lotim")
        Role.objects.create(user=cls.other_admin, kind=Role.Kind.ADMIN, government=other)

    # Personas named as the isolation tests iterate them.
    PERSONAS = (
        "admin",
        "pimpinan",
        "koord_dukcapil",
        "staf_dukcapil",
        "fasilitator",
        "koord_pupr",
        "staf_pupr",
        "outsider",
        "other_admin",
    )
