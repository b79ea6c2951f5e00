"""Writes of the Friday evaluation: instruments and their versions, opening and closing rounds, answering,
supervisor assignments, facilitators' narratives and follow-up actions."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.audit import audit_record
from perjumpaan.core.timeutil import aware, zone
from perjumpaan.evaluation.instrument import (
    INSTRUMENT_DESCRIPTION,
    INSTRUMENT_NAME,
    SCALE_LABELS,
    default_items,
)
from perjumpaan.evaluation.models import (
    SCALE,
    Assignment,
    EvaluationPolicy,
    FollowUpAction,
    Instrument,
    InstrumentVersion,
    Item,
    Narrative,
    OpenAnswer,
    Part,
    Response,
    Round,
)
from perjumpaan.evaluation.peers import Person, peer_pairs, supervisor_pairs
from perjumpaan.evaluation.weeks import parse_week, week_label
from perjumpaan.org.models import Employee, Government, Office, Role
from perjumpaan.program.selectors import enrolled_since
from perjumpaan.rollup.services import rollup_rounds_closed  # rollup hook

NOT_STAFF = gettext_noop("Akun Anda tidak terhubung dengan data pegawai aktif.")
ASSIGNMENT_UNKNOWN = gettext_noop("Penugasan penilaian ini tidak ada atau bukan milik Anda.")
ROUND_NOT_OPEN_YET = gettext_noop("Putaran evaluasi ini belum dibuka.")
ROUND_CLOSED = gettext_noop("Putaran evaluasi ini sudah ditutup; penilaian tidak dapat dikirim lagi.")
ALREADY_DONE = gettext_noop("Penilaian ini sudah dikirim dan tidak dapat diubah.")
ANSWER_MISSING = gettext_noop("Pilih salah satu nilai 1–5.")
ANSWERS_MISSING = gettext_noop(
    "Masih ada {count} butir yang belum dinilai. Yang sudah Anda isi tetap tersimpan di layar."
)
SCORE_INVALID = gettext_noop("Nilai harus bilangan bulat 1 sampai 5.")
ITEM_UNKNOWN = gettext_noop("Butir {item} bukan bagian dari penilaian ini.")
TEXT_TOO_LONG = gettext_noop("Jawaban terlalu panjang (paling banyak {limit} karakter).")
NO_INSTRUMENT = gettext_noop(
    "Pemda ini belum mempunyai instrumen evaluasi aktif yang sudah diterbitkan. Terbitkan satu versi di "
    "Administrasi › Versi instrumen."
)
PAST_CLOSING = gettext_noop("Waktu tutup putaran pekan ini ({closes}) sudah lewat; putaran tidak dibuka.")
NOT_ENROLLED = gettext_noop("Perangkat daerah ini belum mengikuti program pada Jumat tersebut.")
VERSION_PUBLISHED = gettext_noop("Versi yang sudah diterbitkan tidak dapat diubah; buat versi baru.")
VERSION_EMPTY = gettext_noop("Versi ini belum mempunyai butir skala untuk setiap bagian penilaian.")
SCALE_LABELS_INVALID = gettext_noop("Label skala harus berupa lima teks, dari 1 sampai 5.")
NOT_SUPERVISOR_ASSIGNMENT = gettext_noop("Hanya penugasan penilaian atasan yang dapat diubah koordinator.")
SUPERVISOR_DONE = gettext_noop("Penilaian atasan ini sudah diisi, jadi tidak dapat dihapus.")
NOT_OFFICE_STAFF = gettext_noop("Pegawai ini bukan pegawai aktif perangkat daerah tersebut.")
SAME_PERSON = gettext_noop("Atasan dan yang dinilai harus dua orang yang berbeda.")
ALREADY_ASSIGNED = gettext_noop("Penugasan ini sudah ada pada putaran tersebut.")
NOT_FACILITATOR = gettext_noop("Hanya fasilitator perangkat daerah ini yang menulis catatan fasilitator.")
NARRATIVE_EMPTY = gettext_noop("Tuliskan catatan pekan ini.")
ACTION_EMPTY = gettext_noop("Tuliskan tindak lanjut yang disepakati.")
BAD_STATUS = gettext_noop("Status tindak lanjut tidak dikenal.")
BAD_WEEK = gettext_noop("Pekan ditulis TTTT-Wmm, misalnya 2026-W48.")

OPEN_TEXT_LIMIT = 2000
NARRATIVE_LIMIT = 5000
ACTION_LIMIT = 1000


class EvaluationError(ValueError):
    """A write refused; the message is meant for the person. `errors` names the items at fault."""

    def __init__(self, message: str, errors: Mapping[int, str] | None = None) -> None:
        super().__init__(message)
        self.errors: dict[int, str] = dict(errors or {})


def _validated(obj: Any, **kwargs: Any) -> None:
    """full_clean, with the model's Indonesian messages turned into an EvaluationError."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        raise EvaluationError(" ".join(error.messages)) from None


