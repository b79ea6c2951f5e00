"""Demo data: a Lombok Barat–like regency with offices, units, staff and one login for each role.

`demo_load()` builds it in one transaction; `perjumpaan demo` is the command that calls it. The data is
deterministic (seeded random numbers, a fixed reference date instead of today), so two fresh databases
get identical rows, and loading is idempotent: every row is looked up by its natural key (government
slug, office code, unit name, NIP, username) and only what is missing is created. Nothing that exists is
ever changed.

How a later app adds its own demo data
--------------------------------------

The demo is a list of *steps*, functions that take a `DemoContext`. An app adds a step by writing a
`demo.py` module of its own, which `demo_load()` imports (the way Django's admin finds `admin.py`)::

    # src/perjumpaan/program/demo.py
    from perjumpaan.org.demo import DemoContext, demo_step

    @demo_step("program.gatherings")
    def gatherings(ctx: DemoContext) -> None:
        rng = ctx.rng("program.gatherings")
        dukcapil = ctx.office("DUKCAPIL")
        ...  # create only what is missing, looked up by a natural key
        ctx.created += len(new_rows)
        ctx.summary.counts[gettext_noop("Pertemuan")] = Gathering.objects.filter(...).count()

Rules for a step:

- Steps run in the order they are registered. The org steps below register first, and app modules are
  imported in INSTALLED_APPS order, so a step may rely on the data of every app listed before its own.
- Be idempotent: look rows up by a natural key, create what is missing, never update or delete.
- Be deterministic: draw random numbers only from `ctx.rng(name)` (its own seeded generator, so adding a
  step never changes another step's data). Date things from `REFERENCE_DATE`; a step whose data must be
  recent to be useful (this week's gatherings) may anchor on today instead, and says so in its docstring.
- Be quick: `make run` loads the demo; build rows in memory and `bulk_create` them.
- Add to `ctx.created` what was created, and put totals worth showing in `ctx.summary.counts` (labels
  marked with `gettext_noop`; the command translates them).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from typing import Any, Protocol

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.org.models import Employee, Government, Office, Role, Unit, User
from perjumpaan.org.nip import nip_compose

SEED = "perjumpaan-demo-1"

# Demo dates are drawn relative to this day, not today, so that the data does not depend on when it is
# loaded. Every TMT and appointment year lies before it.
REFERENCE_DATE = dt.date(2025, 1, 1)

GOVERNMENT_SLUG = "lombok-barat"


# --- Steps ------------------------------------------------------------------------------------------


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


@dataclass(frozen=True)
class DemoLogin:
    """One demo account as the command shows it."""

    username: str
    role: str
    name: str


@dataclass
class DemoSummary:
    """What the demo holds after loading: totals to show, the demo logins and their password."""

    government: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    created: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = ""


@dataclass
class DemoContext:
    """What every step receives: the demo government and the summary being built."""

    government: Government
    summary: DemoSummary
    stdout: Writer | None = None
    created: int = 0

    def rng(self, name: str) -> random.Random:
        """A random generator of one's own, seeded by the step name."""
        return random.Random(f"{SEED}:{name}")  # nosec B311  # demo data, reproducible on purpose

    def office(self, code: str) -> Office:
        return Office.objects.get(government=self.government, code=code)

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")


DemoStep = Callable[[DemoContext], None]

_steps: dict[str, DemoStep] = {}


def demo_step(name: str) -> Callable[[DemoStep], DemoStep]:
    """Register a step of the demo under `name` (registering the same name again replaces it)."""

    def register(function: DemoStep) -> DemoStep:
        _steps[name] = function
        return function

    return register


def demo_steps() -> list[tuple[str, DemoStep]]:
    """Every registered step, after importing each Perjumpaan app's `demo` module: in the order of
    INSTALLED_APPS, then in the order each module registers its steps. Never in import order, which
    depends on what the process happened to import first (a test module imports one app's demo early)
    and would let a later app's step run before the data it builds on."""
    order: dict[str, int] = {}
    for index, config in enumerate(apps.get_app_configs()):
        order[config.name] = index
        if config.name.startswith("perjumpaan.") and module_has_submodule(config.module, "demo"):
            import_module(f"{config.name}.demo")
    registered = list(_steps.items())

    def app_index(item: tuple[str, DemoStep]) -> int:
        module = item[1].__module__
        return max(
            (index for name, index in order.items() if module.startswith(name + ".")), default=len(order)
        )

    return sorted(registered, key=app_index)  # stable: a module's own steps keep their order


def database_has_data() -> bool:
    """Whether any government exists: `perjumpaan demo --if-empty` then leaves the database alone."""
    return Government.objects.exists()


def demo_load(*, stdout: Writer | None = None) -> DemoSummary:
    """Create whatever of the demo data is missing, in one transaction, and say what the demo holds."""
    steps = demo_steps()
    with transaction.atomic():
        government, created = Government.objects.get_or_create(
            slug=GOVERNMENT_SLUG,
            defaults={
                "name": "Pemerintah Kabupaten Lombok Barat",
                "time_zone": "Asia/Makassar",
                # The Giri Menang government complex in Gerung, the regency seat.
                "latitude": Decimal("-8.693600"),
                "longitude": Decimal("116.123000"),
                "address": "Jl. Soekarno-Hatta No. 1, Giri Menang, Gerung, Lombok Barat, NTB",
            },
        )
        summary = DemoSummary(government=government.name, password=settings.DEMO_PASSWORD)
        ctx = DemoContext(government=government, summary=summary, stdout=stdout, created=int(created))
        for _step_name, step in steps:
            step(ctx)
        summary.created = ctx.created
    return summary


# --- The organisation: what it is --------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """A position (jabatan) staff may hold, with the degrees its holders tend to have."""

    title: str
    degrees: tuple[str, ...] = ()
    # "ahli": a functional position graded Ahli Pertama/Muda/Madya by seniority.
    grade: str = ""
    # "L" or "P" where only men or only women hold it in practice (midwives are women).
    gender: str = ""


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name: str
    kind: str
    size: int
    units: tuple[str, ...]
    jobs: tuple[Job, ...]
    degrees: tuple[str, ...]
    masters: tuple[str, ...] = ("M.Si.", "M.M.", "M.AP.")
    address: str = "Kompleks Perkantoran Giri Menang, Jl. Soekarno-Hatta, Gerung, Lombok Barat"
    # Approximate; offices in the Giri Menang complex share the government's point.
    latitude: str = "-8.693600"
    longitude: str = "116.123000"


