"""Synthetic data at scale: a realistic, reproducible history for benchmarks and dashboards.

`generate(preset=…)` fills a database with governments, offices, staff with valid NIPs, a staggered
rollout, a year of gatherings with their agenda and kultum roster, attendance marks with approved leave,
tadarus plans, Friday evaluation rounds, public-service records, SKM answers and complaints — and ends by
building the maintained aggregates with `rollup_rebuild`. `perjumpaan generate` is the command.

Presets:

- `office`: one government, one office (a Disdukcapil of 120 staff serving ~350 citizens a day);
- `regency`: one government, 40 offices, 9,000 staff (about 2 million attendance marks in 52 weeks);
- `province`: ten governments (the regencies and cities of NTB), each like `regency`.

Reproducible: every random draw comes from a generator seeded by `--seed` and the name of what it draws
for, and dates are counted back from `until` (default: the last Friday before today; the command prints
the exact line to run again). The same preset, weeks, seed and until give the same rows.

The history: `weeks` weeks of the programme ending on `until`, and the quarter before them (13 weeks) of
public service only — the "before" that an impact analysis compares with. The pilot offices start in
week 1, the other waves a few weeks apart. After an office joins, its waiting times shorten a little and
its SKM answers improve a little, gradually: a modest effect for the impact analysis to find.

Rows are written in batches with explicit primary keys (SQLite: `executemany`, PostgreSQL: `COPY`), not
through model instances, and the sequences are reset afterwards. Nothing here is used by the running
system; it exists for `perjumpaan generate`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model

from perjumpaan.org.models import Employee, Government, Office, Role, Unit, User
from perjumpaan.org.nip import nip_compose

Progress = Callable[[str], None]

GENERATED_SLUG_PREFIX = "sim"
BASELINE_WEEKS = 13
UTC = dt.UTC


class GenerateError(RuntimeError):
    """The database refuses the run (it has data already); the message says what to do."""


# --- What a regency looks like ----------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str
    share: float  # of the office's daily volume
    minutes: float  # median service time


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name: str
    kind: str
    weight: int  # relative size (staff)
    wave: int  # 1 = pilot
    daily: int = 0  # citizens served on an ordinary day; 0 = no counter
    wait: float = 20.0  # median waiting time, minutes, on an ordinary day
    services: tuple[ServiceSpec, ...] = ()


S = ServiceSpec
KECAMATAN_SERVICES = (
    S("SKU", "Surat Keterangan Usaha", 0.35, 8),
    S("LEGALISASI", "Legalisasi Dokumen", 0.30, 4),
    S("REKOM", "Surat Rekomendasi/Pengantar", 0.35, 6),
)
OFFICES: tuple[OfficeSpec, ...] = (
    OfficeSpec(
        "DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas", 120, 1, 350, 45,
        (
            S("KTP-EL", "KTP-el", 0.34, 9), S("KK", "Kartu Keluarga", 0.26, 7),
            S("AKTA-LAHIR", "Akta Kelahiran", 0.18, 8), S("AKTA-MATI", "Akta Kematian", 0.05, 8),
            S("PINDAH", "Surat Pindah", 0.09, 10), S("KIA", "Kartu Identitas Anak", 0.08, 5),
        ),
    ),
    OfficeSpec("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas", 160, 1),
    OfficeSpec("DIKBUD", "Dinas Pendidikan dan Kebudayaan", "dinas", 2600, 2),
    OfficeSpec("DINKES", "Dinas Kesehatan", "dinas", 1500, 2),
    OfficeSpec(
        "RSUD", "Rumah Sakit Umum Daerah Tripat", "rsud", 750, 3, 250, 55,
        (S("DAFTAR-RJ", "Pendaftaran Rawat Jalan", 0.7, 6), S("FARMASI", "Layanan Farmasi", 0.3, 12)),
    ),
    OfficeSpec(
        "DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas", 70, 3, 60, 25,
        (
            S("PBG", "Persetujuan Bangunan Gedung", 0.25, 20), S("NIB", "Nomor Induk Berusaha", 0.45, 12),
            S("SIP", "Surat Izin Praktik", 0.30, 15),
        ),
    ),
    OfficeSpec(
        "DINSOS", "Dinas Sosial", "dinas", 80, 3, 40, 20,
        (S("DTKS", "Pendaftaran DTKS", 0.6, 12), S("SKTM", "Surat Keterangan Tidak Mampu", 0.4, 8)),
    ),
    OfficeSpec(
        "DISNAKER", "Dinas Tenaga Kerja", "dinas", 60, 3, 30, 15,
        (S("AK1", "Kartu Pencari Kerja (AK/1)", 0.8, 8), S("PHI", "Pengaduan Hubungan Industrial", 0.2, 25)),
    ),
    OfficeSpec(
        "BAPENDA", "Badan Pendapatan Daerah", "badan", 90, 4, 50, 15,
        (S("PBB", "Pajak Bumi dan Bangunan", 0.7, 6), S("BPHTB", "BPHTB", 0.3, 14)),
    ),
    OfficeSpec("SETDA", "Sekretariat Daerah", "sekretariat", 250, 4),
    OfficeSpec("SETWAN", "Sekretariat DPRD", "sekretariat", 90, 4),
    OfficeSpec("INSPEKTORAT", "Inspektorat", "inspektorat", 70, 4),
    OfficeSpec("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan", 60, 4),
    OfficeSpec("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "badan", 70, 4),
    OfficeSpec("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan", 110, 4),
    OfficeSpec("BPBD", "Badan Penanggulangan Bencana Daerah", "badan", 60, 4),
    OfficeSpec("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "badan", 40, 4),
    OfficeSpec("PERKIM", "Dinas Perumahan dan Kawasan Permukiman", "dinas", 70, 4),
    OfficeSpec("DP2KBP3A", "Dinas Pengendalian Penduduk, KB, Pemberdayaan Perempuan dan PA", "dinas", 120, 4),
    OfficeSpec("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas", 60, 4),
    OfficeSpec("DISHUB", "Dinas Perhubungan", "dinas", 110, 4),
    OfficeSpec("DLH", "Dinas Lingkungan Hidup", "dinas", 150, 4),
    OfficeSpec("DISPAR", "Dinas Pariwisata", "dinas", 60, 4),
    OfficeSpec("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "dinas", 70, 4),
    OfficeSpec("DISKOPUKM", "Dinas Koperasi dan UKM", "dinas", 50, 4),
    OfficeSpec("DISTAN", "Dinas Pertanian", "dinas", 250, 4),
    OfficeSpec("DISLUTKAN", "Dinas Kelautan dan Perikanan", "dinas", 90, 4),
    OfficeSpec("DISPORA", "Dinas Pemuda dan Olahraga", "dinas", 50, 4),
    OfficeSpec("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "dinas", 60, 4),
    OfficeSpec("DISPERPUSIP", "Dinas Perpustakaan dan Kearsipan", "dinas", 50, 4),
    OfficeSpec("SATPOLPP", "Satuan Polisi Pamong Praja", "dinas", 200, 4),
    OfficeSpec("DKP", "Dinas Ketahanan Pangan", "dinas", 50, 4),
    *(
        OfficeSpec(code, f"Kecamatan {name}", "kecamatan", 40, 3 if i < 4 else 4, 20, 12, KECAMATAN_SERVICES)
        for i, (code, name) in enumerate(
            (
                ("GERUNG", "Gerung"), ("KEDIRI", "Kediri"), ("KURIPAN", "Kuripan"), ("LABUAPI", "Labuapi"),
                ("LEMBAR", "Lembar"), ("LINGSAR", "Lingsar"), ("NARMADA", "Narmada"),
                ("BATULAYAR", "Batu Layar"),
            )
        )
    ),
)  # fmt: skip
# Weeks after the first week of the programme at which each wave joins.
WAVE_START_WEEK = {1: 0, 2: 2, 3: 6, 4: 10}
WAVE_NAMES = {
    1: "Gelombang 1 (rintisan)",
    2: "Gelombang 2: pendidikan dan kesehatan",
    3: "Gelombang 3: layanan publik",
    4: "Gelombang 4: seluruh perangkat daerah",
}
REGENCIES = (
    ("Lombok Barat", "Kabupaten"), ("Lombok Tengah", "Kabupaten"), ("Lombok Timur", "Kabupaten"),
    ("Lombok Utara", "Kabupaten"), ("Sumbawa Barat", "Kabupaten"), ("Sumbawa", "Kabupaten"),
    ("Dompu", "Kabupaten"), ("Bima", "Kabupaten"), ("Mataram", "Kota"), ("Bima", "Kota"),
)  # fmt: skip


@dataclass(frozen=True)
class Preset:
    governments: int
    offices: tuple[str, ...] | None  # None: all of OFFICES
    staff: int | None  # None: each office its own weight


PRESETS: dict[str, Preset] = {
    "office": Preset(governments=1, offices=("DUKCAPIL",), staff=None),
    "regency": Preset(governments=1, offices=None, staff=9000),
    "province": Preset(governments=10, offices=None, staff=9000),
}


# --- Writing rows fast ------------------------------------------------------------------------------

# SQLite's page cache during a run: a negative `cache_size` is in KiB, so this is 1 GiB.
BULK_CACHE_SIZE = -1048576


class Writer:
    """Inserts rows of one model in batches, with explicit primary keys, and counts them."""

    def __init__(self, model: type[Model], fields: Sequence[str], batch: int = 20000) -> None:
        self.model = model
        self.fields = list(fields)
        meta = model._meta
        self.columns = [str(getattr(meta.get_field(name), "column", name)) for name in self.fields]
        quote = connection.ops.quote_name
        self.table = quote(meta.db_table)
        self.sql = (
            f"INSERT INTO {self.table} ({', '.join(quote(c) for c in self.columns)}) "  # noqa: S608  # nosec B608  # names from the model
            f"VALUES ({', '.join(['%s'] * len(self.columns))})"
        )
        self.batch = batch
        self.pending: list[tuple[Any, ...]] = []
        self.written = 0

    def add(self, row: tuple[Any, ...]) -> None:
        self.pending.append(row)
        if len(self.pending) >= self.batch:
            self.flush()

    def extend(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self.pending:
            return
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            copy_sql = f"COPY {self.table} ({', '.join(quote(c) for c in self.columns)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
                for row in self.pending:
                    copy.write_row(row)
        else:
            connection.ensure_connection()
            connection.connection.executemany(self.sql.replace("%s", "?"), self.pending)
        self.written += len(self.pending)
        self.pending = []


def next_id(model: type[Model]) -> int:
    return int(model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(models: Iterable[type[Model]]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest key inserted
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Values:
    """Python values as the database driver takes them in bulk (SQLite: text; PostgreSQL: as they are)."""

    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"

    def moment(self, value: dt.datetime | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")

    def utc(self, value: dt.datetime | None) -> Any:
        """A naive UTC time (the hot loops count in naive UTC: no zone arithmetic per row)."""
        if value is None:
            return None
        return value.isoformat(sep=" ") if self.sqlite else value.replace(tzinfo=UTC)

    def day(self, value: dt.date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.isoformat()

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value

    def json(self, value: Any) -> str:
        return json.dumps(value, separators=(",", ":"))


# --- The run ----------------------------------------------------------------------------------------


@dataclass
class Stage:
    name: str
    rows: int = 0
    seconds: float = 0.0


@dataclass
class GenerateReport:
    governments: list[str] = field(default_factory=list)
    stages: dict[str, Stage] = field(default_factory=dict)
    seconds: float = 0.0
    first_day: dt.date | None = None
    until: dt.date | None = None

    def count(self, name: str, rows: int, seconds: float) -> Stage:
        stage = self.stages.setdefault(name, Stage(name))
        stage.rows += rows
        stage.seconds += seconds
        return stage


def default_until(today: dt.date) -> dt.date:
    """The last Friday before `today`."""
    return today - dt.timedelta(days=(today.weekday() - 4) % 7 or 7)


def generate(
    *,
    preset: str,
    weeks: int = 52,
    seed: int = 1,
    until: dt.date,
    append: bool = False,
    evaluation: bool = True,
    progress: Progress | None = None,
) -> GenerateReport:
    """Fill the database with `preset`'s history (see the module docstring). Refuses a database that has
    governments already unless `append`; refuses to generate the same seed's governments twice."""
    if preset not in PRESETS:
        raise GenerateError(f"Preset tidak dikenal: {preset}. Pilih: {', '.join(PRESETS)}.")
    if weeks < 1:
        raise GenerateError("--weeks harus 1 atau lebih.")
    spec = PRESETS[preset]
    if Government.objects.exists() and not append:
        raise GenerateError(
            "Basis data ini sudah berisi data (ada pemerintah daerah). Jalankan pada basis data kosong, "
            "atau tambahkan --append untuk menambah pemerintah daerah sintetis di sampingnya."
        )
    names = REGENCIES[: spec.governments]
    slugs = [_slug(seed, kind, name) for name, kind in names]
    taken = set(Government.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if taken:
        raise GenerateError(
            f"Data sintetis seed {seed} sudah ada ({', '.join(sorted(taken))}). Pakai --seed lain untuk "
            "menambah data."
        )
    say = progress or (lambda _line: None)
    report = GenerateReport(until=until)
    began = time.perf_counter()
    with _bulk_loading():
        _generate_all(
            spec=spec,
            names=names,
            slugs=slugs,
            seed=seed,
            until=until,
            weeks=weeks,
            evaluation=evaluation,
            report=report,
            say=say,
        )
    report.seconds = time.perf_counter() - began
    return report


@contextlib.contextmanager
def _bulk_loading() -> Iterator[None]:
    """On SQLite, a page cache large enough for the indexes being filled (1 GiB instead of 2 MiB): with
    the default, every insert into an index in random order spills and re-reads pages, and one
    government's transaction writes its pages to the WAL many times over. Sorts and temporary indexes
    go to memory too, but only when the connection is outside a transaction: SQLite refuses to change
    `temp_store` inside one once it has used temporary storage ("temporary storage cannot be changed
    from within a transaction"), and a caller's transaction (a test, `--append` from a script) is
    theirs to keep. The page cache can change at any time. Both are put back afterwards, since the
    connection may be a persistent one that serves other work."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous_cache,) = cursor.fetchone()
        previous_temp = None
        if not connection.connection.in_transaction:
            cursor.execute("PRAGMA temp_store")
            (previous_temp,) = cursor.fetchone()
            cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.execute(f"PRAGMA cache_size = {BULK_CACHE_SIZE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # Integers read back from SQLite itself, formatted as integers: PRAGMA takes no parameters.
            cursor.execute(f"PRAGMA cache_size = {int(previous_cache)}")
            if previous_temp is not None and not connection.connection.in_transaction:
                cursor.execute(f"PRAGMA temp_store = {int(previous_temp)}")


def _generate_all(
    *,
    spec: Preset,
    names: Sequence[tuple[str, str]],
    slugs: Sequence[str],
    seed: int,
    until: dt.date,
    weeks: int,
    evaluation: bool,
    report: GenerateReport,
    say: Progress,
) -> None:
    first_monday = until - dt.timedelta(days=until.weekday()) - dt.timedelta(weeks=weeks - 1)
    report.first_day = first_monday
    for index, (name, kind) in enumerate(names):
        context = Context(
            seed=seed,
            index=index,
            name=name,
            kind=kind,
            slug=slugs[index],
            preset=spec,
            first_monday=first_monday,
            until=until,
            evaluation=evaluation,
            report=report,
            say=say,
        )
        say(f"[generate] {index + 1}/{len(names)} Pemerintah {kind} {name} ({slugs[index]})")
        context.run()
        report.governments.append(context.slug)


def _slug(seed: int, kind: str, name: str) -> str:
    base = f"{'kota' if kind == 'Kota' else 'kab'}-{name.lower().replace(' ', '-')}"
    return f"{GENERATED_SLUG_PREFIX}{seed}-{base}"


@dataclass
class Person:
    pk: int
    office: str
    unit_id: int
    track: str
    position: str
    profile: str
    is_head: bool


@dataclass
class Context:
    """One government's generation."""

    seed: int
    index: int
    name: str
    kind: str
    slug: str
    preset: Preset
    first_monday: dt.date
    until: dt.date
    evaluation: bool
    report: GenerateReport
    say: Progress
    values: Values = field(default_factory=Values)
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Makassar"))

    def rng(self, *what: object) -> random.Random:
        """A generator of one's own per thing drawn (seeded: synthetic data, not secrets)."""
        seed = f"perjumpaan-generate:{self.seed}:{self.index}:" + ":".join(map(str, what))
        return random.Random(seed)  # noqa: S311  # nosec B311  # seeded synthetic data, not secrets

    # -- stages ---------------------------------------------------------------------------------------

    def stage(self, name: str) -> _Timer:
        return _Timer(self, name)

    def run(self) -> None:
        with transaction.atomic():
            with self.stage("organisasi") as timer:
                timer.rows = self.organisation()
            with self.stage("program") as timer:
                timer.rows = self.programme()
            with self.stage("perjumpaan") as timer:
                timer.rows = self.gatherings()
            with self.stage("kehadiran") as timer:
                timer.rows = self.attendance()
            with self.stage("layanan") as timer:
                timer.rows = self.public_service()
            if self.evaluation:
                with self.stage("evaluasi") as timer:
                    timer.rows = self.friday_evaluation()
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: the rebuild below took twice as long without them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        with self.stage("rekap") as timer:
            from perjumpaan.rollup.services import rollup_rebuild

            result = rollup_rebuild(offices=list(Office.objects.filter(government=self.government)))
            timer.rows = sum(result.rows.values())

    # -- the organisation -----------------------------------------------------------------------------

    def organisation(self) -> int:
        self.government = Government.objects.create(
            name=f"Pemerintah {self.kind} {self.name}",
            slug=self.slug,
            time_zone="Asia/Makassar",
            address=f"Data sintetis (perjumpaan generate --seed {self.seed})",
        )
        specs = [s for s in OFFICES if self.preset.offices is None or s.code in self.preset.offices]
        total_weight = sum(s.weight for s in specs)
        sizes = {
            s.code: (round(s.weight * self.preset.staff / total_weight) if self.preset.staff else s.weight)
            for s in specs
        }
        self.specs = {s.code: s for s in specs}
        offices = Office.objects.bulk_create(
            [Office(government=self.government, code=s.code, name=s.name, kind=s.kind) for s in specs]
        )
        self.offices = {o.code: o for o in Office.objects.filter(government=self.government)}
        rows = len(offices)

        # Units: a secretariat and bidang; big offices (schools, health centres) in many small units.
        unit_names: dict[str, list[str]] = {}
        for s in specs:
            count = max(3, sizes[s.code] // 25)
            base = ["Sekretariat", "Bidang Program", "Bidang Pelayanan", "Bidang Pembinaan", "Bidang Teknis"]
            names = base[: min(count, len(base))]
            names += [f"UPT {s.code.title()} {n}" for n in range(1, count - len(names) + 1)]
            unit_names[s.code] = names
        Unit.objects.bulk_create(
            [
                Unit(office=self.offices[code], name=name)
                for code, names in unit_names.items()
                for name in names
            ]
        )
        units: dict[str, list[int]] = defaultdict(list)
        for pk, code in (
            Unit.objects.filter(office__government=self.government)
            .order_by("pk")
            .values_list("pk", "office__code")
        ):
            units[code].append(pk)
        rows += sum(len(v) for v in units.values())

        # Staff.
        from perjumpaan.org.demo import _person

        rng = self.rng("staff")
        nips: set[str] = set()
        writer = Writer(
            Employee,
            [
                "id",
                "government",
                "office",
                "unit",
                "nip",
                "name",
                "position",
                "gender",
                "status",
                "phone",
                "email",
                "track",
                "is_active",
            ],
        )
        pk = next_id(Employee)
        self.people: dict[str, list[Person]] = defaultdict(list)
        for s in specs:
            office_units = units[s.code]
            for n in range(sizes[s.code]):
                person = _person(rng, "")
                birth = dt.date(rng.randint(1966, 2000), rng.randint(1, 12), rng.randint(1, 28))
                pppk = rng.random() < 0.15
                while True:
                    if pppk:
                        year = rng.randint(max(2019, birth.year + 19), 2024)
                        digit = "1" if person.gender == "L" else "2"
                        nip = f"{birth:%Y%m%d}{year}21{digit}{rng.randint(1, 999):03d}"
                    else:
                        tmt_year = min(birth.year + rng.randint(22, 35), 2024)
                        tmt = dt.date(tmt_year, rng.choice((1, 3, 4, 12)), 1)
                        nip = nip_compose(
                            birth=birth, tmt=tmt, gender=person.gender, serial=rng.randint(1, 999)
                        )
                    if nip not in nips:
                        nips.add(nip)
                        break
                unit_id = office_units[n % len(office_units)]
                is_head = n < len(office_units)
                position = "Kepala Unit" if is_head else rng.choice(POSITIONS)
                track = person.track
                writer.add(
                    (
                        pk,
                        self.government.pk,
                        self.offices[s.code].pk,
                        unit_id,
                        nip,
                        person.name,
                        position,
                        person.gender,
                        "PPPK" if pppk else "PNS",
                        "",
                        "",
                        track,
                        self.values.flag(True),
                    )
                )
                profile = rng.choices(PROFILE_NAMES, PROFILE_WEIGHTS)[0]
                self.people[s.code].append(Person(pk, s.code, unit_id, track, position, profile, is_head))
                pk += 1
        writer.flush()
        reset_sequences([Employee])
        rows += writer.written

        # Logins: an admin, leadership, one coordinator per office (demo accounts: refused in production).
        password = make_password(settings.DEMO_PASSWORD)
        users = [
            User(username=f"admin.{self.slug}", password=password, is_demo=True, first_name="Admin"),
            User(username=f"pimpinan.{self.slug}", password=password, is_demo=True, first_name="Pimpinan"),
            *(
                User(username=f"koordinator.{code.lower()}.{self.slug}", password=password, is_demo=True)
                for code in self.offices
            ),
        ]
        created = User.objects.bulk_create(users)
        by_name = {u.username: u for u in User.objects.filter(username__in=[u.username for u in created])}
        Role.objects.bulk_create(
            [
                Role(user=by_name[f"admin.{self.slug}"], kind=Role.Kind.ADMIN, government=self.government),
                Role(
                    user=by_name[f"pimpinan.{self.slug}"],
                    kind=Role.Kind.LEADERSHIP,
                    government=self.government,
                ),
                *(
                    Role(
                        user=by_name[f"koordinator.{code.lower()}.{self.slug}"],
                        kind=Role.Kind.COORDINATOR,
                        government=self.government,
                        office=office,
                    )
                    for code, office in self.offices.items()
                ),
            ]
        )
        return rows + 2 * len(users)

    # -- the programme --------------------------------------------------------------------------------

    def programme(self) -> int:
        from perjumpaan.program.models import Enrollment, RolloutWave
        from perjumpaan.tadarus.models import KhatamPlan

        waves = {
            number: RolloutWave.objects.create(
                government=self.government,
                number=number,
                name=WAVE_NAMES[number],
                planned_start=self.first_monday + dt.timedelta(weeks=WAVE_START_WEEK[number]),
            )
            for number in sorted({s.wave for s in self.specs.values()})
        }
        self.enrolled: dict[str, dt.date] = {}
        enrollments = []
        for code, office in self.offices.items():
            spec = self.specs[code]
            day = self.first_monday + dt.timedelta(weeks=WAVE_START_WEEK[spec.wave])
            self.enrolled[code] = day
            enrollments.append(Enrollment(office=office, wave=waves[spec.wave], enrolled_on=day))
        Enrollment.objects.bulk_create(enrollments)
        plans = [
            KhatamPlan(
                office=office, track="islam", valid_from=self.enrolled[code], start_surah=1, start_ayah=1
            )
            for code, office in self.offices.items()
        ]
        KhatamPlan.objects.bulk_create(plans)
        return len(waves) + len(enrollments) + len(plans)

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        from perjumpaan.program.calendar import Calendar

        if not hasattr(self, "_working"):
            calendar = Calendar(
                self.government, self.first_monday - dt.timedelta(weeks=BASELINE_WEEKS), self.until
            )
            self._working = [info.date for info in calendar.days() if info.is_working_day]
        return [day for day in self._working if start <= day <= end]

    # -- gatherings -----------------------------------------------------------------------------------

    def gatherings(self) -> int:
        from perjumpaan.attendance.models import AttendancePolicy, GatheringRules
        from perjumpaan.program.models import AgendaItem, Gathering

        policy = AttendancePolicy()
        gathering_writer = Writer(
            Gathering,
            [
                "id",
                "office",
                "track",
                "kind",
                "date",
                "start",
                "end",
                "place",
                "title",
                "status",
                "cancel_reason",
                "created_at",
            ],
        )
        rules_writer = Writer(
            GatheringRules,
            [
                "gathering",
                "grace_minutes",
                "opens_before_minutes",
                "code_seconds",
                "location_mode",
                "radius_m",
                "networks",
            ],
        )
        agenda_writer = Writer(AgendaItem, ["gathering", "order", "kind", "minutes", "employee", "notes"])
        pk = next_id(Gathering)
        v = self.values
        # (gathering id, office code, date, track, start, end) for the marks.
        self.held: list[tuple[int, str, dt.date, str, dt.datetime, dt.datetime]] = []
        for code, office in self.offices.items():
            by_track: dict[str, list[Person]] = defaultdict(list)
            for person in self.people[code]:
                by_track[person.track or "islam"].append(person)
            rng = self.rng("roster", code)
            for track, members in sorted(by_track.items()):
                if len(members) < 3:
                    continue  # too few for a gathering of their own
                roster = [m.pk for m in members]
                rng.shuffle(roster)
                turn = 0
                for day in self.working_days(self.enrolled[code], self.until):
                    friday = day.weekday() == 4
                    start = dt.datetime.combine(day, dt.time(10, 0) if friday else dt.time(12, 15), self.tz)
                    end = start + dt.timedelta(minutes=45)
                    gathering_writer.add(
                        (
                            pk,
                            office.pk,
                            track,
                            "regular",
                            v.day(day),
                            v.moment(start),
                            v.moment(end),
                            "Aula" if track == "islam" else "Ruang rapat",
                            "",
                            "held",
                            "",
                            v.moment(start),
                        )
                    )
                    rules_writer.add(
                        (
                            pk,
                            policy.grace_minutes,
                            policy.opens_before_minutes,
                            policy.code_seconds,
                            policy.location_mode,
                            policy.radius_m,
                            "",
                        )
                    )
                    if track == "islam":
                        items = [
                            ("kultum", 7, roster[turn % len(roster)]),
                            ("tadarus", 15, None),
                            ("tadabbur", 10, None),
                            ("doa", 3, None),
                        ]
                        turn += 1
                    else:
                        items = [("materi", 30, None), ("doa", 5, None)]
                    for order, (kind, minutes, employee) in enumerate(items, start=1):
                        agenda_writer.add((pk, order, kind, minutes, employee, ""))
                    self.held.append((pk, code, day, track, start, end))
                    pk += 1
        for writer in (gathering_writer, rules_writer, agenda_writer):
            writer.flush()
        reset_sequences([Gathering, GatheringRules, AgendaItem])
        return gathering_writer.written + rules_writer.written + agenda_writer.written

    # -- attendance -----------------------------------------------------------------------------------

    def attendance(self) -> int:
        from perjumpaan.attendance.models import Attendance, LeaveRequest

        v = self.values
        leave_writer = Writer(
            LeaveRequest,
            [
                "id",
                "employee",
                "kind",
                "start_date",
                "end_date",
                "reason",
                "attachment",
                "status",
                "created_at",
                "decided_at",
                "decision_note",
            ],
        )
        leave_pk = next_id(LeaveRequest)
        # Approved cuti and dinas luar, per person: (date → kind).
        on_leave: dict[int, dict[dt.date, str]] = {}
        for code in self.offices:
            rng = self.rng("leave", code)
            days = self.working_days(self.enrolled[code], self.until)
            if not days:
                continue
            for person in self.people[code]:
                blocks = []
                if rng.random() < 0.55:
                    blocks.append(("C", rng.randint(3, 8)))
                for _n in range(rng.choice((0, 1, 1, 2, 3))):
                    blocks.append(("DL", rng.randint(1, 3)))
                for kind, length in blocks:
                    first = rng.randrange(len(days))
                    span = days[first : first + length]
                    marks = on_leave.setdefault(person.pk, {})
                    for day in span:
                        marks[day] = kind
                    asked = dt.datetime.combine(
                        span[0] - dt.timedelta(days=rng.randint(2, 10)), dt.time(9), self.tz
                    )
                    leave_writer.add(
                        (
                            leave_pk,
                            person.pk,
                            kind,
                            v.day(span[0]),
                            v.day(span[-1]),
                            LEAVE_REASONS[kind],
                            "",
                            "approved",
                            v.moment(asked),
                            v.moment(asked + dt.timedelta(hours=5)),
                            "",
                        )
                    )
                    leave_pk += 1
        leave_writer.flush()
        reset_sequences([LeaveRequest])

        writer = Writer(
            Attendance,
            ["gathering", "employee", "status", "source", "marked_at", "device", "flags", "updated_at"],
            batch=50000,
        )
        members: dict[tuple[str, str], list[Person]] = defaultdict(list)
        for code, people in self.people.items():
            for person in people:
                members[(code, person.track or "islam")].append(person)
        rng = self.rng("marks")
        began = time.perf_counter()
        reported = 0
        minute = dt.timedelta(minutes=1)
        for gathering_id, code, day, track, start, end in self.held:
            closed = v.moment(end + 5 * minute)
            # A gathering's marks share a few dozen distinct minutes: format each once.
            stamps: dict[int, Any] = {}

            def stamp(minutes: int, start: dt.datetime = start, stamps: dict[int, Any] = stamps) -> Any:
                found = stamps.get(minutes)
                if found is None:
                    found = stamps[minutes] = v.moment(start + minutes * minute)
                return found

            for person in members[(code, track)]:
                leave = on_leave.get(person.pk, {}).get(day)
                if leave is not None:
                    writer.add((gathering_id, person.pk, leave, "leave", closed, "", "[]", closed))
                    continue
                status = _draw(rng, person.profile)
                if status == "H":
                    at = stamp(rng.randint(-14, 9))
                    writer.add((gathering_id, person.pk, "H", "qr", at, "", "[]", at))
                elif status == "T":
                    at = stamp(rng.randint(11, 30))
                    writer.add((gathering_id, person.pk, "T", "qr", at, "", "[]", at))
                elif status == "TK":
                    writer.add((gathering_id, person.pk, "TK", "close", closed, "", "[]", closed))
                else:
                    at = stamp(30)
                    writer.add((gathering_id, person.pk, status, "rollcall", at, "", "[]", at))
            if writer.written - reported >= 500_000:
                reported = writer.written
                elapsed = time.perf_counter() - began
                self.say(
                    f"[generate]   kehadiran: {writer.written:,} baris, {writer.written / elapsed:,.0f}/s"
                )
        writer.flush()
        return leave_writer.written + writer.written

    # -- public service -------------------------------------------------------------------------------

    def public_service(self) -> int:
        from perjumpaan.service.models import (
            Complaint,
            ComplaintUpdate,
            Service,
            ServiceRecord,
            SurveyResponse,
        )

        v = self.values
        catalogue = [
            Service(office=self.offices[code], code=s.code, name=s.name, order=n)
            for code, spec in self.specs.items()
            for n, s in enumerate(spec.services)
        ]
        Service.objects.bulk_create(catalogue)
        services = {
            (code, service_code): pk
            for pk, code, service_code in Service.objects.filter(
                office__government=self.government
            ).values_list("pk", "office__code", "code")
        }
        records = Writer(
            ServiceRecord,
            [
                "id",
                "office",
                "service",
                "date",
                "ticket",
                "arrival",
                "called",
                "finished",
                "counter",
                "officer",
                "result",
                "source",
                "created_at",
                "updated_at",
            ],
        )
        answers = Writer(
            SurveyResponse,
            [
                "office",
                "service",
                "ticket",
                "ticket_date",
                "record",
                "u1",
                "u2",
                "u3",
                "u4",
                "u5",
                "u6",
                "u7",
                "u8",
                "u9",
                "sex",
                "age",
                "education",
                "occupation",
                "suggestion",
                "channel",
                "submitted_at",
            ],
        )
        complaints = Writer(
            Complaint,
            [
                "id",
                "office",
                "service",
                "reference",
                "category",
                "channel",
                "description",
                "contact",
                "status",
                "received_at",
                "first_response_at",
                "closed_at",
            ],
        )
        updates = Writer(ComplaintUpdate, ["complaint", "at", "status_from", "status_to", "note"])
        record_pk, complaint_pk = next_id(ServiceRecord), next_id(Complaint)
        references = set(Complaint.objects.values_list("reference", flat=True))
        first_day = self.first_monday - dt.timedelta(weeks=BASELINE_WEEKS)
        for code, spec in self.specs.items():
            if not spec.daily:
                continue
            rng = self.rng("service", code)
            office = self.offices[code]
            officers = [p.pk for p in self.people[code] if not p.is_head] or [p.pk for p in self.people[code]]
            shares = [s.share for s in spec.services]
            element_base = [rng.uniform(2.85, 3.25) for _n in range(9)]
            enrolled = self.enrolled[code]
            noise = _normal_table(rng)
            for day in self.working_days(first_day, self.until):
                effect = _effect(day, enrolled)
                volume = max(0, round(rng.gauss(spec.daily * WEEKDAY_LOAD[day.weekday()], spec.daily * 0.08)))
                load = WEEKDAY_LOAD[day.weekday()]
                local_opening = dt.datetime.combine(day, dt.time(7, 30), self.tz)
                offset = local_opening.utcoffset() or dt.timedelta(0)
                # Naive UTC from here on (the zone's offset is fixed: Indonesia has no daylight saving).
                opening = local_opening.replace(tzinfo=None) - offset
                closing_hour = dt.datetime.combine(day, dt.time(16, 0)) - offset
                next_morning = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9, 30)) - offset
                for n in range(1, volume + 1):
                    service = rng.choices(spec.services, shares)[0]
                    arrival = opening + dt.timedelta(seconds=round(rng.triangular(0, 390, 75) * 60))
                    wait = (
                        spec.wait * load * (1 - 0.15 * effect) * math.exp(0.55 * noise[rng.getrandbits(12)])
                    )
                    called = arrival + dt.timedelta(seconds=round(wait * 60))
                    served = service.minutes * math.exp(0.45 * noise[rng.getrandbits(12)])
                    roll = rng.random()
                    finished: dt.datetime | None
                    if called >= closing_hour or roll < 0.05:
                        result, finished = "ditunda", None
                    elif roll < 0.08:
                        result, finished = "ditolak", called + dt.timedelta(seconds=round(served * 30))
                    else:
                        result, finished = "selesai", called + dt.timedelta(seconds=round(served * 60))
                        if service.code == "KTP-EL" and rng.random() < 0.12:
                            # The blanko ran out: printed and handed over the next working day.
                            finished = next_morning
                    ticket = f"A{n:03d}"
                    records.add(
                        (
                            record_pk,
                            office.pk,
                            services[(code, service.code)],
                            v.day(day),
                            ticket,
                            v.utc(arrival),
                            v.utc(called),
                            v.utc(finished),
                            str(1 + n % 4),
                            rng.choice(officers),
                            result,
                            "impor",
                            v.utc(arrival),
                            v.utc(arrival),
                        )
                    )
                    if result == "selesai" and finished is not None and rng.random() < 0.15:
                        scores = [
                            None
                            if rng.random() < 0.03
                            else _answer(base + 0.2 * effect, noise[rng.getrandbits(12)])
                            for base in element_base
                        ]
                        if any(s is not None for s in scores):
                            submitted = max(finished, called) + dt.timedelta(minutes=rng.randint(1, 25))
                            answers.add(
                                (
                                    office.pk,
                                    services[(code, service.code)],
                                    ticket,
                                    v.day(day),
                                    record_pk,
                                    *scores,
                                    rng.choice("LP"),
                                    rng.randint(17, 70),
                                    rng.choice(EDUCATION),
                                    rng.choice(OCCUPATION),
                                    rng.choice(SUGGESTIONS) if rng.random() < 0.1 else "",
                                    "qr" if rng.random() < 0.7 else "kiosk",
                                    v.utc(submitted),
                                )
                            )
                    if rng.random() < (1 / 300) * (1 - 0.3 * effect):
                        received = (arrival + dt.timedelta(minutes=rng.randint(30, 300))).replace(tzinfo=UTC)
                        reference = _reference(rng, references)
                        status, responded, closed = _complaint_course(rng, received, self.until, self.tz)
                        complaints.add(
                            (
                                complaint_pk,
                                office.pk,
                                services[(code, service.code)],
                                reference,
                                rng.choice(CATEGORIES),
                                rng.choice(CHANNELS),
                                rng.choice(COMPLAINTS),
                                "",
                                status,
                                v.moment(received),
                                v.moment(responded),
                                v.moment(closed),
                            )
                        )
                        if responded is not None:
                            after = "diproses" if closed is None or closed > responded else status
                            updates.add(
                                (
                                    complaint_pk,
                                    v.moment(responded),
                                    "diterima",
                                    after,
                                    "Sedang kami tindak lanjuti.",
                                )
                            )
                            if closed is not None and closed > responded:
                                updates.add(
                                    (
                                        complaint_pk,
                                        v.moment(closed),
                                        "diproses",
                                        status,
                                        "Sudah selesai ditangani.",
                                    )
                                )
                        complaint_pk += 1
                    record_pk += 1
        for writer in (records, answers, complaints, updates):
            writer.flush()
        reset_sequences([Service, ServiceRecord, SurveyResponse, Complaint, ComplaintUpdate])
        return len(catalogue) + records.written + answers.written + complaints.written + updates.written

    # -- the Friday evaluation ------------------------------------------------------------------------

    def friday_evaluation(self) -> int:
        from perjumpaan.evaluation.models import Assignment, Item, Response, Round
        from perjumpaan.evaluation.services import evaluation_instrument_default

        v = self.values
        version = evaluation_instrument_default(government=self.government)
        items: dict[str, list[tuple[int, str]]] = {part: [] for part in ("self", "peer", "supervisor")}
        for item in Item.objects.filter(version=version, kind=Item.Kind.SCALE).order_by("order"):
            for part, asked in (
                ("self", item.for_self),
                ("peer", item.for_peer),
                ("supervisor", item.for_supervisor),
            ):
                if asked:
                    items[part].append((item.pk, item.value_code))
        rounds = Writer(
            Round,
            [
                "id",
                "office",
                "week",
                "instrument_version",
                "opens_at",
                "closes_at",
                "closed_at",
                "peers_per_person",
            ],
        )
        assignments = Writer(Assignment, ["round", "part", "rater", "subject", "done"], batch=50000)
        responses = Writer(Response, ["id", "round", "part", "subject", "rater", "scores"], batch=20000)
        round_pk = next_id(Round)
        done, not_done = v.flag(True), v.flag(False)
        reported = 0
        for code in self.offices:
            rng = self.rng("evaluation", code)
            people = self.people[code]
            if len(people) < 2:
                continue
            heads = {p.unit_id: p for p in people if p.is_head}
            value_base = {value: rng.uniform(3.4, 4.1) for _pk, value in items["self"]}
            noise = _normal_table(rng)
            friday = self.enrolled[code] + dt.timedelta(days=(4 - self.enrolled[code].weekday()) % 7)
            while friday <= self.until:
                effect = _effect(friday, self.enrolled[code])
                opens = dt.datetime.combine(friday, dt.time(0, 0), self.tz)
                closes = dt.datetime.combine(friday + dt.timedelta(days=3), dt.time(12, 0), self.tz)
                year, week, _weekday = friday.isocalendar()
                rounds.add(
                    (
                        round_pk,
                        self.offices[code].pk,
                        f"{year}-W{week:02d}",
                        version.pk,
                        v.moment(opens),
                        v.moment(closes),
                        v.moment(closes),
                        3,
                    )
                )
                circle = [p.pk for p in people]
                rng.shuffle(circle)
                pairs = [("self", p.pk, p.pk) for p in people]
                count = len(circle)
                pairs += [
                    ("peer", circle[i], circle[(i + step) % count])
                    for i in range(count)
                    for step in range(1, min(3, count - 1) + 1)
                ]
                pairs += [
                    ("supervisor", heads[p.unit_id].pk, p.pk)
                    for p in people
                    if not p.is_head and p.unit_id in heads
                ]
                for part, rater, subject in pairs:
                    answered = rng.random() < ANSWER_RATE[part]
                    assignments.add((round_pk, part, rater, subject, done if answered else not_done))
                    if answered:
                        bias = {"self": 0.3, "peer": 0.0, "supervisor": -0.15}[part] + 0.25 * effect
                        scores = {
                            str(item_pk): max(
                                1, min(5, round(value_base[value] + bias + 0.7 * noise[rng.getrandbits(12)]))
                            )
                            for item_pk, value in items[part]
                        }
                        responses.add(
                            (
                                _uuid(rng),
                                round_pk,
                                part,
                                subject,
                                None if part == "peer" else rater,
                                v.json(scores),
                            )
                        )
                round_pk += 1
                friday += dt.timedelta(weeks=1)
            written = assignments.written + len(assignments.pending)
            if written - reported >= 500_000:
                reported = written
                self.say(f"[generate]   evaluasi: {written:,} penugasan sampai {code}")
        for writer in (rounds, assignments, responses):
            writer.flush()
        reset_sequences([Round, Assignment])
        return rounds.written + assignments.written + responses.written


