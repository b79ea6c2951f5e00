"""API of the Friday evaluation: an office's week as aggregates (the same rule of three as the pages),
and staff filling in from a phone (their open assignments; one submission per person assessed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from perjumpaan.api.schemas import ErrorOut
from perjumpaan.core.scoping import access_for
from perjumpaan.evaluation import selectors, services
from perjumpaan.evaluation.scores import THRESHOLD, Score
from perjumpaan.evaluation.weeks import parse_week
from perjumpaan.org import selectors as org_selectors
from perjumpaan.org.models import Employee

router = Router(tags=["evaluation"])


class ScoreOut(Schema):
    """A group's score: `mean` (1–5) is null when there is nothing, or when it is withheld (`withheld`:
    fewer than three raters)."""

    mean: float | None
    responses: int
    raters: int
    withheld: bool


class ParticipationOut(Schema):
    part: str
    label: str
    done: int
    expected: int


class ValueOut(Schema):
    code: str
    name: str
    group: str
    scores: dict[str, ScoreOut]
    previous: ScoreOut | None


class UnitOut(Schema):
    label: str
    subjects: int
    raters: int
    score: ScoreOut
    merged: bool


class OpenQuestionOut(Schema):
    code: str
    question: str
    answers: list[str]


class NarrativeOut(Schema):
    author: str
    text: str


class FollowUpOut(Schema):
    id: int
    text: str
    owner: str | None
    due_on: dt.date | None
    status: str
    status_label: str
    week_opened: str
    week_closed: str


class AttendanceOut(Schema):
    expected: int
    present: int
    excused: int
    rate_percent: float | None
    counts: dict[str, int]


class RoundOut(Schema):
    week: str
    friday: dt.date
    opens_at: dt.datetime
    closes_at: dt.datetime
    closed: bool
    instrument_version: int


class EvaluationOut(Schema):
    office: str
    week: str
    threshold: int
    round: RoundOut | None
    participation: list[ParticipationOut]
    overall: dict[str, ScoreOut]
    values: list[ValueOut]
    units: list[UnitOut]
    open_questions: list[OpenQuestionOut]
    narratives: list[NarrativeOut]
    attendance: AttendanceOut | None
    follow_ups: list[FollowUpOut]


def _score(score: Score) -> ScoreOut:
    return ScoreOut(
        mean=round(float(score.mean), 4) if score.mean is not None else None,
        responses=score.responses,
        raters=score.raters,
        withheld=score.withheld,
    )


@router.get(
    "/offices/{code}/evaluation",
    response={200: EvaluationOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Evaluasi Jumat satu pekan (agregat)",
)
def office_evaluation(request: HttpRequest, code: str, week: str) -> Any:
    """The week's evaluation of an office: participation, scores (averages over at least three raters,
    after the round closes), the open answers without names, attendance and follow-up actions. Never an
    individual response, never a rater."""
    office = org_selectors.office_list(user=request.user).filter(code=code.upper()).first()
    if office is None or not selectors.summary_readable(user=request.user, office=office):
        raise Http404
    parsed = parse_week(week)
    if parsed is None:
        from perjumpaan.api.api import error_response

        errors = [{"loc": ["query", "week"], "type": "value_error", "msg": _(services.BAD_WEEK)}]
        return error_response(request, 422, _("Data yang dikirim tidak valid."), errors)
    summary = selectors.week_summary(user=request.user, office=office, week=parsed)
    round_ = summary.round
    attendance = summary.attendance
    return EvaluationOut(
        office=office.code,
        week=parsed,
        threshold=THRESHOLD,
        round=RoundOut(
            week=round_.week,
            friday=round_.friday,
            opens_at=round_.opens_at,
            closes_at=round_.closes_at,
            closed=round_.is_closed,
            instrument_version=round_.instrument_version.number,
        )
        if round_
        else None,
        participation=[
            ParticipationOut(part=p.part, label=p.label, done=p.done, expected=p.expected)
            for p in summary.participation
        ],
        overall={column: _score(score) for column, score in summary.overall.items()},
        values=[
            ValueOut(
                code=row.info.code,
                name=row.info.name,
                group=row.info.group,
                scores={column: _score(score) for column, score in row.scores.items()},
                previous=_score(row.previous) if row.previous else None,
            )
            for row in summary.values
        ],
        units=[
            UnitOut(
                label=u.label, subjects=u.subjects, raters=u.raters, score=_score(u.score), merged=u.merged
            )
            for u in summary.units
        ],
        open_questions=[
            OpenQuestionOut(code=q.code, question=q.question, answers=q.answers)
            for q in summary.open_questions
        ],
        narratives=[
            NarrativeOut(author=n.author.get_full_name() or n.author.get_username(), text=n.text)
            for n in summary.narratives
        ],
        attendance=AttendanceOut(
            expected=attendance.expected,
            present=attendance.present,
            excused=attendance.excused,
            rate_percent=round(attendance.rate_percent, 2) if attendance.rate_percent is not None else None,
            counts=attendance.counts,
        )
        if attendance
        else None,
        follow_ups=[
            FollowUpOut(
                id=a.pk,
                text=a.text,
                owner=a.owner.name if a.owner else None,
                due_on=a.due_on,
                status=a.status,
                status_label=a.get_status_display(),
                week_opened=a.week_opened,
                week_closed=a.week_closed,
            )
            for a in summary.actions
        ],
    )


# --- Staff filling in from a phone ----------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    kind: str
    value_code: str
    value_name: str
    text: str


class AssignmentOut(Schema):
    id: int
    week: str
    part: str
    part_label: str
    subject: str
    done: bool
    closes_at: dt.datetime
    scale_labels: list[str]
    items: list[ItemOut]


class AnswerIn(Schema):
    item_id: int
    score: int | None = Field(default=None, description="1–5, for a scale item")
    text: str | None = Field(
        default=None, max_length=services.OPEN_TEXT_LIMIT, description="for an open item"
    )


class ResponseIn(Schema):
    assignment_id: int
    answers: list[AnswerIn] = Field(max_length=200)


class ResponseOut(Schema):
    assignment_id: int
    done: bool
    remaining: int


def _employee(request: HttpRequest) -> Employee:
    access = access_for(request.user)
    employee = (
        Employee.objects.filter(pk=access.employee_id, is_active=True).first() if access.employee_id else None
    )
    if employee is None:
        raise HttpError(403, _(services.NOT_STAFF))
    return employee


@router.get(
    "/evaluation/assignments",
    response={200: list[AssignmentOut], 401: ErrorOut, 403: ErrorOut},
    summary="Penilaian saya yang terbuka",
)
def my_assignments(request: HttpRequest) -> list[AssignmentOut]:
    """The caller's assessments in rounds open now, each with the items to answer."""
    _employee(request)
    out = []
    for assignment in selectors.my_assignments(user=request.user):
        version = assignment.round.instrument_version
        items = services.items_for(version=version, part=assignment.part)
        out.append(
            AssignmentOut(
                id=assignment.pk,
                week=assignment.round.week,
                part=assignment.part,
                part_label=assignment.get_part_display(),
                subject=assignment.subject.name,
                done=assignment.done,
                closes_at=assignment.round.closes_at,
                scale_labels=list(version.scale_labels),
                items=[
                    ItemOut(
                        id=i.pk,
                        kind=i.kind,
                        value_code=i.value_code,
                        value_name=i.value_name,
                        text=i.text,
                    )
                    for i in items
                ],
            )
        )
    return out


