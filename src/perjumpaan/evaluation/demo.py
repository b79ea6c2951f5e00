"""Demo data of the Friday evaluation: the default instrument, and for every enrolled demo office its
rounds from the Friday after enrolment (at most the last 20 weeks) to this week's, answered as a real
office might.

Anchored on today, like the attendance step: the latest round is this week's, still open while its
closing time has not come (then about half of the office has filled in, and the demo staff login
`staf.dukcapil` has not, so the fill-in page has work to show); every earlier round is closed.

What the answers show: an office starts a little above "Cukup" and improves slowly after it enrols
(quickly at first, then levelling off), each value at its own pace — service attitude (sikap melayani
warga, Berorientasi Pelayanan) gains most in the service offices; people rate themselves a little higher
than their colleagues do; participation grows from about 70% to about 90%. Some open answers, a
facilitator's narrative most weeks in the pilot offices, and follow-up actions, most of them closed a few
weeks after they were agreed.

Deterministic for a given day: random numbers come from `ctx.rng`, and the responses' random keys are
drawn from it too.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext_noop

from perjumpaan.core.timeutil import aware, local_today, zone
from perjumpaan.evaluation.models import (
    Assignment,
    FollowUpAction,
    Item,
    Narrative,
    OpenAnswer,
    Part,
    Response,
    Round,
)
from perjumpaan.evaluation.services import evaluation_instrument_default, round_open
from perjumpaan.evaluation.weeks import friday_on_or_before, week_label
from perjumpaan.org.demo import DemoContext, demo_step
from perjumpaan.org.models import Employee, Office, Role, User
from perjumpaan.program.models import Enrollment
from perjumpaan.program.selectors import enrolled_since

WEEKS_BACK = 20
# Where an office starts (mean item score) and how much it gains over the long run.
START = {"DUKCAPIL": 3.0, "PUPR": 2.95}
GAIN = {"DUKCAPIL": 0.95, "PUPR": 0.8}
SERVICE_OFFICES = {"DUKCAPIL", "DPMPTSP", "DINKES"}
# Per value: (offset at the start, share of the office's gain).
VALUES = {
    "BP": (-0.1, 1.1),
    "AK": (0.15, 0.8),
    "KO": (-0.05, 0.9),
    "HA": (0.1, 1.0),
    "LO": (0.25, 0.6),
    "AD": (-0.2, 1.0),
    "KL": (0.0, 1.1),
    "JUJUR": (0.1, 0.9),
    "BERSAMA": (-0.15, 1.3),
    "KELUARGA": (-0.05, 1.25),
    "MELAYANI": (-0.25, 1.3),
}
PART_BIAS = {Part.SELF: 0.35, Part.PEER: 0.0, Part.SUPERVISOR: -0.1}

GOOD = (
    "Perjumpaan siang dimulai tepat waktu dan semua bidang hadir.",
    "Kultum pekan ini singkat dan mengena, tentang sabar melayani warga.",
    "Rekan-rekan saling membantu ketika antrean KTP-el panjang hari Senin.",
    "Suasana kantor lebih akrab; kami makan siang bersama setelah tadarus.",
    "Tadarus lancar, yang belum lancar membaca dibimbing dengan sabar.",
    "Warga lansia didahulukan dan diantar sampai loket.",
    "Ada rekan yang mengembalikan dompet warga yang tertinggal.",
    "Koordinasi antarbidang lebih cepat lewat grup kantor.",
    "Pimpinan ikut hadir dan menyapa staf satu per satu.",
    "Kami menjenguk rekan yang dirawat di RSUD bersama-sama.",
    "Rekan Hindu dan Kristen ikut hadir pada sesi materi umum.",
    "Ruang tunggu lebih bersih dan tertib.",
)
IMPROVE = (
    "Masih ada yang datang terlambat ke perjumpaan.",
    "Loket sering kosong saat jam istirahat; perlu jadwal piket.",
    "Jawaban kepada warga kadang masih ketus ketika antrean panjang.",
    "Materi perlu lebih banyak contoh dari pekerjaan kita sehari-hari.",
    "Perlu air minum dan kursi tambahan untuk warga yang menunggu.",
    "Beberapa rekan sibuk dengan ponsel selama tadarus.",
    "Informasi persyaratan layanan belum jelas di papan pengumuman.",
    "Perlu giliran kultum yang lebih merata, termasuk staf PPPK.",
    "Waktu perjumpaan sering molor sehingga pelayanan siang terlambat dibuka.",
    "Arsip berkas masih menumpuk di meja; perlu dirapikan bersama.",
)
NARRATIVE_OPENINGS = (
    "Pekan ini perjumpaan berjalan {mood}. Kehadiran {attendance}.",
    "Perjumpaan pekan ini {mood}; kehadiran {attendance}.",
)
NARRATIVE_MOODS = ("lancar", "hangat dan tertib", "cukup baik meski sempat molor", "khidmat")
NARRATIVE_ATTENDANCE = ("hampir penuh", "baik", "sedikit menurun karena ada bimtek di Mataram", "meningkat")
NARRATIVE_LESSONS = (
    "Materi tentang kejujuran memancing diskusi panjang tentang menolak pemberian dari warga.",
    "Tadabbur membahas sabar dalam melayani; beberapa staf berbagi pengalaman menghadapi warga yang marah.",
    "Kami membahas kebersamaan: bidang yang sibuk dibantu bidang lain tanpa diminta.",
    "Sesi tausiah dari narasumber kampus membuka mata tentang pelayanan sebagai ibadah.",
    "Staf muda mulai berani memberi kultum; perlu didampingi dalam persiapan.",
)
NARRATIVE_WATCH = (
    "Yang perlu diperhatikan: dua rekan tampak jarang terlibat dan perlu diajak bicara secara kekeluargaan.",
    "Perlu dijaga agar perjumpaan tidak mengurangi jam layanan.",
    "Perlu diperhatikan rekan non-Muslim agar tetap merasa bagian dari kebersamaan.",
    "Tindak lanjut pekan lalu sudah mulai dikerjakan; hasilnya dipantau pekan depan.",
)
ACTIONS = {
    "DUKCAPIL": (
        ("Menyediakan kursi tunggu tambahan dan air minum di ruang pelayanan", 3, True),
        ("Menyusun jadwal piket loket saat jam istirahat dan perjumpaan", 2, True),
        ("Memasang papan alur dan persyaratan layanan KTP-el yang mudah dibaca warga", 4, True),
        ("Mengajak bicara secara kekeluargaan rekan yang sering tidak hadir", 2, True),
        ("Memulai perjumpaan tepat pukul 12.15 dan mengakhirinya tepat waktu", 3, False),
        ("Giliran kultum juga untuk staf PPPK yang belum pernah mendapat giliran", 4, False),
    ),
    "PUPR": (
        ("Merapikan arsip berkas perizinan bersama setiap Jumat sore", 3, True),
        ("Kunjungan bersama ke rekan yang sakit", 1, True),
        ("Menyepakati tidak memakai ponsel selama tadarus", 2, False),
    ),
}


def _fridays(first: dt.date, last: dt.date) -> list[dt.date]:
    day = first + dt.timedelta(days=(4 - first.weekday()) % 7)
    days = []
    while day <= last:
        days.append(day)
        day += dt.timedelta(weeks=1)
    return days


def _progress(weeks: float) -> float:
    """How far an office has come, 0 at enrolment towards 1: quick at first, then levelling off."""
    return 1 - math.exp(-weeks / 26)


@demo_step("evaluation.rounds")
def evaluation_rounds(ctx: DemoContext) -> None:
    government = ctx.government
    evaluation_instrument_default(government=government)
    rng = ctx.rng("evaluation.rounds")
    tz = zone(government.time_zone)
    now = timezone.now()
    last_friday = friday_on_or_before(local_today(tz))
    offices = list(
        Office.objects.filter(
            government=government, is_active=True, pk__in=Enrollment.objects.values("office_id")
        ).order_by("code")
    )
    facilitator = User.objects.filter(username="fasilitator", is_demo=True).first()
    holdouts = set(
        Employee.objects.filter(user__username="staf.dukcapil", user__is_demo=True).values_list(
            "pk", flat=True
        )
    )
    created = 0
    for office in offices:
        enrolled_on = enrolled_since(office=office)
        if enrolled_on is None or enrolled_on > last_friday:
            continue
        first = max(enrolled_on, last_friday - dt.timedelta(weeks=WEEKS_BACK - 1))
        existing = set(Round.objects.filter(office=office).values_list("week", flat=True))
        people = {
            pk: rng.gauss(0, 0.3)
            for pk in Employee.objects.filter(office=office, is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        }
        reliability = {pk: rng.uniform(0.75, 1.0) for pk in people}
        for friday in _fridays(first, last_friday):
            if week_label(friday) in existing:
                continue
            opened_at = aware(friday, dt.time(7, 0), tz)
            round_ = round_open(office=office, friday=friday, now=opened_at, rng=rng)
            if round_ is None:
                continue
            weeks = (friday - enrolled_on).days / 7
            closed = round_.closes_at <= now
            created += 1 + _answer(ctx, rng, office, round_, weeks, people, reliability, closed, holdouts)
            if closed:
                Round.objects.filter(pk=round_.pk).update(closed_at=round_.closes_at)
                if facilitator is not None and office.code in START and rng.random() < 0.85:
                    Narrative.objects.create(
                        round=round_,
                        author=facilitator,
                        text=_narrative(rng),
                        updated_at=round_.closes_at - dt.timedelta(days=1),
                    )
                    created += 1
        created += _actions(rng, office)
    ctx.created += created
    rounds = Round.objects.filter(office__government=government)
    ctx.summary.counts[gettext_noop("Putaran evaluasi")] = rounds.count()
    ctx.summary.counts[gettext_noop("Jawaban evaluasi")] = Response.objects.filter(
        round__office__government=government
    ).count()


def _answer(
    ctx: DemoContext,
    rng: random.Random,
    office: Office,
    round_: Round,
    weeks: float,
    people: dict[int, float],
    reliability: dict[int, float],
    closed: bool,
    holdouts: set[int],
) -> int:
    """Fill in the round's assignments as the office would have; returns how many rows were written."""
    items = list(Item.objects.filter(version=round_.instrument_version).order_by("order"))
    scale = [i for i in items if i.kind == Item.Kind.SCALE]
    open_items = {i.value_code: i for i in items if i.kind == Item.Kind.OPEN}
    start = START.get(office.code, 3.05)
    gain = GAIN.get(office.code, 0.75)
    progress = _progress(weeks)
    turnout = 0.7 + 0.2 * progress if closed else 0.5
    responses: list[Response] = []
    answers: list[OpenAnswer] = []
    done: list[int] = []
    assignments = (
        Assignment.objects.filter(round=round_)
        .order_by("pk")
        .values_list("pk", "part", "rater_id", "subject_id")
    )
    # Each sentence at most once a week: a real office's answers differ.
    unused = {"BAIK": list(GOOD), "PERBAIKI": list(IMPROVE)}
    for pool in unused.values():
        rng.shuffle(pool)
    # Per item, what the week adds to a person's level: the value's offset and its share of the gain.
    terms = []
    for item in scale:
        offset, share = VALUES.get(item.value_code, (0.0, 1.0))
        if item.value_code in ("MELAYANI", "BP") and office.code in SERVICE_OFFICES:
            share += 0.3
        terms.append((str(item.pk), start + offset + gain * share * progress))
    bias = {str(part): value for part, value in PART_BIAS.items()}
    for pk, part, rater, subject in assignments:
        if not closed and rater in holdouts:
            continue
        if rng.random() > turnout * reliability.get(rater, 0.9):
            continue
        level = people.get(subject, 0.0) + bias[part]
        scores = {key: max(1, min(5, round(rng.gauss(term + level, 0.55)))) for key, term in terms}
        responses.append(
            Response(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                round=round_,
                part=part,
                subject_id=subject,
                rater_id=None if part == Part.PEER else rater,
                scores=scores,
            )
        )
        done.append(pk)
        if part == Part.SELF and rng.random() < 0.35:
            for code, pool in unused.items():
                if code in open_items and pool and rng.random() < 0.7:
                    answers.append(
                        OpenAnswer(
                            id=uuid.UUID(int=rng.getrandbits(128), version=4),
                            round=round_,
                            item=open_items[code],
                            text=pool.pop(),
                        )
                    )
    Response.objects.bulk_create(responses, batch_size=500)
    OpenAnswer.objects.bulk_create(answers, batch_size=500)
    for start_index in range(0, len(done), 500):
        Assignment.objects.filter(pk__in=done[start_index : start_index + 500]).update(done=True)
    return len(responses) + len(answers)