K = Office.Kind

ADMINISTRATIVE_JOBS = (
    Job("Pengadministrasi Perkantoran", ("", "", "A.Md.", "S.E.")),
    Job("Penata Layanan Operasional", ("S.E.", "S.Sos.", "S.AP.", "")),
    Job("Operator Layanan Operasional", ("", "", "A.Md.")),
    Job("Pengelola Layanan Operasional", ("", "A.Md.", "S.Sos.")),
    Job("Pranata Komputer", ("S.Kom.", "A.Md.Kom.", "S.Kom."), grade="ahli"),
    Job("Arsiparis", ("A.Md.", "S.Sos.", ""), grade="ahli"),
    Job("Analis Kebijakan", ("S.Sos.", "S.IP.", "S.E."), grade="ahli"),
    Job("Bendahara", ("S.E.", "S.Ak.", "A.Md.")),
)

KECAMATAN_UNITS = (
    "Sekretariat Kecamatan",
    "Seksi Pemerintahan",
    "Seksi Pemberdayaan Masyarakat dan Desa",
    "Seksi Ketenteraman dan Ketertiban Umum",
)
KECAMATAN_JOBS = (
    Job("Pengadministrasi Perkantoran", ("", "", "A.Md.")),
    Job("Penata Layanan Operasional", ("S.Sos.", "S.IP.", "")),
    Job("Polisi Pamong Praja", ("", "", "S.H.")),
    Job("Penggerak Swadaya Masyarakat", ("S.Sos.", "S.P."), grade="ahli"),
)
KECAMATAN_DEGREES = ("S.Sos.", "S.IP.", "S.AP.", "S.STP.")