@router.post(
    "/evaluation/responses",
    response={201: ResponseOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Kirim satu penilaian",
)
def response_create(request: HttpRequest, payload: ResponseIn) -> Status[ResponseOut] | HttpResponse:
    """Submit the caller's assessment for one of their assignments: a score 1–5 for every scale item of
    the part (open answers optional). A submitted assessment cannot be changed (409)."""
    employee = _employee(request)
    scores: dict[int, Any] = {}
    texts: dict[int, str] = {}
    for answer in payload.answers:
        if answer.score is not None:
            scores[answer.item_id] = answer.score
        if answer.text is not None:
            texts[answer.item_id] = answer.text
    try:
        services.response_submit(
            employee=employee, assignment_id=payload.assignment_id, scores=scores, texts=texts
        )
    except services.EvaluationError as exc:
        from perjumpaan.api.api import error_response

        status = 409 if str(exc) == _(services.ALREADY_DONE) else 400
        errors = [
            {"loc": ["body", "answers", str(item_id)], "type": "value_error", "msg": message}
            for item_id, message in exc.errors.items()
        ]
        return error_response(request, status, str(exc), errors)
    remaining = sum(1 for a in selectors.my_assignments(user=request.user) if not a.done)
    return Status(201, ResponseOut(assignment_id=payload.assignment_id, done=True, remaining=remaining))
