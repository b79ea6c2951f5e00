"""The impact app's one table: each office's targets (*sasaran*), shown as progress on the dashboard.

Everything else the dashboard shows is read from the maintained aggregates (`perjumpaan.rollup`).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perjumpaan.org.models import Office


class OfficeTarget(models.Model):
    """The *sasaran* an office sets itself: the attendance rate at the daily gathering, the IKM of its
    public service, the median waiting time at its counter and the share of evaluation follow-ups closed.
    Any target may be left empty (an office without a counter has no waiting time). Set by the office's
    coordinator or the programme admin."""

    scope_office_field: ClassVar[str] = "office"

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="target")
    attendance_rate = models.DecimalField(
        _("kehadiran (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    ikm = models.DecimalField(
        _("IKM"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(25), MaxValueValidator(100)],
    )
    wait_minutes = models.DecimalField(
        _("waktu tunggu rata-rata paling lama (menit)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1440)],
    )
    followups_closed = models.DecimalField(
        _("tindak lanjut selesai (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("sasaran kantor")
        verbose_name_plural = _("sasaran kantor")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_rate__isnull=True)
                | Q(attendance_rate__gte=0, attendance_rate__lte=100),
                name="target_attendance_percent",
                violation_error_message=_("Sasaran kehadiran harus antara 0 dan 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(ikm__isnull=True) | Q(ikm__gte=25, ikm__lte=100),
                name="target_ikm_range",
                violation_error_message=_("Sasaran IKM harus antara 25 dan 100."),
            ),
            models.CheckConstraint(
                condition=Q(wait_minutes__isnull=True) | Q(wait_minutes__gte=0),
                name="target_wait_nonnegative",
                violation_error_message=_("Sasaran waktu tunggu tidak boleh negatif."),
            ),
            models.CheckConstraint(
                condition=Q(followups_closed__isnull=True)
                | Q(followups_closed__gte=0, followups_closed__lte=100),
                name="target_followups_percent",
                violation_error_message=_("Sasaran tindak lanjut selesai harus antara 0 dan 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.code}"