# --- Instruments -------------------------------------------------------------------------------------


def evaluation_instrument_default(*, government: Government) -> InstrumentVersion:
    """The government's BerAKHLAK instrument, version 1, published: created when the government has no
    instrument at all (the demo and `open_rounds` call this), otherwise its current version unchanged."""
    with transaction.atomic():
        if Instrument.objects.filter(government=government).exists():
            return instrument_version_current(government=government)
        instrument = Instrument(
            government=government, name=_(INSTRUMENT_NAME), description=_(INSTRUMENT_DESCRIPTION)
        )
        _validated(instrument)
        instrument.save()
        version = InstrumentVersion(
            instrument=instrument,
            number=1,
            scale_labels=list(SCALE_LABELS),
            note=_("Versi awal"),
            published_at=timezone.now(),
        )
        _validated(version)
        version.save()
        items = [
            Item(version=version, order=order, **asdict(spec))
            for order, spec in enumerate(default_items(), start=1)
        ]
        for item in items:
            _validated(item, exclude=["version"], validate_unique=False)
        Item.objects.bulk_create(items)
        return version


def instrument_version_current(*, government: Government) -> InstrumentVersion:
    """The version new rounds use: the newest published version of the government's active instrument.
    A government with no instrument yet gets the default one."""
    version = (
        InstrumentVersion.objects.filter(
            instrument__government=government, instrument__is_active=True, published_at__isnull=False
        )
        .order_by("-number")
        .first()
    )
    if version is not None:
        return version
    if not Instrument.objects.filter(government=government).exists():
        return evaluation_instrument_default(government=government)
    raise EvaluationError(_(NO_INSTRUMENT))


