"""Reads of the Friday evaluation, through the scoping, and what of them may be shown.

Rows are read through `scoped`; what leaves this module about other people is aggregates only, under
the rule of three (`scores.THRESHOLD`), and only for rounds that have closed — while a round is open
nobody sees a score move as one colleague finishes. Individual responses are never returned, and peer
responses hold no rater to return.

The one read not filtered by `scoped` is of the responses *about* the user's own employee record on
their personal page (`my_evaluation`): peer responses belong to nobody, so scoping (by rater) cannot
admit them; the function reaches them only through the user's own employee, and shows them only as an
average over at least three raters.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from perjumpaan.attendance.selectors import RecapRow, attendance_recap, recap_total
from perjumpaan.core.scoping import Access, access_for, scoped
from perjumpaan.evaluation.models import (
    Assignment,
    FollowUpAction,
    InstrumentVersion,
    Item,
    Narrative,
    OpenAnswer,
    Part,
    Response,
    Round,
)
from perjumpaan.evaluation.scores import (
    OVERALL,
    THRESHOLD,
    Group,
    Score,
    Scored,
    change,
    publishable_groups,
    score_of,
    value_means,
)
from perjumpaan.evaluation.weeks import week_monday
from perjumpaan.org.models import Employee, Office, Role

# How many weeks the trends look back.
TREND_WEEKS = 12
# The pooled column: every rating part together, every response weighing the same.
ALL = "all"
RATING_PARTS: tuple[str, ...] = (Part.SELF, Part.PEER, Part.SUPERVISOR)
COLUMNS: tuple[str, ...] = (*RATING_PARTS, ALL)


def part_label(part: str) -> str:
    if part == ALL:
        return _("Semua penilaian")
    return str(Part(part).label)


def part_short_label(part: str) -> str:
    return {
        Part.SELF: _("Diri"),
        Part.PEER: _("Rekan"),
        Part.SUPERVISOR: _("Atasan"),
        ALL: _("Semua"),
    }[part]


class _Operator:
    """Whoever runs a management command on the server: the deployment's operator, who (like a
    superuser) sees every office. Passed as `user` by commands such as `weekly_report`."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None
    _perjumpaan_access = Access(is_superuser=True)


OPERATOR: Any = _Operator()


# --- Who may read what -------------------------------------------------------------------------------


def can_manage(*, user: Any, office: Office) -> bool:
    """Coordinators of the office and the government's programme admins."""
    return scoped(user, Office.objects.filter(pk=office.pk), "manage").exists()


def summary_readable(*, user: Any, office: Office) -> bool:
    """Who reads an office's evaluation results: those who manage it, and leadership (read-only).
    Staff read their own page; facilitators their narrative page."""
    return (
        can_manage(user=user, office=office)
        or office.government_id in access_for(user).leadership_governments
    )


def is_facilitator(*, user: Any, office: Office) -> bool:
    return office.pk in access_for(user).facilitator_offices


# --- Instruments ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueInfo:
    """A value the scale items of a version are grouped by."""

    code: str
    name: str
    group: str
    definition: str
    items: int


def values_of(version: InstrumentVersion, items: Iterable[Item] | None = None) -> list[ValueInfo]:
    """The version's values in the order their first item is asked."""
    seen: dict[str, ValueInfo] = {}
    counts: Counter[str] = Counter()
    rows = items if items is not None else version.items.all()
    for item in sorted(rows, key=lambda i: i.order):
        if item.kind != Item.Kind.SCALE or item.version_id != version.pk:
            continue
        counts[item.value_code] += 1
        seen.setdefault(
            item.value_code,
            ValueInfo(item.value_code, item.value_name, item.group, item.value_definition, 0),
        )
    return [ValueInfo(v.code, v.name, v.group, v.definition, counts[v.code]) for v in seen.values()]


# --- Loading rounds ------------------------------------------------------------------------------------