def _narrative(rng: random.Random) -> str:
    opening = rng.choice(NARRATIVE_OPENINGS).format(
        mood=rng.choice(NARRATIVE_MOODS), attendance=rng.choice(NARRATIVE_ATTENDANCE)
    )
    return " ".join([opening, rng.choice(NARRATIVE_LESSONS), rng.choice(NARRATIVE_WATCH)])


def _actions(rng: random.Random, office: Office) -> int:
    """The office's follow-up actions, agreed in past rounds; most closed a few weeks later."""
    plans = ACTIONS.get(office.code, ())
    if not plans or FollowUpAction.objects.filter(office=office).exists():
        return 0
    weeks = list(Round.objects.filter(office=office).order_by("week").values_list("week", flat=True))
    if len(weeks) < 2:
        return 0
    heads = list(
        Employee.objects.filter(office=office, is_active=True, position__icontains="kepala")
        .order_by("pk")
        .values_list("pk", flat=True)
    ) or list(
        Employee.objects.filter(office=office, is_active=True).order_by("pk").values_list("pk", flat=True)
    )
    coordinator = (
        Role.objects.filter(office=office, kind=Role.Kind.COORDINATOR).select_related("user").first()
    )
    rows = []
    by_week: dict[str, int] = defaultdict(int)
    for index, (text, duration, closes) in enumerate(plans):
        # Spread over the recent weeks, the open ones the most recent.
        position = max(0, len(weeks) - 2 - (len(plans) - index) * 2)
        opened = weeks[position]
        by_week[opened] += 1
        closed_index = position + duration
        is_closed = closes and closed_index < len(weeks) - 1
        opened_friday = dt.date.fromisocalendar(int(opened[:4]), int(opened[6:]), 5)
        rows.append(
            FollowUpAction(
                office=office,
                week_opened=opened,
                week_closed=weeks[closed_index] if is_closed else "",
                text=text,
                owner_id=rng.choice(heads) if heads else None,
                due_on=opened_friday + dt.timedelta(weeks=duration),
                status=FollowUpAction.Status.DONE
                if is_closed
                else rng.choice((FollowUpAction.Status.OPEN, FollowUpAction.Status.IN_PROGRESS)),
                created_by=coordinator.user if coordinator else None,
            )
        )
    FollowUpAction.objects.bulk_create(rows)
    return len(rows)
