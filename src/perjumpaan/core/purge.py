"""Retention: personal and raw data older than the configured number of days is removed, aggregates stay.

`purge_run()` is what `perjumpaan purge` (daily, from cron) does; every step is a plain UPDATE or DELETE
of rows past their date, so running it twice, or on two servers at once, does no harm.

- SKM answer sheets (`service.SurveyResponse`), after PERJUMPAAN_SURVEY_RETENTION_DAYS (730): reduced to
  what the index needs. The nine element scores, office, service, date and channel stay, so every IKM
  (the aggregate) computes as before; the suggestion text, the respondent's profile (sex, age, education,
  occupation) and the ticket with its link to the service record are erased.
- Contacts of closed complaints (`service.Complaint.contact`), after the same: erased; the complaint, its
  category and its response times stay.
- The audit trail (`org.AuditEntry`), after PERJUMPAAN_AUDIT_RETENTION_DAYS (1825): deleted.
- Login records of django-axes (address, browser, username), after PERJUMPAAN_LOGIN_LOG_RETENTION_DAYS
  (90): deleted.
- Abandoned staff-import uploads (`org.StaffImportUpload`), after a day: deleted.
- Expired sessions: deleted (what Django's `clearsessions` does).

0 days means "keep for ever" for the first three.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

STAFF_UPLOAD_MAX_AGE = dt.timedelta(days=1)


@dataclass
class PurgeResult:
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _cutoff(now: dt.datetime, days: int) -> dt.datetime | None:
    return now - dt.timedelta(days=days) if days > 0 else None


@transaction.atomic
def purge_run(
    *,
    now: dt.datetime | None = None,
    survey_days: int | None = None,
    audit_days: int | None = None,
    login_days: int | None = None,
) -> PurgeResult:
    """Remove what is past its retention; the numbers of rows changed or deleted, by kind."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session

    from perjumpaan.org.models import AuditEntry, StaffImportUpload
    from perjumpaan.service.models import Complaint, SurveyResponse

    now = now or timezone.now()
    survey_days = settings.PERJUMPAAN_SURVEY_RETENTION_DAYS if survey_days is None else survey_days
    audit_days = settings.PERJUMPAAN_AUDIT_RETENTION_DAYS if audit_days is None else audit_days
    login_days = settings.PERJUMPAAN_LOGIN_LOG_RETENTION_DAYS if login_days is None else login_days
    result = PurgeResult()

    survey_before = _cutoff(now, survey_days)
    if survey_before is not None:
        raw = (
            ~Q(suggestion="")
            | ~Q(ticket="")
            | Q(ticket_date__isnull=False)
            | Q(record__isnull=False)
            | ~Q(sex="")
            | Q(age__isnull=False)
            | ~Q(education="")
            | ~Q(occupation="")
        )
        result.counts["survey_answers_reduced"] = (
            SurveyResponse.objects.filter(submitted_at__lt=survey_before)
            .filter(raw)
            .update(
                suggestion="",
                ticket="",
                ticket_date=None,
                record=None,
                sex="",
                age=None,
                education="",
                occupation="",
            )
        )
        result.counts["complaint_contacts_erased"] = (
            Complaint.objects.filter(closed_at__lt=survey_before).exclude(contact="").update(contact="")
        )

    audit_before = _cutoff(now, audit_days)
    if audit_before is not None:
        result.counts["audit_entries_deleted"] = AuditEntry.objects.filter(at__lt=audit_before).delete()[0]

    login_before = _cutoff(now, login_days)
    if login_before is not None:
        deleted = 0
        for model in (AccessLog, AccessFailureLog, AccessAttempt):
            deleted += model.objects.filter(attempt_time__lt=login_before).delete()[0]
        result.counts["login_records_deleted"] = deleted

    result.counts["staff_uploads_deleted"] = StaffImportUpload.objects.filter(
        created_at__lt=now - STAFF_UPLOAD_MAX_AGE
    ).delete()[0]
    result.counts["sessions_deleted"] = Session.objects.filter(expire_date__lt=now).delete()[0]
    return result