OFFICES: tuple[OfficeSpec, ...] = (
    OfficeSpec(
        "DUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        K.DINAS,
        40,
        (
            "Sekretariat",
            "Bidang Pelayanan Pendaftaran Penduduk",
            "Bidang Pelayanan Pencatatan Sipil",
            "Bidang Pengelolaan Informasi Administrasi Kependudukan",
            "Bidang Pemanfaatan Data dan Inovasi Pelayanan",
        ),
        (
            Job("Administrator Database Kependudukan", ("S.Kom.", "S.Kom.", "S.T."), grade="ahli"),
            Job("Operator Layanan Operasional", ("", "", "A.Md.", "S.Sos.")),
            Job("Operator Layanan Operasional", ("", "A.Md.Kom.")),
            Job("Penata Layanan Operasional", ("S.Sos.", "S.H.", "S.E.")),
            Job("Pengelola Layanan Operasional", ("", "A.Md.")),
            Job("Pranata Komputer", ("S.Kom.", "A.Md.Kom."), grade="ahli"),
        ),
        ("S.Sos.", "S.Kom.", "S.E.", "S.H.", "S.IP."),
    ),
    OfficeSpec(
        "PUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        K.DINAS,
        35,
        (
            "Sekretariat",
            "Bidang Bina Marga",
            "Bidang Sumber Daya Air",
            "Bidang Cipta Karya",
            "Bidang Penataan Ruang",
        ),
        (
            Job("Teknik Jalan dan Jembatan", ("S.T.", "S.T.", "A.Md.T."), grade="ahli"),
            Job("Teknik Pengairan", ("S.T.", "A.Md.T."), grade="ahli"),
            Job("Penata Ruang", ("S.T.", "S.PWK."), grade="ahli"),
            Job("Penata Kelola Bangunan Gedung dan Kawasan Permukiman", ("S.T.",), grade="ahli"),
            Job("Pengawas Lapangan", ("", "A.Md.T.", "S.T.")),
            Job("Juru Ukur", ("", "A.Md.T.")),
        ),
        ("S.T.", "S.T.", "S.T.", "S.E."),
        masters=("M.T.", "M.T.", "M.M."),
    ),
    OfficeSpec(
        "DIKBUD",
        "Dinas Pendidikan dan Kebudayaan",
        K.DINAS,
        26,
        (
            "Sekretariat",
            "Bidang Pembinaan Sekolah Dasar",
            "Bidang Pembinaan Sekolah Menengah Pertama",
            "Bidang Pendidikan Anak Usia Dini dan Pendidikan Nonformal",
            "Bidang Kebudayaan",
        ),
        (
            Job("Pengawas Sekolah", ("S.Pd.", "S.Pd.I."), grade="ahli"),
            Job("Penilik", ("S.Pd.", "S.Sos."), grade="ahli"),
            Job("Pamong Belajar", ("S.Pd.",), grade="ahli"),
            Job("Pamong Budaya", ("S.Sn.", "S.Hum.", "S.Pd."), grade="ahli"),
            Job("Analis Data dan Informasi Pendidikan", ("S.Kom.", "S.Pd.")),
        ),
        ("S.Pd.", "S.Pd.", "S.Sos."),
        masters=("M.Pd.", "M.Pd.", "M.Si."),
    ),
    OfficeSpec(
        "DINKES",
        "Dinas Kesehatan",
        K.DINAS,
        22,
        (
            "Sekretariat",
            "Bidang Kesehatan Masyarakat",
            "Bidang Pencegahan dan Pengendalian Penyakit",
            "Bidang Pelayanan dan Sumber Daya Kesehatan",
        ),
        (
            Job("Epidemiolog Kesehatan", ("S.K.M.",), grade="ahli"),
            Job("Administrator Kesehatan", ("S.K.M.", "S.K.M.", "S.Kep., Ners"), grade="ahli"),
            Job("Nutrisionis", ("S.Gz.", "A.Md.Gz.")),
            Job("Tenaga Sanitasi Lingkungan", ("A.Md.K.L.", "S.K.M.")),
            Job("Penyuluh Kesehatan Masyarakat", ("S.K.M.",), grade="ahli"),
            Job("Apoteker", ("S.Farm., Apt.",), grade="ahli"),
        ),
        ("S.K.M.", "S.Kep., Ners", "S.Farm., Apt."),
        masters=("M.Kes.", "M.Kes.", "M.P.H."),
    ),
    OfficeSpec(
        "RSUD",
        "Rumah Sakit Umum Daerah Patut Patuh Patju",
        K.RSUD,
        22,
        ("Bagian Tata Usaha", "Bidang Pelayanan Medik", "Bidang Keperawatan", "Bidang Penunjang"),
        (
            Job("Dokter", ("dr.",), grade="ahli"),
            Job("Perawat", ("S.Kep., Ners", "A.Md.Kep.", "A.Md.Kep.")),
            Job("Perawat", ("S.Kep., Ners", "A.Md.Kep.")),
            Job("Bidan", ("A.Md.Keb.", "S.Tr.Keb."), gender="P"),
            Job("Apoteker", ("S.Farm., Apt.",), grade="ahli"),
            Job("Perekam Medis", ("A.Md.RMIK",)),
            Job("Pranata Laboratorium Kesehatan", ("A.Md.AK.", "S.Tr.Kes.")),
        ),
        ("S.Kep., Ners", "S.K.M.", "S.E."),
        masters=("M.Kes.", "M.A.R.S."),
        address="Jl. Raya Gerung, Gerung, Lombok Barat",
    ),
    OfficeSpec(
        "DINSOS",
        "Dinas Sosial",
        K.DINAS,
        16,
        (
            "Sekretariat",
            "Bidang Rehabilitasi Sosial",
            "Bidang Perlindungan dan Jaminan Sosial",
            "Bidang Pemberdayaan Sosial",
        ),
        (
            Job("Pekerja Sosial", ("S.Tr.Sos.", "S.Sos."), grade="ahli"),
            Job("Penyuluh Sosial", ("S.Sos.",), grade="ahli"),
            Job("Pengelola Data Kesejahteraan Sosial", ("", "S.Kom.")),
        ),
        ("S.Sos.", "S.Psi.", "S.Tr.Sos."),
    ),
    OfficeSpec(
        "DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        K.DINAS,
        16,
        (
            "Sekretariat",
            "Bidang Pelayanan Perizinan dan Nonperizinan",
            "Bidang Penanaman Modal",
            "Bidang Pengaduan, Kebijakan dan Pelaporan Layanan",
        ),
        (
            Job("Penata Perizinan", ("S.H.", "S.E.", "S.Sos."), grade="ahli"),
            Job("Analis Investasi", ("S.E.",), grade="ahli"),
            Job("Operator Layanan Operasional", ("", "A.Md.")),
        ),
        ("S.E.", "S.H.", "S.Sos."),
    ),
    OfficeSpec(
        "BAPPEDA",
        "Badan Perencanaan Pembangunan Daerah",
        K.BADAN,
        16,
        (
            "Sekretariat",
            "Bidang Perencanaan, Pengendalian dan Evaluasi Pembangunan",
            "Bidang Perekonomian dan Sumber Daya Alam",
            "Bidang Pemerintahan dan Pembangunan Manusia",
            "Bidang Infrastruktur dan Kewilayahan",
        ),
        (
            Job("Perencana", ("S.E.", "S.T.", "S.P.", "S.Si."), grade="ahli"),
            Job("Statistisi", ("S.Stat.", "S.Si."), grade="ahli"),
            Job("Analis Kebijakan", ("S.Sos.", "S.E."), grade="ahli"),
        ),
        ("S.E.", "S.T.", "S.Si.", "S.P."),
        masters=("M.Si.", "M.T.", "M.E."),
    ),
    OfficeSpec(
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        K.BADAN,
        16,
        (
            "Sekretariat",
            "Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian",
            "Bidang Mutasi dan Promosi",
            "Bidang Pengembangan Kompetensi Aparatur",
        ),
        (
            Job("Analis Sumber Daya Manusia Aparatur", ("S.Sos.", "S.AP.", "S.Psi."), grade="ahli"),
            Job("Pranata Sumber Daya Manusia Aparatur", ("", "A.Md.")),
            Job("Pranata Komputer", ("S.Kom.",), grade="ahli"),
        ),
        ("S.Sos.", "S.AP.", "S.Psi.", "S.Kom."),
    ),
    OfficeSpec(
        "BPKAD",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        K.BADAN,
        18,
        ("Sekretariat", "Bidang Anggaran", "Bidang Perbendaharaan", "Bidang Akuntansi", "Bidang Aset"),
        (
            Job("Analis Keuangan Pusat dan Daerah", ("S.E.", "S.Ak."), grade="ahli"),
            Job("Pengelola Barang Milik Daerah", ("", "S.E.", "A.Md.")),
            Job("Pengadministrasi Keuangan", ("", "A.Md.", "S.E.")),
        ),
        ("S.E.", "S.Ak.", "S.E."),
        masters=("M.Ak.", "M.M.", "M.Si."),
    ),
    OfficeSpec(
        "INSPEKTORAT",
        "Inspektorat",
        K.INSPEKTORAT,
        14,
        (
            "Sekretariat",
            "Inspektur Pembantu Wilayah I",
            "Inspektur Pembantu Wilayah II",
            "Inspektur Pembantu Wilayah III",
        ),
        (
            Job("Auditor", ("S.E.", "S.Ak."), grade="ahli"),
            Job("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", ("S.H.", "S.Sos.", "S.T.")),
        ),
        ("S.E.", "S.Ak.", "S.H."),
        masters=("M.Ak.", "M.Si.", "M.H."),
    ),
    OfficeSpec(
        "SETDA",
        "Sekretariat Daerah",
        K.SEKRETARIAT,
        24,
        (
            "Bagian Tata Pemerintahan",
            "Bagian Hukum",
            "Bagian Organisasi",
            "Bagian Protokol dan Komunikasi Pimpinan",
            "Bagian Umum",
        ),
        (
            Job("Analis Hukum", ("S.H.",), grade="ahli"),
            Job("Perancang Peraturan Perundang-undangan", ("S.H.",), grade="ahli"),
            Job("Analis Kelembagaan", ("S.Sos.", "S.AP."), grade="ahli"),
            Job("Pranata Hubungan Masyarakat", ("S.I.Kom.", "S.Sos.")),
            Job("Pengemudi", ("",), gender="L"),
        ),
        ("S.H.", "S.Sos.", "S.IP.", "S.AP."),
        masters=("M.Si.", "M.H.", "M.AP."),
    ),
    OfficeSpec(
        "GERUNG",
        "Kecamatan Gerung",
        K.KECAMATAN,
        10,
        KECAMATAN_UNITS,
        KECAMATAN_JOBS,
        KECAMATAN_DEGREES,
        address="Jl. Raya Gerung, Gerung, Lombok Barat",
        latitude="-8.698000",
        longitude="116.120000",
    ),
    OfficeSpec(
        "LINGSAR",
        "Kecamatan Lingsar",
        K.KECAMATAN,
        8,
        KECAMATAN_UNITS,
        KECAMATAN_JOBS,
        KECAMATAN_DEGREES,
        address="Jl. Raya Lingsar, Lingsar, Lombok Barat",
        latitude="-8.580000",
        longitude="116.170000",
    ),
    OfficeSpec(
        "NARMADA",
        "Kecamatan Narmada",
        K.KECAMATAN,
        9,
        KECAMATAN_UNITS,
        KECAMATAN_JOBS,
        KECAMATAN_DEGREES,
        address="Jl. Raya Narmada, Narmada, Lombok Barat",
        latitude="-8.593000",
        longitude="116.205000",
    ),
    OfficeSpec(
        "BATULAYAR",
        "Kecamatan Batu Layar",
        K.KECAMATAN,
        8,
        KECAMATAN_UNITS,
        KECAMATAN_JOBS,
        KECAMATAN_DEGREES,
        address="Jl. Raya Senggigi, Batu Layar, Lombok Barat",
        latitude="-8.533000",
        longitude="116.071000",
    ),
)

