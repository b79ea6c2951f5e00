"""Attendance: leave requests, marks per gathering, check-in codes, follow-ups."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perjumpaan.org.models import Employee


class LeaveRequest(models.Model):
    """A staff member's request, made ahead of time, to be excused from gatherings on some days: izin,
    sakit (with an attachment), cuti or dinas luar. The coordinator approves or rejects it; approved
    requests mark those days in attendance and keep the person out of the kultum roster."""

    class Kind(models.TextChoices):
        IZIN = "I", _("Izin")
        SAKIT = "S", _("Sakit")
        CUTI = "C", _("Cuti")
        DINAS_LUAR = "DL", _("Dinas Luar")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu persetujuan")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")
        WITHDRAWN = "withdrawn", _("Dibatalkan")

    scope_office_field: ClassVar[str] = "employee__office"
    scope_owner_field: ClassVar[str | None] = "employee"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="leave_requests")
    kind = models.CharField(_("jenis"), max_length=2, choices=Kind.choices)
    start_date = models.DateField(_("dari tanggal"))
    end_date = models.DateField(_("sampai tanggal"))
    reason = models.TextField(_("alasan"))
    attachment = models.FileField(_("lampiran"), upload_to="izin/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("catatan keputusan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("permohonan izin")
        verbose_name_plural = _("permohonan izin")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")),
                name="leave_start_before_end",
                violation_error_message=_("Tanggal mulai harus sebelum atau sama dengan tanggal selesai."),
            )
        ]
        indexes = [models.Index(fields=["employee", "status", "start_date"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.kind} {self.start_date}–{self.end_date}"
