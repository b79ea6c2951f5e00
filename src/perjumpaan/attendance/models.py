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


class Status(models.TextChoices):
    """Attendance status codes of a gathering."""

    HADIR = "H", _("Hadir")
    TERLAMBAT = "T", _("Terlambat")
    IZIN = "I", _("Izin")
    SAKIT = "S", _("Sakit")
    CUTI = "C", _("Cuti")
    DINAS_LUAR = "DL", _("Dinas Luar")
    TANPA_KETERANGAN = "TK", _("Tanpa Keterangan")


PRESENT = frozenset({Status.HADIR, Status.TERLAMBAT})


class AttendancePolicy(models.Model):
    """An office's attendance rules. They are copied onto each gathering when it is scheduled (the
    gathering's rules are frozen), so changing them at 10:00 cannot turn a morning's marks late."""

    class LocationMode(models.TextChoices):
        OFF = "off", _("Tidak dipakai")
        FLAG = "flag", _("Tandai bila di luar radius")
        REQUIRE = "require", _("Wajib di dalam radius")

    scope_office_field: ClassVar[str] = "office"

    office = models.OneToOneField(
        "org.Office",
        on_delete=models.CASCADE,
        related_name="attendance_policy",
        verbose_name=_("perangkat daerah"),
    )
    grace_minutes = models.PositiveSmallIntegerField(_("toleransi terlambat (menit)"), default=10)
    opens_before_minutes = models.PositiveSmallIntegerField(
        _("presensi dibuka sebelum mulai (menit)"), default=15
    )
    code_seconds = models.PositiveSmallIntegerField(_("kode QR berganti setiap (detik)"), default=15)
    location_mode = models.CharField(
        _("lokasi ponsel"), max_length=10, choices=LocationMode.choices, default=LocationMode.OFF
    )
    radius_m = models.PositiveIntegerField(_("radius (meter)"), default=150)
    networks = models.CharField(
        _("jaringan kantor (CIDR, dipisah koma)"),
        max_length=300,
        blank=True,
        help_text=_("Misalnya 103.10.20.0/24. Presensi dari luar jaringan ini ditandai."),
    )
    absence_streak = models.PositiveSmallIntegerField(
        _("tindak lanjut setelah absen berturut-turut"), default=3
    )

    class Meta:
        verbose_name = _("aturan presensi")
        verbose_name_plural = _("aturan presensi")
        constraints = [
            models.CheckConstraint(
                condition=Q(code_seconds__gte=5) & Q(code_seconds__lte=300),
                name="policy_code_seconds_range",
                violation_error_message=_("Pergantian kode harus antara 5 dan 300 detik."),
            ),
            models.CheckConstraint(
                condition=Q(grace_minutes__lte=120) & Q(opens_before_minutes__lte=120),
                name="policy_minutes_range",
                violation_error_message=_("Toleransi dan waktu buka paling lama 120 menit."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.office)


class GatheringRules(models.Model):
    """The attendance rules frozen onto one gathering when it was scheduled."""

    scope_office_field: ClassVar[str] = "gathering__office"

    gathering = models.OneToOneField("program.Gathering", on_delete=models.CASCADE, related_name="rules")
    grace_minutes = models.PositiveSmallIntegerField()
    opens_before_minutes = models.PositiveSmallIntegerField()
    code_seconds = models.PositiveSmallIntegerField()
    location_mode = models.CharField(max_length=10, choices=AttendancePolicy.LocationMode.choices)
    radius_m = models.PositiveIntegerField()
    networks = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("aturan presensi perjumpaan")
        verbose_name_plural = _("aturan presensi perjumpaan")

    def __str__(self) -> str:
        return f"{self.gathering_id}"


class Attendance(models.Model):
    """A kehadiran mark: one employee's status at one gathering, with how it was made.

    One mark per employee per gathering (a database constraint), so a repeated or concurrent check-in can
    never count twice. The device, network address, location and code age are kept as signals for the
    coordinator, who judges them: people share phones honestly too."""

    class Source(models.TextChoices):
        QR = "qr", _("Pindai kode QR")
        ROLL_CALL = "rollcall", _("Presensi manual")
        LEAVE = "leave", _("Izin disetujui")
        CLOSE = "close", _("Ditutup tanpa keterangan")

    scope_office_field: ClassVar[str] = "gathering__office"
    scope_owner_field: ClassVar[str | None] = "employee"

    gathering = models.ForeignKey("program.Gathering", on_delete=models.CASCADE, related_name="marks")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="marks")
    status = models.CharField(_("status"), max_length=2, choices=Status.choices)
    source = models.CharField(_("cara"), max_length=10, choices=Source.choices)
    marked_at = models.DateTimeField(default=timezone.now)
    device = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    flags = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "employee"],
                name="attendance_one_mark_per_gathering",
                violation_error_message=_("Pegawai ini sudah tercatat pada perjumpaan tersebut."),
            )
        ]
        indexes = [
            models.Index(fields=["employee", "gathering"]),
            models.Index(fields=["gathering", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.gathering_id}/{self.employee_id}: {self.status}"


class FollowUp(models.Model):
    """A personal follow-up with someone absent without leave several gatherings in a row: who talked to
    them, when, and what was agreed. A pastoral step, never an automatic penalty."""

    scope_office_field: ClassVar[str] = "employee__office"
    # Personal: colleagues and facilitators must not read who is being followed up, or what was agreed.
    scope_owner_field: ClassVar[str | None] = "employee"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="follow_ups")
    opened_at = models.DateTimeField(default=timezone.now)
    streak = models.PositiveSmallIntegerField(_("absen berturut-turut"))
    talked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    talked_on = models.DateField(_("tanggal pembicaraan"), null=True, blank=True)
    agreement = models.TextField(_("kesepakatan"), blank=True)
    closed = models.BooleanField(_("selesai"), default=False)

    class Meta:
        verbose_name = _("tindak lanjut kehadiran")
        verbose_name_plural = _("tindak lanjut kehadiran")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.employee} ({self.streak})"