HEAD_TITLES: dict[str, str] = {
    K.DINAS: "Kepala Dinas",
    K.BADAN: "Kepala Badan",
    K.INSPEKTORAT: "Inspektur",
    K.SEKRETARIAT: "Sekretaris Daerah",
    K.KECAMATAN: "Camat",
    K.RSUD: "Direktur",
}


def _unit_head_title(unit: str) -> str:
    """The title of whoever leads `unit`: Sekretaris, Kepala Bidang …, Inspektur Pembantu …"""
    if unit == "Sekretariat":
        return "Sekretaris"
    if unit == "Sekretariat Kecamatan":
        return "Sekretaris Camat"
    if unit.startswith("Inspektur Pembantu"):
        return unit
    return f"Kepala {unit}"


# --- Names as people in Lombok are named -------------------------------------------------------------

T = Employee.Track

MUSLIM_MALE_FIRST = (
    "Muhammad", "Ahmad", "Hairul", "Zainal", "Fathul", "Saiful", "Hamdan", "Mahsun", "Junaidi", "Rusdi",
    "Suhardi", "Hasanudin", "Imam", "Khairul", "Nasrullah", "Sapruddin", "Ilham", "Rizal", "Taufik", "Hirzi",
    "Fauzan", "Azhar", "Rosidi", "Supardi", "Hamzan", "Amir", "Jumadil", "Mustiadi", "Hadi", "Zulkifli",
)  # fmt: skip
MUSLIM_MALE_LAST = (
    "Saleh", "Anwar", "Zaini", "Arifin", "Rahman", "Hidayat", "Fahmi", "Mujahid", "Hamdi", "Sahnan",
    "Kurniawan", "Ihsan", "Mansur", "Syukri", "Azmi", "Fikri", "Marzuki", "Rasyid", "Huzaini", "Wirawan",
    "Mukhlis", "Yasin", "Jayadi", "Ridwan", "Hakim", "Hamzani", "Sabarudin", "Mahmud",
)  # fmt: skip
ABDUL = ("Hakim", "Rahman", "Majid", "Aziz", "Gani", "Muis", "Latif", "Karim", "Halim", "Wahab")
MUSLIM_FEMALE = (
    "Siti Aminah", "Siti Hajar", "Siti Khadijah", "Siti Maryam", "Siti Rohani", "Siti Fatimah",
    "Siti Zaenab", "Nurul Hidayati", "Nurul Aini", "Nurul Jannah", "Nurul Hikmah", "Husnul Khotimah",
    "Rabiatul Adawiyah", "Hikmatul Aini", "Nurhidayah", "Maemunah", "Fitriani", "Masitah", "Zuhriati",
    "Sumiati", "Nurhasanah", "Rosmaliana", "Ernawati", "Yuliana", "Mardiani", "Suhaili", "Nurjannah",
    "Rahmawati", "Hartini", "Muslimah", "Indriani", "Eva Nurcahya Ningsih", "Mariam", "Saodah",
)  # fmt: skip
# Most women's names are two given names; these combine well.
MUSLIM_FEMALE_FIRST = (
    "Siti", "Nurul", "Sri", "Nur", "Eka", "Dewi", "Lia", "Rina", "Lilik", "Wiwin", "Mega", "Yuli", "Fitri",
    "Rini", "Laili", "Ika", "Ulfa", "Winda", "Desi", "Ayu",
)  # fmt: skip
MUSLIM_FEMALE_LAST = (
    "Hidayati", "Aini", "Fitriani", "Wahyuni", "Hartati", "Mulyati", "Rahmawati", "Yuliani", "Anggraini",
    "Marlina", "Apriani", "Susanti", "Suryani", "Haryati", "Safitri", "Hayati", "Maulida", "Zuhriati",
    "Mardiani", "Handayani", "Kartini", "Novita", "Lestari", "Wulandari", "Herawati", "Purnamasari",
    "Julianti", "Septiani", "Ningsih", "Sahara",
)  # fmt: skip

