"""Governments, offices, units, employees, user accounts and their roles."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Staff log in with their NIP as well as their username (see `UsernameOrNipBackend`).

    Demo accounts are created by `perjumpaan demo` and refused whenever PERJUMPAAN_DEBUG is off, so a
    production system that was once shown with demo data never keeps a known password.
    """

    is_demo = models.BooleanField(_("akun demo"), default=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")


class Government(models.Model):
    """A Pemerintah Daerah (Pemda): a regency, city or province running the programme.

    One deployment may host several governments (a province running it for its regencies); everything an
    office owns belongs to exactly one government.
    """

    name = models.CharField(_("nama"), max_length=200)
    slug = models.SlugField(_("kode"), max_length=60, unique=True)
    time_zone = models.CharField(_("zona waktu"), max_length=60, default="Asia/Makassar")
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.TextField(_("alamat kop surat"), blank=True)

    class Meta:
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def logo_svg(self) -> str | None:
        """The letterhead logo as SVG text wrapping the PNG (the form the PDF letterhead takes pictures
        in), or None. One query: the picture lives in `GovernmentLogo`."""
        if self.pk is None:
            return None  # not saved, so no logo (and no query)
        png = GovernmentLogo.objects.filter(government_id=self.pk).values_list("png", flat=True).first()
        if not png:
            return None
        from perjumpaan.org.setup import logo_as_svg

        return logo_as_svg(bytes(png))


class GovernmentLogo(models.Model):
    """A government's emblem for its letterhead (kop surat), printed on every PDF.

    Stored as a PNG re-encoded by `org.setup.logo_png` (never the uploaded bytes), in the database so that
    backups and every app server have it, and in a table of its own so that the many queries joining a
    government never carry the picture.
    """

    government = models.OneToOneField(
        Government, on_delete=models.CASCADE, primary_key=True, related_name="letterhead_logo"
    )
    png = models.BinaryField(_("logo (PNG)"))

    class Meta:
        verbose_name = _("logo kop surat")
        verbose_name_plural = _("logo kop surat")

    def __str__(self) -> str:
        return str(self.government)


class Office(models.Model):
    """An OPD (organisasi perangkat daerah): a dinas, badan, kecamatan or secretariat of a government.

    The programme is run per office; its short `code` (DUKCAPIL, PUPR) is unique within its government and
    is what coordinators type in commands and URLs.
    """

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        KECAMATAN = "kecamatan", _("Kecamatan")
        RSUD = "rsud", _("Rumah Sakit Daerah")
        OTHER = "lainnya", _("Lainnya")

    # Scoping: an office is its own office.
    scope_office_field: ClassVar[str] = "pk"

    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="offices")
    code = models.CharField(
        _("kode"),
        max_length=20,
        help_text=_("Huruf besar tanpa spasi, misalnya DUKCAPIL."),
    )
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.DINAS)
    address = models.TextField(_("alamat"), blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")
        ordering = ["government", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "code"],
                name="office_code_unique_per_government",
                violation_error_message=_("Kode perangkat daerah ini sudah dipakai."),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z0-9_]+$"),
                name="office_code_upper",
                violation_error_message=_("Kode hanya boleh berisi huruf besar, angka dan garis bawah."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A bidang, seksi or subbagian inside an office."""

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("nama"), max_length=200)

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"],
                name="unit_name_unique_per_office",
                violation_error_message=_("Unit kerja dengan nama ini sudah ada."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """A pegawai: a civil servant (PNS) or contract civil servant (PPPK), identified by NIP.

    Employees who leave are deactivated, never deleted, because their attendance and evaluations stay in
    the office's history.
    """

    class Gender(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Status(models.TextChoices):
        PNS = "PNS", _("PNS")
        PPPK = "PPPK", _("PPPK")

    class Track(models.TextChoices):
        """The faith track of the gatherings a person joins; nobody is put in another faith's track."""

        ISLAM = "islam", _("Islam")
        KRISTEN = "kristen", _("Kristen")
        KATOLIK = "katolik", _("Katolik")
        HINDU = "hindu", _("Hindu")
        BUDDHA = "buddha", _("Buddha")
        KONGHUCU = "konghucu", _("Konghucu")

    scope_office_field: ClassVar[str] = "office"
    # Staff see only their own employee record.
    scope_owner_field: ClassVar[str | None] = "pk"

    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="employees")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="employees")
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="employees")
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="employee"
    )
    nip = models.CharField(_("NIP"), max_length=18)
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    status = models.CharField(_("status"), max_length=4, choices=Status.choices, default=Status.PNS)
    phone = models.CharField(_("no HP"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    track = models.CharField(_("jalur kegiatan"), max_length=10, choices=Track.choices, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "nip"],
                name="employee_nip_unique_per_government",
                violation_error_message=_("NIP ini sudah terdaftar."),
            ),
            models.CheckConstraint(
                condition=Q(nip__regex=r"^[0-9]{18}$"),
                name="employee_nip_18_digits",
                violation_error_message=_("NIP harus 18 digit angka."),
            ),
        ]
        indexes = [models.Index(fields=["office", "is_active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"


class Role(models.Model):
    """What a user may do, and where.

    Programme admins and leadership act across their government (`office` empty); coordinators and
    facilitators act in one office per role row (a person can coordinate two offices with two rows). Staff
    need no role row: being an active employee linked to the user is what makes someone staff.
    """

    class Kind(models.TextChoices):
        ADMIN = "admin", _("Admin program")
        LEADERSHIP = "leadership", _("Pimpinan")
        COORDINATOR = "coordinator", _("Koordinator")
        FACILITATOR = "facilitator", _("Fasilitator")

    GOVERNMENT_WIDE: ClassVar[frozenset[str]] = frozenset({Kind.ADMIN, Kind.LEADERSHIP})

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("peran"), max_length=20, choices=Kind.choices)
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="roles")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, null=True, blank=True, related_name="roles")

    class Meta:
        verbose_name = _("peran")
        verbose_name_plural = _("peran")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "government", "office"],
                name="role_unique",
                violation_error_message=_("Peran ini sudah diberikan."),
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=["admin", "leadership"]) & Q(office__isnull=True))
                | (Q(kind__in=["coordinator", "facilitator"]) & Q(office__isnull=False)),
                name="role_office_matches_kind",
                violation_error_message=_(
                    "Admin dan pimpinan berlaku untuk seluruh pemda; koordinator dan fasilitator untuk satu "
                    "perangkat daerah."
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.office.code if self.office else self.government.name
        return f"{self.user} · {self.get_kind_display()} · {where}"


class ApiToken(models.Model):
    """A bearer token for phones and machines. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("nama"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.user} · {self.name or self.pk}"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class AuditEntry(models.Model):
    """One change made after the fact: who, when, what object, old value → new value, and why.

    Append-only: nothing in the interface edits or deletes entries. It lives in `org` because every other
    app depends on `org`; `perjumpaan.core.audit` is the one way to write it.
    """

    scope_office_field: ClassVar[str] = "office"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


# --- Staff import ------------------------------------------------------------------------------------


class StaffImportUpload(models.Model):
    """A staff file uploaded on an office's import page, kept between its preview and its confirmation.

    The preview shows what importing the file would do; confirming imports these same bytes, so what is
    written is exactly what was shown. Deleted once confirmed, and dropped after a day if abandoned.
    """

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("nama berkas"), max_length=255)
    content = models.BinaryField(_("isi berkas"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("unggahan impor pegawai")
        verbose_name_plural = _("unggahan impor pegawai")

    def __str__(self) -> str:
        return f"{self.office.code} · {self.filename}"
