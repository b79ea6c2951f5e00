"""Demo data of the programme: rollout waves, enrolments, templates, curriculum, speakers, and the
gatherings of the last four weeks and the next two for every enrolled office.

The waves follow the programme: a pilot of DUKCAPIL and PUPR from 2 March 2026, education and health
from 6 July 2026, then four more offices from 5 October 2026; the other offices are not enrolled yet,
so the impact analysis has not-yet-enrolled offices to compare with.

Gatherings are anchored on today (they must be recent to be useful on *Hari ini*), so they differ from
one day's load to the next; everything else is fixed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext_noop

from perjumpaan.core.timeutil import local_today, zone
from perjumpaan.org.demo import DemoContext, demo_step
from perjumpaan.org.models import Employee, Office
from perjumpaan.program.models import (
    AgendaItem,
    Enrollment,
    Gathering,
    GatheringTemplate,
    Lesson,
    Module,
    RolloutWave,
    Speaker,
    TemplateAgendaItem,
)
from perjumpaan.program.roster import roster_pick
from perjumpaan.program.services import curriculum_reflow, gathering_schedule

WAVES = [
    (1, "Gelombang 1 (percontohan)", dt.date(2026, 3, 2), ["DUKCAPIL", "PUPR"]),
    (2, "Gelombang 2 (pendidikan dan kesehatan)", dt.date(2026, 7, 6), ["DIKBUD", "DINKES"]),
    (3, "Gelombang 3", dt.date(2026, 10, 5), ["DINSOS", "DPMPTSP", "BKPSDM", "GERUNG"]),
    (4, "Gelombang 4 (seluruh perangkat daerah)", dt.date(2027, 1, 4), []),
]

CURRICULUM = [
    (
        "Akhlak kepada diri sendiri",
        ["Niat dan ikhlas dalam bekerja", "Disiplin waktu", "Menjaga lisan", "Sabar dan pemaaf"],
    ),
    (
        "Akhlak kepada keluarga",
        ["Keluarga sebagai amanah", "Membagi waktu kerja dan keluarga", "Nafkah yang halal"],
    ),
    (
        "Akhlak kepada rekan kerja",
        ["Kebersamaan dan kekeluargaan", "Menghargai perbedaan", "Bekerja sama dalam tim"],
    ),
    (
        "Akhlak kepada masyarakat",
        ["Melayani dengan senyum", "Sabar menghadapi keluhan", "Adil kepada semua warga"],
    ),
    ("Kejujuran", ["Jujur dalam melayani warga", "Menolak gratifikasi", "Amanah atas kewenangan"]),
]

SPEAKERS = [
    ("Prof. Dr. H.", "Ahmad Fauzi, M.Ag.", "UIN Mataram", "Akhlak pelayanan publik, tafsir"),
    ("Dr.", "Hj. Nurul Hidayati, M.Pd.", "Universitas Mataram", "Kebersamaan, pendidikan karakter"),
    ("dr.", "Lalu Ahmad Zulkarnain, Sp.KJ", "RSUD Patut Patuh Patju", "Kesehatan jiwa di tempat kerja"),
    ("TGH.", "Muhammad Hasyim", "Pondok Pesantren Nurul Hakim, Kediri", "Tadabbur, kejujuran"),
    ("Ida Pedanda", "Gede Made Manuaba", "PHDI Lombok Barat", "Tattwam asi, pelayanan"),
]

REGULAR = [("kultum", 7), ("tadarus", 15), ("tadabbur", 8), ("materi", 10), ("doa", 5)]
FRIDAY = [("kultum", 7), ("tadarus", 10), ("doa", 3)]
RAMADAN = [("kultum", 7), ("tadarus", 20), ("tadabbur", 5), ("doa", 3)]
HINDU = [("kultum", 10), ("materi", 15), ("doa", 5)]


def _template(
    office_id: int, track: str, variant: str, weekdays: str, agenda: list[tuple[str, int]], **kw: object
) -> None:
    template, created = GatheringTemplate.objects.get_or_create(
        office_id=office_id,
        track=track,
        variant=variant,
        valid_from=dt.date(2026, 1, 1),
        defaults={
            "weekdays": weekdays,
            "place": "Musala kantor" if track == "islam" else "Ruang rapat",
            **kw,
        },
    )
    if created:
        TemplateAgendaItem.objects.bulk_create(
            TemplateAgendaItem(template=template, order=i, kind=kind, minutes=m)
            for i, (kind, m) in enumerate(agenda, 1)
        )


@demo_step("program.calendar")
def calendar(ctx: DemoContext) -> None:
    government = ctx.government
    for number, name, start, codes in WAVES:
        wave, _ = RolloutWave.objects.get_or_create(
            government=government, number=number, defaults={"name": name, "planned_start": start}
        )
        for code in codes:
            office = ctx.office(code)
            if not Enrollment.objects.filter(office=office).exists():
                Enrollment.objects.create(office=office, wave=wave, enrolled_on=start, note="Data demo")
                ctx.created += 1

    for order, (title, lessons) in enumerate(CURRICULUM, 1):
        module, _ = Module.objects.get_or_create(
            government=government, order=order, defaults={"title": title}
        )
        for lesson_order, lesson in enumerate(lessons, 1):
            Lesson.objects.get_or_create(module=module, order=lesson_order, defaults={"title": lesson})
    for title, name, institution, topics in SPEAKERS:
        Speaker.objects.get_or_create(
            government=government,
            name=name,
            defaults={"title": title, "institution": institution, "topics": topics},
        )

    enrolled = [ctx.office(code) for _, _, start, codes in WAVES if start <= local_today() for code in codes]
    for office in enrolled:
        # DUKCAPIL starts relative to Dzuhur, as many offices do; the others at a fixed time.
        if office.code == "DUKCAPIL":
            start_rule: dict[str, object] = {"start_mode": "prayer", "prayer": "dzuhur", "offset_minutes": 15}
        else:
            start_rule = {"start_mode": "fixed", "start_time": dt.time(12, 30)}
        _template(office.pk, "islam", "regular", "0123", REGULAR, duration_minutes=45, **start_rule)
        _template(
            office.pk,
            "islam",
            "friday",
            "4",
            FRIDAY,
            duration_minutes=30,
            start_mode="fixed",
            start_time=dt.time(8, 30),
        )
        _template(
            office.pk,
            "islam",
            "ramadan",
            "01234",
            RAMADAN,
            duration_minutes=35,
            start_mode="fixed",
            start_time=dt.time(13, 0),
        )
        if Employee.objects.filter(office=office, track="hindu", is_active=True).count() >= 3:
            _template(
                office.pk,
                "hindu",
                "regular",
                "03",
                HINDU,
                duration_minutes=30,
                start_mode="fixed",
                start_time=dt.time(12, 30),
            )

    today = local_today(zone(government.time_zone))
    for office in enrolled:
        gathering_schedule(
            office=office, start=today - dt.timedelta(days=28), end=today + dt.timedelta(days=14)
        )
    _past_turns(enrolled)
    for office in enrolled:
        tracks = GatheringTemplate.objects.filter(office=office).values_list("track", flat=True).distinct()
        for track in tracks:
            curriculum_reflow(office=office, track=track)
    ctx.summary.counts[gettext_noop("Perjumpaan terjadwal")] = Gathering.objects.filter(
        office__in=enrolled
    ).count()


def _past_turns(offices: list[Office]) -> None:
    """Past gatherings get kultum givers too, by the same fair rotation (the scheduler only fills the
    future), so the history looks like a roster that was followed."""
    now = timezone.now()
    open_items = (
        AgendaItem.objects.filter(
            kind="kultum", employee=None, gathering__office__in=offices, gathering__start__lte=now
        )
        .select_related("gathering")
        .order_by("gathering__start")
    )
    turns: dict[int, int] = defaultdict(int)
    last: dict[int, dt.date | None] = {}
    staff: dict[tuple[int, str], list[int]] = {}
    changed = []
    for item in open_items:
        key = (item.gathering.office_id, item.gathering.track)
        if key not in staff:
            staff[key] = list(
                Employee.objects.filter(office_id=key[0], track=key[1], is_active=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        chosen = roster_pick(staff[key], turns=turns, last_turn=last, unavailable=set())
        if chosen is not None:
            item.employee_id = chosen
            turns[chosen] += 1
            last[chosen] = item.gathering.date
            changed.append(item)
    AgendaItem.objects.bulk_update(changed, ["employee"])

    # Lessons of the past, in curriculum order per office and track, like the scheduler does for the future.
    # The demo's curriculum began two weeks ago: four weeks of lessons would already exhaust its sixteen
    # lessons, leaving the progress page and the coming weeks with nothing to show.
    lessons = list(Lesson.objects.order_by("module__order", "order").values_list("pk", flat=True))
    position: dict[tuple[int, str], int] = defaultdict(int)
    past_materi = (
        AgendaItem.objects.filter(
            kind="materi",
            lesson=None,
            gathering__office__in=offices,
            gathering__start__lte=now,
            gathering__start__gte=now - dt.timedelta(days=14),
        )
        .exclude(gathering__status="cancelled")
        .select_related("gathering")
        .order_by("gathering__start")
    )
    given = []
    for item in past_materi:
        key = (item.gathering.office_id, item.gathering.track)
        if lessons and position[key] < len(lessons):
            item.lesson_id = lessons[position[key]]
            position[key] += 1
            given.append(item)
    AgendaItem.objects.bulk_update(given, ["lesson"])