BALINESE_MALE_PREFIX = (
    "I Wayan", "I Made", "I Nyoman", "I Ketut", "I Putu", "I Gede", "I Kadek", "I Komang",
    "I Wayan", "I Made", "I Nyoman", "I Ketut", "Ida Bagus", "I Gusti Ngurah", "Anak Agung Gede",
)  # fmt: skip
BALINESE_FEMALE_PREFIX = (
    "Ni Luh", "Ni Made", "Ni Putu", "Ni Wayan", "Ni Nyoman", "Ni Ketut", "Ni Kadek", "Ni Komang",
    "Ni Luh", "Ni Made", "Ida Ayu", "I Gusti Ayu", "Anak Agung Istri",
)  # fmt: skip
BALINESE_MALE = (
    "Sudarsana", "Suartana", "Adnyana", "Sukerta", "Wirawan", "Arsana", "Mertayasa", "Budiarta", "Sutama",
    "Sujana", "Widiantara", "Darmawan", "Suparta", "Sudiarta", "Astawa", "Karyasa", "Mahardika", "Parwata",
)  # fmt: skip
BALINESE_FEMALE = (
    "Ariani", "Sukarmini", "Suartini", "Sri Astuti", "Ayu Kartika", "Widiastuti", "Sutarmi", "Ratnadi",
    "Eka Pratiwi", "Dewi Lestari", "Sriasih", "Suciati", "Murniasih", "Yuliantari", "Ari Wulandari", "Mirah",
)  # fmt: skip

JAVANESE_MALE_FIRST = ("Bambang", "Agus", "Eko", "Joko", "Budi", "Heru", "Slamet", "Teguh", "Dwi", "Wahyu")
JAVANESE_MALE_LAST = (
    "Sutrisno", "Setiawan", "Prasetyo", "Santoso", "Purnomo", "Riyadi", "Wibowo", "Cahyono", "Susanto",
    "Nugroho", "Suprapto", "Hartono",
)  # fmt: skip
JAVANESE_FEMALE_FIRST = ("Sri", "Dwi", "Endang", "Tri", "Yuni", "Retno", "Rini", "Dyah", "Tutik")
JAVANESE_FEMALE_LAST = (
    "Rahayu", "Wahyuni", "Susilowati", "Handayani", "Astuti", "Wulandari", "Lestari", "Kusumawati",
    "Suryaningsih", "Purwaningsih",
)  # fmt: skip

# Bima (Mbojo) names often carry the father's name after an initial: "Ruslan H. Ahmad".
BIMA_MALE = (
    "Syarifuddin", "Jaharuddin", "Abdul Muis", "Ruslan", "Fahrurrozi", "Muhammad Nur", "Syamsuddin",
    "Nurdin", "Ikhsan", "Julkarnain", "Mukhtar", "Sudirman",
)  # fmt: skip
BIMA_FEMALE = (
    "Nurhayati",
    "Siti Maryam",
    "Rostina",
    "Nurjanah",
    "Hadijah",
    "Fatmawati",
    "Rahmatia",
    "Salmah",
)
BIMA_FATHER = ("H. Ahmad", "M. Saleh", "H. Abdullah", "M. Yasin", "A. Gani", "H. Yusuf", "Ishaka", "Hasan")

CHINESE_MALE = (
    "Hendra Wijaya", "Ferry Tanujaya", "Steven Santoso", "Kevin Halim", "Andreas Gunawan", "Budi Hartanto",
    "Wilson Salim", "Rudy Kurniawan", "Herman Susilo",
)  # fmt: skip
CHINESE_FEMALE = (
    "Linda Halim", "Vivi Kusuma", "Yenny Wijaya", "Lisa Tanuwijaya", "Melinda Susanto", "Lily Hartono",
    "Cynthia Salim", "Mei Ling Tjandra",
)  # fmt: skip

# Christians from Flores and Timor (mostly Catholic), Rote, Batak and Minahasa (mostly Protestant).
CHRISTIAN_MALE = (
    ("Yohanes Bosco Ndona", T.KATOLIK), ("Fransiskus Xaverius Lake", T.KATOLIK), ("Yosef Tanggu", T.KATOLIK),
    ("Petrus Kanisius Bere", T.KATOLIK), ("Stefanus Mau", T.KATOLIK), ("Yakobus Seran", T.KATOLIK),
    ("Markus Ndun", T.KRISTEN), ("Paulus Tefa", T.KRISTEN), ("Robert Simanjuntak", T.KRISTEN),
    ("Daniel Tumbelaka", T.KRISTEN), ("Yonathan Pello", T.KRISTEN),
)  # fmt: skip
CHRISTIAN_FEMALE = (
    ("Maria Goreti Ndoen", T.KATOLIK), ("Maria Magdalena Dhey", T.KATOLIK), ("Theresia Nahak", T.KATOLIK),
    ("Elisabeth Bria", T.KATOLIK), ("Agustina Lende", T.KRISTEN), ("Ester Manurung", T.KRISTEN),
    ("Debora Sinaga", T.KRISTEN), ("Yuliana Moi", T.KRISTEN), ("Grace Sumampouw", T.KRISTEN),
)  # fmt: skip

# Out of 100 staff, roughly: Sasak, Balinese, Javanese, Bima, Chinese-Indonesian, Christian (NTT, Batak...).
FAMILY_WEIGHTS = {"sasak": 64, "bali": 15, "jawa": 8, "bima": 6, "tionghoa": 3, "kristen": 4}


@dataclass(frozen=True)
class Person:
    name: str  # without titles
    gender: str
    track: str
    family: str


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _muslim_male(rng: random.Random) -> str:
    first = rng.choice(MUSLIM_MALE_FIRST)
    if first in ("Muhammad", "Ahmad") and rng.random() < 0.3:
        return f"{first} Abdul {rng.choice(ABDUL)}"
    if rng.random() < 0.12:
        return f"Abdul {rng.choice(ABDUL)}"
    if first not in ("Muhammad", "Ahmad") and rng.random() < 0.15:
        return first
    return f"{first} {rng.choice(MUSLIM_MALE_LAST)}"