class _Timer:
    def __init__(self, context: Context, name: str) -> None:
        self.context, self.name, self.rows = context, name, 0

    def __enter__(self) -> _Timer:
        self.began = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return
        elapsed = time.perf_counter() - self.began
        self.context.report.count(self.name, self.rows, elapsed)
        rate = self.rows / elapsed if elapsed > 0 else 0.0
        self.context.say(
            f"[generate]   {self.name}: {self.rows:,} baris dalam {elapsed:.1f} s ({rate:,.0f}/s)"
        )


# --- Draws ------------------------------------------------------------------------------------------

POSITIONS = (
    "Pengadministrasi Perkantoran", "Penata Layanan Operasional", "Operator Layanan Operasional",
    "Pengelola Layanan Operasional", "Pranata Komputer Ahli Pertama", "Analis Kebijakan Ahli Muda",
    "Arsiparis Terampil", "Bendahara", "Guru Ahli Pertama", "Perawat Terampil", "Bidan Terampil",
    "Penyuluh Pertanian", "Pengawas Lapangan",
)  # fmt: skip
# Chances of H, T, I, S (the rest TK) on a day without approved leave, per attendance profile.
PROFILES: dict[str, tuple[float, float, float, float]] = {
    "steady": (0.90, 0.05, 0.02, 0.015),
    "late": (0.58, 0.34, 0.02, 0.02),
    "spotty": (0.70, 0.10, 0.06, 0.04),
}
PROFILE_NAMES = ("steady", "late", "spotty")
PROFILE_WEIGHTS = (80, 10, 10)
LEAVE_REASONS = {"C": "Cuti tahunan", "DL": "Perjalanan dinas"}
ANSWER_RATE = {"self": 0.8, "peer": 0.65, "supervisor": 0.7}
# Citizens come more on Monday, fewer on Friday.
WEEKDAY_LOAD = (1.3, 1.1, 1.0, 0.95, 0.7, 0.5, 0.5)
EDUCATION = ("SD", "SMP", "SMA", "SMA", "SMA", "S1", "S1", "S2")
OCCUPATION = ("PNS", "SWASTA", "WIRAUSAHA", "WIRAUSAHA", "LAINNYA", "LAINNYA", "TNI", "POLRI")
SUGGESTIONS = (
    "Antrean sudah lebih tertib, terima kasih.",
    "Mohon tambah kursi di ruang tunggu.",
    "Petugas ramah dan cepat.",
    "Informasi persyaratan sebaiknya ditempel di depan loket.",
    "Blanko KTP sering habis.",
)
CATEGORIES = ("pelayanan", "waktu", "waktu", "petugas", "persyaratan", "sarana", "informasi", "lainnya")
CHANNELS = ("web", "loket", "telepon", "surat", "medsos", "lapor")
COMPLAINTS = (
    "Sudah menunggu lama tetapi belum dipanggil.",
    "Persyaratan yang diminta berbeda dengan informasi sebelumnya.",
    "Petugas kurang ramah saat menjelaskan.",
    "Dokumen belum selesai padahal sudah dijanjikan.",
    "Ruang tunggu panas dan sempit.",
)