def instrument_version_draft(*, instrument: Instrument, user: Any) -> InstrumentVersion:
    """A draft of the next version, copied from the newest one (the existing draft, if there is one)."""
    with transaction.atomic():
        newest = instrument.versions.order_by("-number").first()
        if newest is not None and not newest.is_published:
            return newest
        number = (instrument.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = InstrumentVersion(
            instrument=instrument,
            number=number,
            scale_labels=list(newest.scale_labels) if newest else list(SCALE_LABELS),
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        _validated(draft)
        draft.save()
        if newest is not None:
            Item.objects.bulk_create(
                Item(
                    version=draft,
                    order=item.order,
                    kind=item.kind,
                    group=item.group,
                    value_code=item.value_code,
                    value_name=item.value_name,
                    value_definition=item.value_definition,
                    text=item.text,
                    for_self=item.for_self,
                    for_peer=item.for_peer,
                    for_supervisor=item.for_supervisor,
                )
                for item in newest.items.all()
            )
        return draft


def instrument_version_publish(*, version: InstrumentVersion, user: Any) -> InstrumentVersion:
    """Publish a draft: from now on it never changes, and the next rounds use it."""
    with transaction.atomic():
        version = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            raise EvaluationError(_(VERSION_PUBLISHED))
        labels = version.scale_labels
        if not (
            isinstance(labels, list)
            and len(labels) == len(SCALE)
            and all(isinstance(label, str) and label.strip() for label in labels)
        ):
            raise EvaluationError(_(SCALE_LABELS_INVALID))
        scale = list(version.items.filter(kind=Item.Kind.SCALE))
        if not all(any(item.asked_in(part) for item in scale) for part in Part.values):
            raise EvaluationError(_(VERSION_EMPTY))
        version.published_at = timezone.now()
        version.save(update_fields=["published_at"])
        audit_record(
            actor=user,
            office=None,
            action="evaluation.instrument_publish",
            obj=version,
            new={"instrument": version.instrument.name, "number": version.number},
        )
        return version


# --- Rounds ------------------------------------------------------------------------------------------


def _policy(office: Office) -> EvaluationPolicy:
    return EvaluationPolicy.objects.filter(office=office).first() or EvaluationPolicy(office=office)


def round_closing(*, office: Office, friday: dt.date, policy: EvaluationPolicy | None = None) -> dt.datetime:
    """When the round of `friday` closes under the office's rules."""
    policy = policy or _policy(office)
    tz = zone(office.government.time_zone)
    return aware(friday + dt.timedelta(days=policy.close_days_after), policy.close_time, tz)


def _supervisors_for(office: Office, people: list[Person], week: str) -> list[tuple[int, int]]:
    """Supervisor pairs for a new round: those of the office's previous round (so the coordinator's
    corrections carry over), for people still active; the heuristic only for people who were not
    assessed at all in that round (newcomers)."""
    active = {p.pk for p in people}
    previous = Round.objects.filter(office=office, week__lt=week).order_by("-week").first()
    if previous is None:
        return supervisor_pairs(people)
    carried = [
        (rater, subject)
        for rater, subject in Assignment.objects.filter(round=previous, part=Part.SUPERVISOR).values_list(
            "rater_id", "subject_id"
        )
        if rater in active and subject in active
    ]
    assessed_before = set(Assignment.objects.filter(round=previous).values_list("subject_id", flat=True))
    newcomers = {p.pk for p in people} - assessed_before
    heuristic = [(r, s) for r, s in supervisor_pairs(people) if s in newcomers or r in newcomers]
    return sorted(set(carried) | set(heuristic))


def round_open(
    *,
    office: Office,
    friday: dt.date,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
) -> Round | None:
    """Open the round of `friday`'s week for `office`: every active employee assesses themselves, rates
    a few colleagues drawn at random (peer) and, if they head a unit, assesses their team.

    None when the round already exists, whether found here or opened a moment ago by another server
    (the unique constraint on office and week decides). Raises EvaluationError when the office is not
    enrolled by that Friday, the closing time has passed, or there is no instrument.
    """
    now = now or timezone.now()
    week = week_label(friday)
    if Round.objects.filter(office=office, week=week).exists():
        return None
    enrolled_on = enrolled_since(office=office)
    if enrolled_on is None or enrolled_on > friday:
        raise EvaluationError(_(NOT_ENROLLED))
    policy = _policy(office)
    tz = zone(office.government.time_zone)
    opens = max(now, aware(friday, dt.time(0, 0), tz))
    closes = round_closing(office=office, friday=friday, policy=policy)
    if closes <= opens:
        raise EvaluationError(_(PAST_CLOSING).format(closes=closes.astimezone(tz).strftime("%d-%m-%Y %H.%M")))
    version = instrument_version_current(government=office.government)
    people = [
        Person(pk=pk, unit_id=unit_id, position=position)
        for pk, unit_id, position in Employee.objects.filter(office=office, is_active=True)
        .order_by("pk")
        .values_list("pk", "unit_id", "position")
    ]
    # The system's cryptographic source: who rates whom must not be reproducible from anything stored.
    rng = rng or random.SystemRandom()
    round_ = Round(
        office=office,
        week=week,
        instrument_version=version,
        opens_at=opens,
        closes_at=closes,
        peers_per_person=policy.peers_per_person,
    )
    # The uniqueness of (office, week) is left to the database, which is what settles a race.
    _validated(round_, validate_constraints=False)
    assignments = [Assignment(part=Part.SELF, rater_id=p.pk, subject_id=p.pk) for p in people]
    assignments += [
        Assignment(part=Part.PEER, rater_id=rater, subject_id=subject)
        for rater, subject in peer_pairs([p.pk for p in people], policy.peers_per_person, rng)
    ]
    assignments += [
        Assignment(part=Part.SUPERVISOR, rater_id=rater, subject_id=subject)
        for rater, subject in _supervisors_for(office, people, week)
    ]
    try:
        with transaction.atomic():
            round_.save()
            for assignment in assignments:
                assignment.round = round_
            Assignment.objects.bulk_create(assignments)
    except IntegrityError:
        if Round.objects.filter(office=office, week=week).exists():
            return None  # another server opened it first
        raise
    return round_


@dataclass
class OpenReport:
    """What `rounds_open_due` did, office by office."""

    opened: list[Round] = field(default_factory=list)
    existing: list[Office] = field(default_factory=list)
    refused: list[tuple[Office, str]] = field(default_factory=list)


def rounds_open_due(*, friday: dt.date, now: dt.datetime | None = None) -> OpenReport:
    """Open `friday`'s round for every active office enrolled by then, in every government. Running it
    again opens nothing more."""
    report = OpenReport()
    for office in (
        Office.objects.filter(is_active=True, enrollments__isnull=False)
        .distinct()
        .select_related("government")
        .order_by("government__slug", "code")
    ):
        enrolled_on = enrolled_since(office=office)
        if enrolled_on is None or enrolled_on > friday:
            continue
        try:
            round_ = round_open(office=office, friday=friday, now=now)
        except EvaluationError as error:
            report.refused.append((office, str(error)))
            continue
        if round_ is None:
            report.existing.append(office)
        else:
            report.opened.append(round_)
    return report


def rounds_close_due(*, now: dt.datetime | None = None) -> list[Round]:
    """Record the closing of every round whose closing time has passed (a round takes no answers after
    its closing time whether or not this has run). Running it again closes nothing more."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Round.objects.select_for_update()
            .filter(closed_at__isnull=True, closes_at__lte=now)
            .select_related("office")
            .order_by("office__code", "week")
        )
        Round.objects.filter(pk__in=[r.pk for r in due], closed_at__isnull=True).update(closed_at=now)
        # rollup: the closed rounds' weekly evaluation aggregates, in this transaction.
        rollup_rounds_closed(round_ids=[r.pk for r in due])
    for round_ in due:
        round_.closed_at = now
    return due


# --- Answering ---------------------------------------------------------------------------------------


def _check_round_open(round_: Round, now: dt.datetime) -> None:
    if now < round_.opens_at:
        raise EvaluationError(_(ROUND_NOT_OPEN_YET))
    if round_.closed_at is not None or now >= round_.closes_at:
        raise EvaluationError(_(ROUND_CLOSED))


def items_for(*, version: InstrumentVersion, part: str) -> list[Item]:
    """The items asked in `part` under `version`, in order."""
    return [item for item in version.items.order_by("order") if item.asked_in(part)]


def response_submit(
    *,
    employee: Employee | None,
    assignment_id: int,
    scores: Mapping[int, Any],
    texts: Mapping[int, str] | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    """Submit `employee`'s assessment for one of their assignments: a 1–5 score for every scale item of
    the part, and for the self-assessment the open answers (optional).

    For a peer the response is stored without the rater, and the assignment is only marked done, in the
    same transaction: afterwards nothing links the answers to who gave them — which is also why a
    submitted assessment cannot be changed. Raises EvaluationError (with `errors` per item).
    """
    now = now or timezone.now()
    texts = texts or {}
    if employee is None or not employee.is_active:
        raise EvaluationError(_(NOT_STAFF))
    assignment = (
        Assignment.objects.select_related("round__instrument_version", "subject")
        .filter(pk=assignment_id, rater=employee)
        .first()
    )
    if assignment is None:
        raise EvaluationError(_(ASSIGNMENT_UNKNOWN))
    round_ = assignment.round
    _check_round_open(round_, now)
    if assignment.done:
        raise EvaluationError(_(ALREADY_DONE))
    items = items_for(version=round_.instrument_version, part=assignment.part)
    scale = {item.pk: item for item in items if item.kind == Item.Kind.SCALE}
    open_items = {item.pk: item for item in items if item.kind == Item.Kind.OPEN}

    errors: dict[int, str] = {}
    for item_id in [*scores, *texts]:
        if item_id not in scale and item_id not in open_items:
            raise EvaluationError(_(ITEM_UNKNOWN).format(item=item_id))
    clean_scores: dict[str, int] = {}
    for item_id in scale:
        value = scores.get(item_id)
        if value is None or value == "":
            errors[item_id] = _(ANSWER_MISSING)
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if isinstance(value, bool) or number not in SCALE or str(number) != str(value).strip():
            errors[item_id] = _(SCORE_INVALID)
            continue
        clean_scores[str(item_id)] = number
    clean_texts: dict[int, str] = {}
    for item_id in open_items:
        text = str(texts.get(item_id) or "").strip()
        if len(text) > OPEN_TEXT_LIMIT:
            errors[item_id] = _(TEXT_TOO_LONG).format(limit=OPEN_TEXT_LIMIT)
        elif text:
            clean_texts[item_id] = text
    if errors:
        missing = sum(1 for message in errors.values() if message == _(ANSWER_MISSING))
        message = _(ANSWERS_MISSING).format(count=missing) if missing else next(iter(errors.values()))
        raise EvaluationError(message, errors)

    peer = assignment.part == Part.PEER
    response = Response(
        round=round_,
        part=assignment.part,
        subject=assignment.subject,
        rater=None if peer else employee,
        scores=clean_scores,
    )
    _validated(response)
    answers = [
        OpenAnswer(round=round_, item=open_items[item_id], text=text) for item_id, text in clean_texts.items()
    ]
    for answer in answers:
        _validated(answer)
    with transaction.atomic():
        # Flip the flag first: of two submissions racing, only the one that flips it writes answers.
        if not Assignment.objects.filter(pk=assignment.pk, done=False).update(done=True):
            raise EvaluationError(_(ALREADY_DONE))
        response.save(force_insert=True)
        OpenAnswer.objects.bulk_create(answers)
    assignment.done = True
    return assignment


# --- Supervisor assignments (the coordinator's corrections of the heuristic) ----------------------------


def _office_employee(office: Office, employee_id: int | None) -> Employee:
    employee = (
        Employee.objects.filter(pk=employee_id, office=office, is_active=True).first()
        if employee_id is not None
        else None
    )
    if employee is None:
        raise EvaluationError(_(NOT_OFFICE_STAFF))
    return employee


def assignment_supervisor_add(
    *,
    round_: Round,
    supervisor_id: int | None,
    subject_id: int | None,
    user: Any,
    now: dt.datetime | None = None,
) -> Assignment:
    """Add that `supervisor` assesses `subject` in the (open) round; later rounds keep it."""
    now = now or timezone.now()
    _check_round_open(round_, now)
    supervisor = _office_employee(round_.office, supervisor_id)
    subject = _office_employee(round_.office, subject_id)
    if supervisor.pk == subject.pk:
        raise EvaluationError(_(SAME_PERSON))
    with transaction.atomic():
        if Assignment.objects.filter(
            round=round_, part=Part.SUPERVISOR, rater=supervisor, subject=subject
        ).exists():
            raise EvaluationError(_(ALREADY_ASSIGNED))
        assignment = Assignment(round=round_, part=Part.SUPERVISOR, rater=supervisor, subject=subject)
        _validated(assignment)
        assignment.save()
        audit_record(
            actor=user,
            office=round_.office,
            action="evaluation.supervisor_add",
            obj=assignment,
            new={"week": round_.week, "supervisor": supervisor.name, "subject": subject.name},
        )
    return assignment


def assignment_remove(*, assignment: Assignment, user: Any, now: dt.datetime | None = None) -> None:
    """Remove a supervisor assignment not yet filled in from an open round; later rounds drop it too."""
    now = now or timezone.now()
    if assignment.part != Part.SUPERVISOR:
        raise EvaluationError(_(NOT_SUPERVISOR_ASSIGNMENT))
    _check_round_open(assignment.round, now)
    with transaction.atomic():
        if not Assignment.objects.filter(pk=assignment.pk, done=False).exists():
            raise EvaluationError(_(SUPERVISOR_DONE))
        audit_record(
            actor=user,
            office=assignment.round.office,
            action="evaluation.supervisor_remove",
            obj=assignment,
            old={
                "week": assignment.round.week,
                "supervisor": assignment.rater.name,
                "subject": assignment.subject.name,
            },
        )
        assignment.delete()


# --- Facilitators' narratives --------------------------------------------------------------------------


def narrative_save(*, round_: Round, user: Any, text: str, now: dt.datetime | None = None) -> Narrative:
    """Write or rewrite the facilitator's narrative of the round's week. A rewrite after the round has
    closed is audited (old → new)."""
    now = now or timezone.now()
    if not Role.objects.filter(user=user, kind=Role.Kind.FACILITATOR, office=round_.office).exists():
        raise EvaluationError(_(NOT_FACILITATOR))
    text = (text or "").strip()
    if not text:
        raise EvaluationError(_(NARRATIVE_EMPTY))
    if len(text) > NARRATIVE_LIMIT:
        raise EvaluationError(_(TEXT_TOO_LONG).format(limit=NARRATIVE_LIMIT))
    with transaction.atomic():
        narrative = Narrative.objects.select_for_update().filter(round=round_, author=user).first()
        old = narrative.text if narrative else None
        if narrative is None:
            narrative = Narrative(round=round_, author=user, text=text, updated_at=now)
        else:
            narrative.text, narrative.updated_at = text, now
        _validated(narrative)
        narrative.save()
        if old is not None and old != text and (round_.closed_at is not None or now >= round_.closes_at):
            audit_record(
                actor=user,
                office=round_.office,
                action="evaluation.narrative_edit",
                obj=narrative,
                old={"text": old},
                new={"text": text},
            )
    return narrative


# --- Follow-up actions ---------------------------------------------------------------------------------


def _week(value: str) -> str:
    week = parse_week(value)
    if week is None:
        raise EvaluationError(_(BAD_WEEK))
    return week


def action_create(
    *,
    office: Office,
    week: str,
    user: Any,
    text: str,
    owner_id: int | None = None,
    due_on: dt.date | None = None,
) -> FollowUpAction:
    """Record a follow-up action agreed in `week`'s evaluation."""
    text = (text or "").strip()
    if not text:
        raise EvaluationError(_(ACTION_EMPTY))
    if len(text) > ACTION_LIMIT:
        raise EvaluationError(_(TEXT_TOO_LONG).format(limit=ACTION_LIMIT))
    owner = _office_employee(office, owner_id) if owner_id is not None else None
    action = FollowUpAction(
        office=office,
        week_opened=_week(week),
        text=text,
        owner=owner,
        due_on=due_on,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    with transaction.atomic():
        _validated(action)
        action.save()
        audit_record(
            actor=user,
            office=office,
            action="evaluation.action_create",
            obj=action,
            new={"text": text, "owner": owner.name if owner else "", "due_on": str(due_on or "")},
        )
    return action


def action_update(
    *,
    action: FollowUpAction,
    week: str,
    user: Any,
    status: str,
    owner_id: int | None = None,
    due_on: dt.date | None = None,
    keep_owner_and_due: bool = True,
) -> FollowUpAction:
    """Change an action's status (and, unless `keep_owner_and_due`, its owner and due date), seen from
    `week`'s summary: closing it records that week (never before the week it was agreed), reopening it
    carries it again. Audited (old → new)."""
    if status not in FollowUpAction.Status.values:
        raise EvaluationError(_(BAD_STATUS))
    week = _week(week)
    with transaction.atomic():
        action = (
            FollowUpAction.objects.select_for_update(of=("self",)).select_related("owner").get(pk=action.pk)
        )
        old = {
            "status": action.status,
            "week_closed": action.week_closed,
            "owner": action.owner.name if action.owner else "",
            "due_on": str(action.due_on or ""),
        }
        action.status = status
        if status in FollowUpAction.CLOSED:
            action.week_closed = action.week_closed or max(week, action.week_opened)
        else:
            action.week_closed = ""
        if not keep_owner_and_due:
            action.owner = _office_employee(action.office, owner_id) if owner_id is not None else None
            action.due_on = due_on
        new = {
            "status": action.status,
            "week_closed": action.week_closed,
            "owner": action.owner.name if action.owner else "",
            "due_on": str(action.due_on or ""),
        }
        if new == old:
            return action
        _validated(action)
        action.save()
        audit_record(
            actor=user,
            office=action.office,
            action="evaluation.action_update",
            obj=action,
            old={k: v for k, v in old.items() if new[k] != v},
            new={k: v for k, v in new.items() if old[k] != v},
        )
    return action