def _person(rng: random.Random, gender: str = "") -> Person:
    family = _weighted(rng, FAMILY_WEIGHTS)
    gender = gender or rng.choice("LP")
    male = gender == "L"
    track: str = T.ISLAM
    if family == "sasak":
        if male:
            name = _muslim_male(rng)
            name = f"Lalu {name}" if rng.random() < 0.3 else name
        else:
            if rng.random() < 0.35:
                name = rng.choice(MUSLIM_FEMALE)
            else:
                name = f"{rng.choice(MUSLIM_FEMALE_FIRST)} {rng.choice(MUSLIM_FEMALE_LAST)}"
            name = f"Baiq {name}" if rng.random() < 0.3 else name
    elif family == "bali":
        prefix = rng.choice(BALINESE_MALE_PREFIX if male else BALINESE_FEMALE_PREFIX)
        given = rng.choice(BALINESE_MALE if male else BALINESE_FEMALE)
        name = f"{prefix} {given}"
        track = T.HINDU if rng.random() < 0.96 else T.KRISTEN
    elif family == "jawa":
        first, last = (
            (JAVANESE_MALE_FIRST, JAVANESE_MALE_LAST)
            if male
            else (JAVANESE_FEMALE_FIRST, JAVANESE_FEMALE_LAST)
        )
        name = f"{rng.choice(first)} {rng.choice(last)}"
        roll = rng.random()
        track = T.ISLAM if roll < 0.88 else T.KATOLIK if roll < 0.94 else T.KRISTEN
    elif family == "bima":
        name = rng.choice(BIMA_MALE if male else BIMA_FEMALE)
        if rng.random() < 0.5:
            name = f"{name} {rng.choice(BIMA_FATHER)}"
    elif family == "tionghoa":
        name = rng.choice(CHINESE_MALE if male else CHINESE_FEMALE)
        track = _weighted(rng, {T.BUDDHA: 45, T.KRISTEN: 25, T.KATOLIK: 20, T.KONGHUCU: 10})
    else:
        name, track = rng.choice(CHRISTIAN_MALE if male else CHRISTIAN_FEMALE)
    return Person(name=name, gender=gender, track=str(track), family=family)


def _titled(
    rng: random.Random, person: Person, *, birth: dt.date, degrees: Iterable[str], masters: Iterable[str] = ()
) -> str:
    """The name as it is written on a staff list: "Drs. H. Lalu Muhammad Zaini, M.Si."."""
    prefix: list[str] = []
    suffix: list[str] = [d for d in degrees if d]
    if "dr." in suffix:
        suffix.remove("dr.")
        prefix.append("dr.")
    old = birth.year < 1971
    if old and "S.T." in suffix and rng.random() < 0.7:
        suffix.remove("S.T.")
        prefix.append("Ir.")
    if old and "S.Sos." in suffix and rng.random() < 0.7:
        suffix.remove("S.Sos.")
        prefix.append("Drs." if person.gender == "L" else "Dra.")
    suffix += [m for m in masters if m]
    # Older Muslim officials who made the pilgrimage are addressed as Haji (H.) or Hajjah (Hj.).
    if person.track == T.ISLAM and birth.year < 1980 and person.family != "bima" and rng.random() < 0.3:
        prefix.append("H." if person.gender == "L" else "Hj.")
    name = " ".join([*prefix, person.name])
    return f"{name}, {', '.join(suffix)}" if suffix else name


# --- The organisation: the plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedEmployee:
    office: str
    unit: str | None
    nip: str
    person: Person
    name: str
    position: str
    status: str
    phone: str
    email: str
    is_active: bool
    login: str | None = None


PHONE_PREFIXES = (
    "0812", "0813", "0819", "0821", "0822", "0823", "0852", "0853", "0857", "0859", "0877", "0878", "0818",
    "0817", "0896", "0838", "0819", "0812",
)  # fmt: skip
EMAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.co.id", "yahoo.com")

# Logins linked to a person in an office: username → (office code, which person).
LINKED_LOGINS = {
    "koordinator.dukcapil": ("DUKCAPIL", "Sekretaris"),
    "koordinator.pupr": ("PUPR", "Sekretaris"),
    "staf.dukcapil": ("DUKCAPIL", "Bidang Pelayanan Pendaftaran Penduduk"),
}
PPPK_SHARE = 0.15
INACTIVE = 8


def _leaders(spec: OfficeSpec) -> list[tuple[str, str | None]]:
    """The structural positions of an office, head first: (title, unit or None)."""
    leaders: list[tuple[str, str | None]] = [(HEAD_TITLES[spec.kind], None)]
    if spec.kind == K.SEKRETARIAT:
        leaders.append(("Asisten Pemerintahan dan Kesejahteraan Rakyat", None))
    leaders += [(_unit_head_title(unit), unit) for unit in spec.units]
    if spec.units[0] == "Sekretariat":
        leaders.append(("Kepala Subbagian Umum dan Kepegawaian", "Sekretariat"))
    return leaders


def _ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text.lower())


def _birth(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    start = dt.date(first_year, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(last_year, 12, 31) - start).days + 1))


def _name_key(name: str) -> str:
    """Lalu and Baiq are titles of Sasak nobility: "Baiq Muslimah" and "Muslimah" would be namesakes."""
    return re.sub(r"^(Lalu|Baiq) ", "", name)