@dataclass
class RoundData:
    """One round's responses (as scores) and assignments, as far as the reader may see them."""

    round: Round
    scored: list[Scored] = field(default_factory=list)
    # (part, rater id, subject id, done)
    assignments: list[tuple[str, int, int, bool]] = field(default_factory=list)
    _groups: dict[tuple[Any, ...], tuple[list[Scored], int]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _by_subject: dict[int, tuple[list[tuple[str, int, int, bool]], list[Scored]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def expected(self, part: str) -> int:
        return sum(1 for p, _r, _s, _d in self.assignments if p == part)

    def done(self, part: str) -> int:
        return sum(1 for p, _r, _s, d in self.assignments if p == part and d)

    def _about(self, subjects: set[int]) -> tuple[list[tuple[str, int, int, bool]], list[Scored]]:
        """The assignments and responses about `subjects`, through an index by subject built on first
        use (once the round is loaded): a breakdown by unit asks about every unit in turn."""
        if not self._by_subject:
            for row in self.assignments:
                self._by_subject.setdefault(row[2], ([], []))[0].append(row)
            for scored in self.scored:
                self._by_subject.setdefault(scored.subject_id, ([], []))[1].append(scored)
        empty: tuple[list[Any], list[Any]] = ([], [])
        found = [self._by_subject.get(subject, empty) for subject in subjects]
        return [a for rows, _s in found for a in rows], [s for _a, scored in found for s in scored]

    def raters(self, parts: Iterable[str], subjects: set[int] | None = None) -> set[int]:
        """The different people whose submitted assessments make a group's score."""
        wanted = set(parts)
        rows = self.assignments if subjects is None else self._about(subjects)[0]
        return {rater for part, rater, _subject, done in rows if done and part in wanted}

    def responses(self, parts: Iterable[str], subjects: set[int] | None = None) -> list[Scored]:
        wanted = set(parts)
        rows = self.scored if subjects is None else self._about(subjects)[1]
        return [s for s in rows if s.part in wanted]

    def score(
        self,
        column: str,
        code: str = OVERALL,
        *,
        subjects: set[int] | None = None,
        threshold: int = THRESHOLD,
    ) -> Score:
        parts = RATING_PARTS if column == ALL else (column,)
        # A summary asks for every value of the same group: its responses and raters are looked up once
        # (a large office's round has some 15,000 responses; by value, that was a third of the report).
        key = (parts, frozenset(subjects) if subjects is not None else None)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = (self.responses(parts, subjects), len(self.raters(parts, subjects)))
        return score_of(group[0], code, raters=group[1], threshold=threshold)


def _value_maps(rounds: Sequence[Round]) -> tuple[dict[int, dict[int, str]], list[Item]]:
    versions = {r.instrument_version_id for r in rounds}
    items = list(Item.objects.filter(version_id__in=versions).order_by("version_id", "order"))
    value_of: dict[int, dict[int, str]] = defaultdict(dict)
    for item in items:
        if item.kind == Item.Kind.SCALE:
            value_of[item.version_id][item.pk] = item.value_code
    return value_of, items


def _load(
    user: Any,
    rounds: Sequence[Round],
    *,
    responses: QuerySet[Response] | None = None,
    assignments: QuerySet[Assignment] | None = None,
) -> tuple[dict[int, RoundData], list[Item]]:
    """The rounds' data in three queries, whatever their number."""
    data = {r.pk: RoundData(round=r) for r in rounds}
    if not rounds:
        return data, []
    value_of, items = _value_maps(rounds)
    ids = list(data)
    if responses is None:
        responses = scoped(user, Response.objects.filter(round_id__in=ids))
    if assignments is None:
        assignments = scoped(user, Assignment.objects.filter(round_id__in=ids))
    for round_id, part, subject_id, scores in responses.values_list(
        "round_id", "part", "subject_id", "scores"
    ):
        version = data[round_id].round.instrument_version_id
        if isinstance(scores, dict):
            data[round_id].scored.append(Scored(part, subject_id, value_means(scores, value_of[version])))
    for round_id, part, rater_id, subject_id, done in assignments.values_list(
        "round_id", "part", "rater_id", "subject_id", "done"
    ):
        data[round_id].assignments.append((part, rater_id, subject_id, done))
    return data, items


@dataclass
class RolledWeek:
    """A closed round's office-wide scores from the evaluation rollup (`rollup.models.EvaluationWeek`):
    per (part, value code) the responses, the sum and number of item scores and the part's raters, and
    the raters of any part. Gives the same `Score`s as `RoundData.score` over the round's responses,
    with no response read: every response of a part scores every scale item of that part
    (`response_submit` refuses anything less), so a value's mean over responses is its item scores'
    sum over their number, a response's overall score averages the same values in every response of a
    part, and a pooled score is the parts' means weighted by their responses."""

    cells: dict[tuple[str, str], tuple[int, int, int, int]] = field(default_factory=dict)
    raters_all: int = 0

    def _raters(self, part: str) -> int:
        return next((raters for (p, _c), (*_n, raters) in self.cells.items() if p == part), 0)

    def _part(self, part: str, code: str) -> tuple[int, Fraction | None]:
        """(responses, mean) of one part, every response weighing the same."""
        if code != OVERALL:
            cell = self.cells.get((part, code))
            if cell is None or not cell[2]:
                return 0, None
            return cell[0], Fraction(cell[1], cell[2])
        means = [
            Fraction(n_sum, n) for (p, _c), (_r, n_sum, n, _raters) in self.cells.items() if p == part and n
        ]
        if not means:
            return 0, None
        responses = max(r for (p, _c), (r, *_rest) in self.cells.items() if p == part)
        return responses, sum(means, Fraction(0)) / len(means)

    def score(self, column: str, code: str = OVERALL, *, threshold: int = THRESHOLD) -> Score:
        parts = RATING_PARTS if column == ALL else (column,)
        raters = self.raters_all if column == ALL else self._raters(column)
        responses, total = 0, Fraction(0)
        for part in parts:
            count, mean = self._part(part, code)
            if mean is not None:
                responses += count
                total += mean * count
        if not responses:
            return Score(None, 0, raters)
        if responses < threshold or raters < threshold:
            return Score(None, responses, raters)
        return Score(total / responses, responses, raters)


def _rolled_weeks(user: Any, office: Office, rounds: Sequence[Round]) -> dict[int, RolledWeek]:
    """The rounds' `RolledWeek`s (one query), for those who read the office's aggregates."""
    from perjumpaan.rollup.models import EvaluationWeek
    from perjumpaan.rollup.selectors import readable

    by_monday = {week_monday(r.week): r.pk for r in rounds}
    found = {pk: RolledWeek() for pk in by_monday.values()}
    rows = readable(user, EvaluationWeek.objects.filter(office=office, week__in=list(by_monday))).values_list(
        "week", "part", "value_code", "responses", "score_sum", "score_n", "raters", "raters_all"
    )
    for monday, part, code, responses, score_sum, score_n, raters, raters_all in rows:
        rolled = found[by_monday[monday]]
        rolled.cells[(part, code)] = (responses, score_sum, score_n, raters)
        rolled.raters_all = raters_all
    return found


# --- The weekly summary --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    part: str
    label: str
    done: int
    expected: int

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.done, self.expected) if self.expected else None


@dataclass(frozen=True)
class ValueRow:
    info: ValueInfo
    scores: dict[str, Score]  # per column (the parts and ALL)
    previous: Score | None  # ALL, in the previous closed round
    trend: list[Score]  # ALL, per week of the summary's trend

    @property
    def change(self) -> Fraction | None:
        return change(self.scores[ALL], self.previous)


@dataclass(frozen=True)
class UnitRow:
    label: str
    subjects: int
    raters: int
    score: Score
    merged: bool


@dataclass(frozen=True)
class OpenQuestion:
    code: str
    name: str
    question: str
    answers: list[str]


@dataclass(frozen=True)
class TrendPoint:
    week: str
    friday: dt.date
    scores: dict[str, Score]  # per column, OVERALL


@dataclass
class WeekSummary:
    """What the coordinator's page, the weekly report, the export and the API show of one week."""

    office: Office
    week: str
    round: Round | None
    participation: list[Participation] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)
    facilitators: int = 0
    values: list[ValueRow] = field(default_factory=list)
    overall: dict[str, Score] = field(default_factory=dict)
    previous_week: str | None = None
    units: list[UnitRow] = field(default_factory=list)
    units_withheld: bool = False
    open_questions: list[OpenQuestion] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    attendance: RecapRow | None = None
    actions: list[FollowUpAction] = field(default_factory=list)

    @property
    def is_closed(self) -> bool:
        return self.round is not None and self.round.is_closed

    @property
    def has_results(self) -> bool:
        return bool(self.values)


def round_get(*, user: Any, office: Office, week: str) -> Round | None:
    return (
        scoped(user, Round.objects.filter(office=office, week=week))
        .select_related("instrument_version", "office__government")
        .first()
    )


def actions_for_week(*, user: Any, office: Office, week: str) -> list[FollowUpAction]:
    """The office's follow-up actions as they stood in `week`: agreed by then and not closed before it
    (an action closed that week still shows, with its final status). Open ones first."""
    actions = (
        scoped(user, FollowUpAction.objects.filter(office=office, week_opened__lte=week))
        .filter(Q(week_closed="") | Q(week_closed__gte=week))
        .select_related("owner")
    )
    return sorted(
        actions,
        key=lambda a: (a.is_closed, a.due_on is None, a.due_on or dt.date.max, a.week_opened, a.pk),
    )


def _unit_rows(data: RoundData) -> tuple[list[UnitRow], bool]:
    """The peer scores by unit of the people assessed, as far as the rule of three lets them show."""
    subjects = {s.subject_id for s in data.scored if s.part == Part.PEER}
    if not subjects:
        return [], False
    units = dict(Employee.objects.filter(pk__in=subjects).values_list("pk", "unit__name"))
    members: dict[str, set[int]] = defaultdict(set)
    for subject in subjects:
        members[units.get(subject) or _("Tanpa unit")].add(subject)
    groups = [
        Group(
            labels=(label,),
            subjects=frozenset(people),
            raters=frozenset(data.raters([Part.PEER], people)),
            responses=len(data.responses([Part.PEER], people)),
        )
        for label, people in members.items()
    ]
    shown = publishable_groups(groups)
    rows = [
        UnitRow(
            label=_("Unit lain (digabung)") if group.merged else group.labels[0],
            subjects=len(group.subjects),
            raters=len(group.raters),
            score=data.score(Part.PEER, subjects=set(group.subjects)),
            merged=group.merged,
        )
        for group in shown
    ]
    return rows, len(shown) < len(groups)


def week_summary(*, user: Any, office: Office, week: str, weeks: int = TREND_WEEKS) -> WeekSummary:
    """The office's evaluation of `week` as `user` may read it: participation, and once the round has
    closed the scores per value against the previous weeks, the peer scores by unit, the open answers;
    the week's attendance; the follow-up actions carried to that week; the facilitators' narratives."""
    monday = week_monday(week)
    summary = WeekSummary(office=office, week=week, round=round_get(user=user, office=office, week=week))
    summary.actions = actions_for_week(user=user, office=office, week=week)
    rows = attendance_recap(user=user, start=monday, end=monday + dt.timedelta(days=6), office=office)
    summary.attendance = recap_total(rows) if rows else None
    round_ = summary.round
    if round_ is None:
        return summary

    history = list(
        scoped(user, Round.objects.filter(office=office, week__lte=week))
        .select_related("instrument_version")
        .order_by("-week")[:weeks]
    )
    # The past closed rounds from the rollup (written when their closing was recorded); the round of the
    # week itself, and any round closed by its time whose closing was never recorded, from the responses.
    rolled = [r for r in history if r.pk != round_.pk and r.closed_at is not None]
    raw, items = _load(user, [r for r in history if r not in rolled])
    data: dict[int, RoundData | RolledWeek] = {**raw, **_rolled_weeks(user, office, rolled)}
    current = raw[round_.pk]
    summary.participation = [
        Participation(part, part_label(part), current.done(part), current.expected(part))
        for part in RATING_PARTS
    ]
    summary.narratives = list(
        scoped(user, Narrative.objects.filter(round=round_)).select_related("author").order_by("pk")
    )
    summary.facilitators = (
        Role.objects.filter(kind=Role.Kind.FACILITATOR, office=office).values("user").distinct().count()
    )
    if not round_.is_closed:
        return summary

    closed = sorted((r for r in history if r.is_closed), key=lambda r: r.week)
    previous = next((r for r in reversed(closed) if r.week < week), None)
    summary.previous_week = previous.week if previous else None
    summary.trend = [
        TrendPoint(r.week, r.friday, {column: data[r.pk].score(column) for column in COLUMNS}) for r in closed
    ]
    summary.overall = {column: current.score(column) for column in COLUMNS}
    summary.values = [
        ValueRow(
            info=info,
            scores={column: current.score(column, info.code) for column in COLUMNS},
            previous=data[previous.pk].score(ALL, info.code) if previous else None,
            trend=[data[r.pk].score(ALL, info.code) for r in closed],
        )
        for info in values_of(round_.instrument_version, items)
    ]
    summary.units, summary.units_withheld = _unit_rows(current)
    answers: dict[int, list[str]] = defaultdict(list)
    # Ordered by their random keys: the order says nothing of when, or by whom, they were written.
    for item_id, text in (
        scoped(user, OpenAnswer.objects.filter(round=round_)).order_by("pk").values_list("item_id", "text")
    ):
        answers[item_id].append(text)
    summary.open_questions = [
        OpenQuestion(item.value_code, item.value_name, item.text, answers.get(item.pk, []))
        for item in items
        if item.version_id == round_.instrument_version_id and item.kind == Item.Kind.OPEN
    ]
    return summary


# --- Reminders -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """Someone who has not finished: only the fact, and how many of each part — never whom."""

    employee: Employee
    self_pending: bool
    peers: int
    team: int


def pending_list(*, user: Any, round_: Round) -> list[Pending]:
    """Who has not yet filled in their part of an open round, for those who manage the office."""
    if round_.is_closed:
        return []
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    people: dict[int, Employee] = {}
    for assignment in (
        scoped(user, Assignment.objects.filter(round=round_, done=False), "manage")
        .select_related("rater")
        .only("part", "rater")
    ):
        counts[assignment.rater_id][assignment.part] += 1
        people[assignment.rater_id] = assignment.rater
    return sorted(
        (
            Pending(
                employee=people[pk],
                self_pending=bool(c[Part.SELF]),
                peers=c[Part.PEER],
                team=c[Part.SUPERVISOR],
            )
            for pk, c in counts.items()
        ),
        key=lambda p: p.employee.name,
    )


def supervisor_assignments(*, user: Any, round_: Round) -> list[Assignment]:
    """The round's supervisor assignments (who assesses whom as their head), for the coordinator."""
    return list(
        scoped(user, Assignment.objects.filter(round=round_, part=Part.SUPERVISOR), "manage")
        .select_related("rater__unit", "subject__unit")
        .order_by("rater__name", "subject__name")
    )


def assignment_managed(*, user: Any, office: Office, assignment_id: int) -> Assignment | None:
    return (
        scoped(user, Assignment.objects.filter(round__office=office, pk=assignment_id), "manage")
        .select_related("round__office", "rater", "subject")
        .first()
    )


def action_managed(*, user: Any, office: Office, action_id: int) -> FollowUpAction | None:
    return scoped(user, FollowUpAction.objects.filter(office=office, pk=action_id), "manage").first()


def office_staff(*, user: Any, office: Office) -> QuerySet[Employee]:
    return scoped(user, Employee.objects.filter(office=office, is_active=True)).order_by("name")


def office_head(*, office: Office) -> Employee | None:
    """The head of the office for the report's signature block: an active employee outside any unit whose
    position is a head's (Kepala …, Inspektur, Camat, Direktur, Sekretaris Daerah)."""
    heads = ("Kepala", "Inspektur", "Camat", "Direktur", "Sekretaris Daerah")
    candidates = Employee.objects.filter(office=office, is_active=True, unit__isnull=True).order_by("pk")
    return next((e for e in candidates if e.position.startswith(heads)), None)


# --- Staff: filling in -----------------------------------------------------------------------------------


def _employee(user: Any) -> Employee | None:
    employee_id = access_for(user).employee_id
    if employee_id is None:
        return None
    return (
        scoped(user, Employee.objects.filter(pk=employee_id))
        .select_related("office__government", "unit")
        .first()
    )


def my_employee(*, user: Any) -> Employee | None:
    return _employee(user)


def my_assignments(*, user: Any, now: dt.datetime | None = None) -> list[Assignment]:
    """The user's assignments in rounds open now: themselves first, then colleagues, then their team."""
    now = now or timezone.now()
    employee_id = access_for(user).employee_id
    if employee_id is None:
        return []
    order = {Part.SELF: 0, Part.PEER: 1, Part.SUPERVISOR: 2}
    rows = (
        scoped(user, Assignment.objects.filter(rater_id=employee_id))
        .filter(round__opens_at__lte=now, round__closes_at__gt=now, round__closed_at__isnull=True)
        .select_related("subject__unit", "round__office__government")
    )
    return sorted(rows, key=lambda a: (a.round.week, order[Part(a.part)], a.subject.name))


def my_assignment(*, user: Any, assignment_id: int) -> Assignment | None:
    """One of the user's own assignments (never a colleague's: that would say whom they rate)."""
    employee_id = access_for(user).employee_id
    if employee_id is None:
        return None
    return (
        scoped(user, Assignment.objects.filter(pk=assignment_id, rater_id=employee_id))
        .select_related("subject__unit", "round__instrument_version", "round__office__government")
        .first()
    )


# --- Staff: their own results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MyWeek:
    week: str
    friday: dt.date
    self_score: Score
    peer_score: Score


@dataclass
class MyEvaluation:
    employee: Employee
    weeks: list[MyWeek] = field(default_factory=list)
    values: list[ValueInfo] = field(default_factory=list)
    latest: MyWeek | None = None
    latest_values: list[tuple[ValueInfo, Score, Score]] = field(default_factory=list)


def my_evaluation(*, user: Any, weeks: int = TREND_WEEKS) -> MyEvaluation | None:
    """The user's own self-assessment scores and, where at least three colleagues rated them, their peer
    scores, over the latest closed rounds of their office."""
    employee = _employee(user)
    if employee is None:
        return None
    now = timezone.now()
    rounds = list(
        scoped(user, Round.objects.filter(office=employee.office_id))
        .filter(Q(closed_at__isnull=False) | Q(closes_at__lte=now))
        .select_related("instrument_version")
        .order_by("-week")[:weeks]
    )
    rounds.reverse()
    # Responses about the user's own employee record (see the module docstring), and the done peer
    # assignments about them, to count their raters.
    about_me = Response.objects.filter(round__in=rounds, subject=employee, part__in=[Part.SELF, Part.PEER])
    raters = Assignment.objects.filter(round__in=rounds, subject=employee, part__in=[Part.SELF, Part.PEER])
    data, items = _load(user, rounds, responses=about_me, assignments=raters)
    result = MyEvaluation(employee=employee)
    for r in rounds:
        if not data[r.pk].assignments:
            continue  # not part of that round (joined later)
        result.weeks.append(
            MyWeek(
                r.week,
                r.friday,
                data[r.pk].score(Part.SELF, threshold=1),
                data[r.pk].score(Part.PEER),
            )
        )
    if result.weeks:
        latest = result.weeks[-1]
        latest_round = next(r for r in rounds if r.week == latest.week)
        result.latest = latest
        result.values = values_of(latest_round.instrument_version, items)
        result.latest_values = [
            (
                info,
                data[latest_round.pk].score(Part.SELF, info.code, threshold=1),
                data[latest_round.pk].score(Part.PEER, info.code),
            )
            for info in result.values
        ]
    return result


# --- Trends of an office -----------------------------------------------------------------------------------


@dataclass
class OfficeTrend:
    office: Office
    column: str
    weeks: list[Round] = field(default_factory=list)
    values: list[ValueInfo] = field(default_factory=list)
    scores: dict[str, list[Score]] = field(default_factory=dict)  # value code (and OVERALL) -> per week
    participation: list[tuple[int, int]] = field(default_factory=list)  # (done, expected), all parts


def office_trend(*, user: Any, office: Office, column: str = ALL, weeks: int = TREND_WEEKS) -> OfficeTrend:
    """Per value, the office's score over its latest closed rounds (one column: a part or all)."""
    now = timezone.now()
    rounds = list(
        scoped(user, Round.objects.filter(office=office))
        .filter(Q(closed_at__isnull=False) | Q(closes_at__lte=now))
        .select_related("instrument_version")
        .order_by("-week")[:weeks]
    )
    rounds.reverse()
    trend = OfficeTrend(office=office, column=column, weeks=rounds)
    if not rounds:
        return trend
    data, items = _load(user, rounds)
    # The values of the newest version, then any older value no longer asked.
    seen: dict[str, ValueInfo] = {}
    for r in reversed(rounds):
        for info in values_of(r.instrument_version, items):
            seen.setdefault(info.code, info)
    trend.values = list(seen.values())
    for code in [*seen, OVERALL]:
        trend.scores[code] = [data[r.pk].score(column, code) for r in rounds]
    trend.participation = [
        (sum(data[r.pk].done(p) for p in RATING_PARTS), sum(data[r.pk].expected(p) for p in RATING_PARTS))
        for r in rounds
    ]
    return trend


def rounds_of(*, user: Any, office: Office, limit: int = 52) -> list[Round]:
    return list(scoped(user, Round.objects.filter(office=office)).order_by("-week")[:limit])
