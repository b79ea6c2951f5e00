"""An ODOJ group in DUKCAPIL for the tests: six members who began on Wednesday 25 November 2026."""

from __future__ import annotations

import datetime as dt

from perjumpaan.org.models import Employee, Office, User
from perjumpaan.tadarus.models import GroupMember, ReadingGroup, ReadingReport
from perjumpaan.tadarus.odoj import ledger, own_part
from tests.base import make_employee

GROUP_START = dt.date(2026, 11, 25)


def staff_login(office: Office, username: str, name: str) -> tuple[User, Employee]:
    user = User.objects.create_user(username=username, password="rahasia-uji-123")
    return user, make_employee(office, name=name, user=user, track="islam")


def make_group(
    office: Office, coordinator: Employee, members: list[Employee], *, shared: bool = False
) -> ReadingGroup:
    group = ReadingGroup.objects.create(
        office=office,
        name="ODOJ Uji",
        coordinator=coordinator,
        started_on=GROUP_START,
        show_members_progress=shared,
    )
    for place, employee in enumerate(members, 1):
        GroupMember.objects.create(group=group, employee=employee, join_order=place, joined_on=GROUP_START)
    return group


def everyone_reads(group: ReadingGroup, day: dt.date, *, except_members: tuple[int, ...] = ()) -> None:
    """Every member reports their own piece of `day` as read (except those listed, by member id)."""
    today = ledger(group, day, since=day).day(day)
    assert today is not None
    members = {m.pk: m for m in GroupMember.objects.filter(group=group)}
    for assignment in today.assignments:
        if assignment.key in except_members:
            continue
        member = members[assignment.key]
        ReadingReport.objects.create(
            member=member, date=day, juz=assignment.juz, part=own_part(member.tier), done=True
        )