@functools.cache
def org_plan() -> tuple[PlannedEmployee, ...]:
    """Every demo employee, computed from the seed alone (the same list on every machine, every day)."""
    rng = random.Random(f"{SEED}:org.employees")  # nosec B311  # demo data, reproducible on purpose
    nips: set[str] = set()
    names: set[str] = set()
    phones: set[str] = set()
    emails: set[str] = set()

    def person(gender: str = "") -> Person:
        for _attempt in range(50):
            candidate = _person(rng, gender)
            if _name_key(candidate.name) not in names:
                break
        names.add(_name_key(candidate.name))
        return candidate  # after 50 tries, a namesake, as real offices have

    def pns_nip(birth: dt.date, gender: str) -> str:
        while True:
            age = rng.randint(22, min(35, REFERENCE_DATE.year - 1 - birth.year))
            tmt = dt.date(birth.year + age, rng.choice((1, 1, 3, 3, 4, 12)), 1)
            nip = nip_compose(birth=birth, tmt=tmt, gender=gender, serial=rng.randint(1, 999))
            if nip not in nips:
                nips.add(nip)
                return nip

    def pppk_nip(birth: dt.date, gender: str) -> str:
        while True:
            year = rng.randint(2019, REFERENCE_DATE.year - 1)
            nip = f"{birth:%Y%m%d}{year}21{'1' if gender == 'L' else '2'}{rng.randint(1, 999):03d}"
            if nip not in nips:
                nips.add(nip)
                return nip

    def phone() -> str:
        while True:
            number = rng.choice(PHONE_PREFIXES) + "".join(rng.choices("0123456789", k=rng.choice((7, 8, 8))))
            if number not in phones:
                phones.add(number)
                return number

    def email(p: Person) -> str:
        words = [_ascii_slug(w) for w in p.name.split() if w not in ("I", "Ni", "Lalu", "Baiq")]
        words = [w for w in words if w] or ["pegawai"]
        local = f"{words[0]}.{words[-1]}" if len(words) > 1 else words[0]
        if rng.random() < 0.5:
            local = f"{local.replace('.', '')}{rng.randint(70, 99)}"
        domain = rng.choice(EMAIL_DOMAINS)
        candidate = f"{local}@{domain}"
        while candidate in emails:
            candidate = f"{local}{rng.randint(1, 9)}@{domain}"
        emails.add(candidate)
        return candidate

    def graded(job: Job, birth: dt.date) -> str:
        if job.grade != "ahli":
            return job.title
        age = REFERENCE_DATE.year - birth.year
        level = "Ahli Pertama" if age < 36 else "Ahli Muda" if age < 48 else "Ahli Madya"
        return f"{job.title} {level}"

    leaders = {spec.code: _leaders(spec) for spec in OFFICES}
    total = sum(spec.size for spec in OFFICES)
    # Leaders are PNS; PPPK are drawn from the other staff, as many as make PPPK_SHARE of everyone.
    staff_places = [(spec.code, i) for spec in OFFICES for i in range(len(leaders[spec.code]), spec.size)]
    pppk = set(rng.sample(staff_places, round(PPPK_SHARE * total)))

    rows: list[dict[str, Any]] = []
    for spec in OFFICES:
        # Trade staff work in the bidang; the secretariat (its first unit, if any) is administrative.
        trade_units = (
            spec.units[1:] if spec.units[0].startswith(("Sekretariat", "Bagian Tata")) else spec.units
        )
        for index in range(spec.size):
            row: dict[str, Any] = {"office": spec.code, "leading": index < len(leaders[spec.code])}
            if row["leading"]:
                p = person()
                position, unit = leaders[spec.code][index]
                birth = _birth(rng, 1966, 1975 if index == 0 else 1984)
                degrees: tuple[str, ...] = (rng.choice(spec.degrees),)
                if spec.kind == K.RSUD and index == 0:
                    degrees = ("dr.",)
                masters = (rng.choice(spec.masters),) if index == 0 or rng.random() < 0.6 else ()
                status = Employee.Status.PNS
            else:
                administrative = rng.random() < 0.35
                job = rng.choice(ADMINISTRATIVE_JOBS if administrative else spec.jobs)
                p = person(job.gender)
                unit = rng.choice(spec.units if administrative else trade_units)
                status = Employee.Status.PPPK if (spec.code, index) in pppk else Employee.Status.PNS
                # PPPK were mostly contract staff for years before the scheme began in 2019; none was
                # born before 1975.
                birth = _birth(rng, 1975, 1999) if status == Employee.Status.PPPK else _birth(rng, 1966, 2000)
                position = graded(job, birth)
                degrees = (rng.choice(job.degrees or spec.degrees),)
                masters = (rng.choice(spec.masters),) if job.grade and rng.random() < 0.12 else ()
            row |= {
                "person": p,
                "unit": unit,
                "birth": birth,
                "position": position,
                "status": status,
                "name": _titled(rng, p, birth=birth, degrees=degrees, masters=masters),
            }
            rows.append(row)

    # Linked logins take the first person who fits, so they stay put when the lists above grow.
    for username, (office, where) in LINKED_LOGINS.items():
        for row in rows:
            if row["office"] != office or "login" in row:
                continue
            if (
                (row["position"] == where)
                if where == "Sekretaris"
                else (row["unit"] == where and not row["leading"])
            ):
                row["login"] = username
                break
        else:  # pragma: no cover - the office lists above guarantee a fit
            raise RuntimeError(f"No demo employee fits {username}")

    staff = [i for i, row in enumerate(rows) if not row["leading"] and "login" not in row]
    inactive = set(rng.sample(staff, INACTIVE))

    plan: list[PlannedEmployee] = []
    for i, row in enumerate(rows):
        p, birth, status = row["person"], row["birth"], row["status"]
        plan.append(
            PlannedEmployee(
                office=row["office"],
                unit=row["unit"],
                nip=pppk_nip(birth, p.gender) if status == Employee.Status.PPPK else pns_nip(birth, p.gender),
                person=p,
                name=row["name"],
                position=row["position"],
                status=str(status),
                phone=phone() if rng.random() < 0.9 else "",
                email=email(p) if rng.random() < 0.4 else "",
                is_active=i not in inactive,
                login=row.get("login"),
            )
        )
    return tuple(plan)


# --- The organisation: the steps ---------------------------------------------------------------------


@demo_step("org.offices")
def offices_step(ctx: DemoContext) -> None:
    """The offices (OPD) and their units (bidang, seksi, bagian)."""
    government = ctx.government
    existing = set(Office.objects.filter(government=government).values_list("code", flat=True))
    new_offices = [
        Office(
            government=government,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            address=spec.address,
            latitude=Decimal(spec.latitude),
            longitude=Decimal(spec.longitude),
        )
        for spec in OFFICES
        if spec.code not in existing
    ]
    for office in new_offices:
        office.full_clean(exclude=["government"], validate_unique=False, validate_constraints=False)
    Office.objects.bulk_create(new_offices)

    offices = {o.code: o for o in Office.objects.filter(government=government)}
    existing_units = set(
        Unit.objects.filter(office__government=government).values_list("office__code", "name")
    )
    new_units = [
        Unit(office=offices[spec.code], name=name)
        for spec in OFFICES
        for name in spec.units
        if (spec.code, name) not in existing_units
    ]
    Unit.objects.bulk_create(new_units)
    ctx.created += len(new_offices) + len(new_units)
    ctx.summary.counts[gettext_noop("Perangkat daerah")] = len(offices)
    ctx.summary.counts[gettext_noop("Unit kerja")] = Unit.objects.filter(
        office__government=government
    ).count()
    ctx.say(
        _("Perangkat daerah: {offices} baru; unit kerja: {units} baru.").format(
            offices=len(new_offices), units=len(new_units)
        )
    )