def _draw(rng: random.Random, profile: str) -> str:
    h, t, i, s = PROFILES[profile]
    roll = rng.random()
    if roll < h:
        return "H"
    if roll < h + t:
        return "T"
    if roll < h + t + i:
        return "I"
    if roll < h + t + i + s:
        return "S"
    return "TK"


def _effect(day: dt.date, enrolled: dt.date) -> float:
    """How far the programme's (modest) effect has come on `day`: 0 before joining, up to 1 after ten
    weeks."""
    if day < enrolled:
        return 0.0
    return min(1.0, (day - enrolled).days / 70)


def _answer(mean: float, z: float) -> int:
    """An SKM answer 1–4 around `mean`, given a standard normal deviate."""
    return max(1, min(4, round(mean + 0.6 * z)))


def _normal_table(rng: random.Random, size: int = 4096) -> list[float]:
    """Standard normal deviates to draw from with `getrandbits(12)`: `gauss` costs ~1 µs a call, and the
    hot loops draw millions."""
    return [rng.gauss(0.0, 1.0) for _n in range(size)]


REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _reference(rng: random.Random, taken: set[str]) -> str:
    while True:
        reference = "ADU-" + "".join(rng.choice(REFERENCE_ALPHABET) for _n in range(6))
        if reference not in taken:
            taken.add(reference)
            return reference


def _complaint_course(
    rng: random.Random, received: dt.datetime, until: dt.date, tz: ZoneInfo
) -> tuple[str, dt.datetime | None, dt.datetime | None]:
    """A complaint's status, first response and closing, none of them after the end of `until`."""
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tz)
    responded = received + dt.timedelta(hours=rng.lognormvariate(math.log(18), 0.8))
    if responded >= end or rng.random() < 0.03:
        return "diterima", None, None
    closed = responded + dt.timedelta(hours=rng.lognormvariate(math.log(48), 0.9))
    if closed >= end or rng.random() < 0.05:
        return "diproses", responded, None
    return ("ditolak" if rng.random() < 0.1 else "selesai"), responded, closed


def _uuid(rng: random.Random) -> str:
    import uuid

    value = uuid.UUID(int=rng.getrandbits(128), version=4)
    return value.hex if connection.vendor == "sqlite" else str(value)