@demo_step("org.employees")
def employees_step(ctx: DemoContext) -> None:
    """About 300 staff with valid NIPs, spread over the offices."""
    government = ctx.government
    offices = {o.code: o for o in Office.objects.filter(government=government)}
    units = {(u.office_id, u.name): u for u in Unit.objects.filter(office__government=government)}
    existing = set(Employee.objects.filter(government=government).values_list("nip", flat=True))
    new_employees: list[Employee] = []
    for planned in org_plan():
        if planned.nip in existing or planned.office not in offices:
            continue
        office = offices[planned.office]
        employee = Employee(
            government=government,
            office=office,
            unit=units.get((office.pk, planned.unit)) if planned.unit else None,
            nip=planned.nip,
            name=planned.name,
            position=planned.position,
            gender=planned.person.gender,
            status=planned.status,
            phone=planned.phone,
            email=planned.email,
            track=planned.person.track,
            is_active=planned.is_active,
        )
        # Field checks only: the foreign keys and constraints are the database's to check, in bulk.
        employee.full_clean(
            exclude=["government", "office", "unit", "user"],
            validate_unique=False,
            validate_constraints=False,
        )
        new_employees.append(employee)
    Employee.objects.bulk_create(new_employees)
    ctx.created += len(new_employees)
    employees = Employee.objects.filter(government=government)
    ctx.summary.counts[gettext_noop("Pegawai")] = employees.count()
    ctx.summary.counts[gettext_noop("Pegawai aktif")] = employees.filter(is_active=True).count()
    ctx.summary.counts[gettext_noop("PPPK")] = employees.filter(status=Employee.Status.PPPK).count()
    ctx.say(_("Pegawai: {count} baru.").format(count=len(new_employees)))


@dataclass(frozen=True)
class LoginSpec:
    username: str
    role: str  # as shown in the command's table, translated there
    first_name: str = ""
    last_name: str = ""
    roles: tuple[tuple[str, str | None], ...] = ()  # (Role.Kind, office code or None)
    is_staff: bool = False


LOGINS = (
    LoginSpec(
        "admin", gettext_noop("Admin program"), "Admin", "Program", ((Role.Kind.ADMIN, None),), is_staff=True
    ),
    LoginSpec(
        "pimpinan",
        gettext_noop("Pimpinan (hanya baca)"),
        "Pimpinan",
        "Daerah",
        ((Role.Kind.LEADERSHIP, None),),
    ),
    LoginSpec(
        "koordinator.dukcapil",
        gettext_noop("Koordinator DUKCAPIL"),
        roles=((Role.Kind.COORDINATOR, "DUKCAPIL"),),
    ),
    LoginSpec("koordinator.pupr", gettext_noop("Koordinator PUPR"), roles=((Role.Kind.COORDINATOR, "PUPR"),)),
    LoginSpec(
        "fasilitator",
        gettext_noop("Fasilitator DUKCAPIL dan PUPR"),
        "Muhammad",
        "Ridwan",
        ((Role.Kind.FACILITATOR, "DUKCAPIL"), (Role.Kind.FACILITATOR, "PUPR")),
    ),
    LoginSpec("staf.dukcapil", gettext_noop("Staf DUKCAPIL")),
)

# What the programme admin may do in Django's admin (back office). No rights on users: whoever may change
# a user may make them a superuser.
ADMIN_PERMISSIONS = (
    "view_government",
    *(
        f"{action}_{model}"
        for model in ("office", "unit", "employee")
        for action in ("view", "add", "change")
    ),
    *(f"{action}_role" for action in ("view", "add", "change", "delete")),
    "view_auditentry",
)


def _split_name(name: str) -> tuple[str, str]:
    words = name.split()
    return (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (name, "")


@demo_step("org.logins")
def logins_step(ctx: DemoContext) -> None:
    """One login for each role, linked to a person in the office where that role is staff too."""
    government = ctx.government
    offices = {o.code: o for o in Office.objects.filter(government=government)}
    linked = {p.login: p for p in org_plan() if p.login}
    employees = {
        e.nip: e
        for e in Employee.objects.filter(government=government, nip__in=[p.nip for p in linked.values()])
    }
    users = {u.username: u for u in User.objects.filter(username__in=[spec.username for spec in LOGINS])}

    # One hash for every demo login: the password is the same and public, and hashing it six times with
    # the production hasher would cost seconds on every `make run`.
    password = make_password(settings.DEMO_PASSWORD) if len(users) < len(LOGINS) else ""
    new_users: list[User] = []
    for spec in LOGINS:
        if spec.username in users:
            continue
        first, last = spec.first_name, spec.last_name
        if spec.username in linked:
            first, last = _split_name(linked[spec.username].person.name)
        user = User(
            username=spec.username,
            first_name=first,
            last_name=last,
            password=password,
            is_demo=True,
            is_staff=spec.is_staff,
        )
        user.full_clean(validate_unique=False, validate_constraints=False)
        new_users.append(user)
    User.objects.bulk_create(new_users)
    ctx.created += len(new_users)
    users = {u.username: u for u in User.objects.filter(username__in=[spec.username for spec in LOGINS])}

    for spec in LOGINS:
        user = users[spec.username]
        if not user.is_demo:
            # Somebody's real account has this name: give it nothing.
            ctx.say(
                _("Pengguna {username} sudah ada dan bukan akun demo; dilewati.").format(
                    username=spec.username
                )
            )
            continue
        for kind, code in spec.roles:
            if code is not None and code not in offices:
                continue
            _role, created = Role.objects.get_or_create(
                user=user, kind=kind, government=government, office=offices[code] if code else None
            )
            ctx.created += created
        planned = linked.get(spec.username)
        employee = employees.get(planned.nip) if planned else None
        if (
            employee is not None
            and employee.user_id is None
            and not Employee.objects.filter(user=user).exists()
        ):
            Employee.objects.filter(pk=employee.pk).update(user=user)
            ctx.created += 1
        ctx.summary.logins.append(DemoLogin(spec.username, spec.role, user.get_full_name()))

    admin = users["admin"]
    if admin.is_demo:
        wanted = Permission.objects.filter(content_type__app_label="org", codename__in=ADMIN_PERMISSIONS)
        missing = set(wanted.values_list("pk", flat=True)) - set(
            admin.user_permissions.values_list("pk", flat=True)
        )
        admin.user_permissions.add(*missing)
        ctx.created += len(missing)
    ctx.say(_("Akun demo: {count} baru.").format(count=len(new_users)))
