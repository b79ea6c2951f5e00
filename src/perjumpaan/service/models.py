"""Public-service outcomes: the service catalogue, service records, the SKM survey, the improvement plan and
complaints. What the programme is meant to improve is measured here."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perjumpaan.org.models import Employee, Office
from perjumpaan.service.ikm import WEIGHTS
from perjumpaan.service.skm import ELEMENT_CODES


class Service(models.Model):
    """A *jenis layanan*: one kind of public service an office gives citizens (KTP-el, Kartu Keluarga,
    Akta Kelahiran…). The office's catalogue; service records, survey answers and complaints name the
    service they are about. A service no longer offered is made inactive, never deleted, because its
    records stay in the office's history."""

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="services")
    code = models.CharField(
        _("kode"), max_length=30, help_text=_("Huruf besar, angka, - atau _, misalnya KTP-EL.")
    )
    name = models.CharField(_("nama layanan"), max_length=200)
    active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("jenis layanan")
        verbose_name_plural = _("jenis layanan")
        ordering = ["office", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "code"],
                name="service_code_unique_per_office",
                violation_error_message=_("Kode layanan ini sudah dipakai di perangkat daerah ini."),
            ),
            models.UniqueConstraint(
                fields=["office", "name"],
                name="service_name_unique_per_office",
                violation_error_message=_("Nama layanan ini sudah ada di perangkat daerah ini."),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z0-9][A-Z0-9_-]*$"),
                name="service_code_format",
                violation_error_message=_(
                    "Kode layanan hanya boleh berisi huruf besar, angka, tanda - dan garis bawah."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceRecord(models.Model):
    """A *transaksi layanan*: one citizen served at an office's counter, as the queue machine records it —
    the ticket (nomor antrian), when the citizen arrived, was called and was done, at which counter, by
    whom, and the result. It holds nothing about the citizen: no NIK, no name.

    A ticket number is unique per office and day; importing or pushing the same ticket again updates the
    record instead of adding one. `date` is the local date of the arrival in the government's zone.
    """

    class Result(models.TextChoices):
        DONE = "selesai", _("Selesai")
        POSTPONED = "ditunda", _("Ditunda")
        REFUSED = "ditolak", _("Ditolak")

    class Source(models.TextChoices):
        IMPORT = "impor", _("Impor berkas mesin antrian")
        MACHINE = "mesin", _("Kiriman mesin antrian (API)")
        COUNTER = "loket", _("Dicatat di loket")
        DEMO = "demo", _("Data demo")

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="service_records")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="records")
    date = models.DateField(_("tanggal"))
    ticket = models.CharField(_("nomor antrian"), max_length=30)
    arrival = models.DateTimeField(_("jam datang"))
    called = models.DateTimeField(_("jam dipanggil"), null=True, blank=True)
    finished = models.DateTimeField(_("jam selesai"), null=True, blank=True)
    counter = models.CharField(_("loket"), max_length=30, blank=True)
    officer = models.ForeignKey(
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_records",
        verbose_name=_("petugas"),
    )
    result = models.CharField(_("hasil"), max_length=10, choices=Result.choices)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.IMPORT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("catatan layanan")
        verbose_name_plural = _("catatan layanan")
        ordering = ["office", "-date", "arrival"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "date", "ticket"],
                name="service_record_ticket_unique",
                violation_error_message=_("Nomor antrian ini sudah tercatat pada tanggal itu."),
            ),
            models.CheckConstraint(
                condition=Q(called__isnull=True) | Q(called__gte=F("arrival")),
                name="service_record_called_after_arrival",
                violation_error_message=_("Jam dipanggil tidak boleh lebih awal dari jam datang."),
            ),
            models.CheckConstraint(
                condition=Q(finished__isnull=True) | (Q(called__isnull=False) & Q(finished__gte=F("called"))),
                name="service_record_finished_after_called",
                violation_error_message=_(
                    "Jam selesai harus sesudah jam dipanggil (dan jam dipanggil harus diisi)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(result="selesai") | Q(finished__isnull=False),
                name="service_record_done_has_finish",
                violation_error_message=_("Layanan yang selesai harus punya jam selesai."),
            ),
        ]
        indexes = [
            models.Index(fields=["office", "date"]),
            models.Index(fields=["service", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.ticket}"


class ServiceImportMapping(models.Model):
    """How one kind of queue-machine export reads: which of the file's headers holds each of our fields
    (`mapping`, e.g. {"ticket": "No. Antrian", "arrival": "Jam Datang"}), how its dates and times are
    written, and optionally how its values translate (`value_map`, e.g. {"service": {"Rekam KTP":
    "KTP-EL"}, "result": {"Lewat": "ditunda"}}). Saved per office under a name, so the same export is
    imported the same way every month."""

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="service_import_mappings")
    name = models.CharField(_("nama"), max_length=60)
    mapping = models.JSONField(_("kolom"), default=dict, blank=True)
    value_map = models.JSONField(_("terjemahan nilai"), default=dict, blank=True)
    date_format = models.CharField(
        _("format tanggal"), max_length=40, blank=True, help_text=_("Misalnya %d/%m/%Y. Kosong: dikenali.")
    )
    time_format = models.CharField(
        _("format jam"), max_length=40, blank=True, help_text=_("Misalnya %H.%M. Kosong: dikenali.")
    )

    class Meta:
        verbose_name = _("pemetaan impor layanan")
        verbose_name_plural = _("pemetaan impor layanan")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"],
                name="service_import_mapping_name_unique",
                violation_error_message=_("Pemetaan dengan nama ini sudah ada."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from perjumpaan.service.records_table import mapping_problems

        problems = mapping_problems(self.mapping, self.value_map)
        if problems:
            from django.core.exceptions import ValidationError

            raise ValidationError(problems)


class SurveySettings(models.Model):
    """An office's settings for its SKM: the weight its IKM is computed with. The regulation's weight is
    exactly 1/9; an office that published figures computed with 0,111 or 0,11 may choose that weight so
    the new figures compare with the old. Every result states the weight used."""

    class Weight(models.TextChoices):
        EXACT = "exact", _("1/9 tepat (sesuai peraturan)")
        W0111 = "0.111", _("0,111 (dibulatkan, seperti laporan lama)")
        W011 = "0.11", _("0,11 (dibulatkan, seperti laporan lama)")

    scope_office_field: ClassVar[str] = "office"

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="survey_settings")
    ikm_weight = models.CharField(
        _("bobot unsur IKM"), max_length=8, choices=Weight.choices, default=Weight.EXACT
    )

    class Meta:
        verbose_name = _("pengaturan SKM")
        verbose_name_plural = _("pengaturan SKM")
        constraints = [
            models.CheckConstraint(
                condition=Q(ikm_weight__in=list(WEIGHTS)),
                name="survey_settings_weight_known",
                violation_error_message=_("Bobot IKM tidak dikenal."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.office.code} · {self.ikm_weight}"


def _answer_constraints() -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{code.lower()}__isnull": True}) | Q(**{f"{code.lower()}__range": (1, 4)}),
            name=f"survey_response_{code.lower()}_1_to_4",
            violation_error_message=_("Jawaban unsur harus 1, 2, 3 atau 4."),
        )
        for code in ELEMENT_CODES
    ]


class SurveyResponse(models.Model):
    """One citizen's answer sheet of the SKM (Survei Kepuasan Masyarakat, PermenPANRB 14/2017): the nine
    elements U1..U9 rated 1–4 (empty: not answered), the respondent profile the regulation's sample form
    asks (sex, age, education, occupation — all optional), the service received and suggestions.

    Anonymous: no name, no NIK, no contact. A ticket number, when given, links the answer to its service
    record and allows only one answer per ticket and day.
    """

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Education(models.TextChoices):
        SD = "SD", _("SD")
        SMP = "SMP", _("SMP")
        SMA = "SMA", _("SMA")
        S1 = "S1", _("S1")
        S2 = "S2", _("S2")
        S3 = "S3", _("S3")

    class Occupation(models.TextChoices):
        PNS = "PNS", _("PNS")
        TNI = "TNI", _("TNI")
        POLRI = "POLRI", _("POLRI")
        SWASTA = "SWASTA", _("Swasta")
        WIRAUSAHA = "WIRAUSAHA", _("Wirausaha")
        LAINNYA = "LAINNYA", _("Lainnya")

    class Channel(models.TextChoices):
        PHONE = "qr", _("Ponsel (kode QR)")
        KIOSK = "kiosk", _("Tablet kios")
        DEMO = "demo", _("Data demo")

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="survey_responses")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="survey_responses"
    )
    ticket = models.CharField(_("nomor antrian"), max_length=30, blank=True)
    ticket_date = models.DateField(_("tanggal antrian"), null=True, blank=True)
    record = models.ForeignKey(
        ServiceRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_responses"
    )
    u1 = models.PositiveSmallIntegerField(null=True, blank=True)
    u2 = models.PositiveSmallIntegerField(null=True, blank=True)
    u3 = models.PositiveSmallIntegerField(null=True, blank=True)
    u4 = models.PositiveSmallIntegerField(null=True, blank=True)
    u5 = models.PositiveSmallIntegerField(null=True, blank=True)
    u6 = models.PositiveSmallIntegerField(null=True, blank=True)
    u7 = models.PositiveSmallIntegerField(null=True, blank=True)
    u8 = models.PositiveSmallIntegerField(null=True, blank=True)
    u9 = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("umur"), null=True, blank=True)
    education = models.CharField(_("pendidikan"), max_length=4, choices=Education.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=10, choices=Occupation.choices, blank=True)
    suggestion = models.TextField(_("saran"), max_length=2000, blank=True)
    channel = models.CharField(_("saluran"), max_length=8, choices=Channel.choices, default=Channel.PHONE)
    submitted_at = models.DateTimeField(_("waktu pengisian"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("jawaban SKM")
        verbose_name_plural = _("jawaban SKM")
        ordering = ["office", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "ticket_date", "ticket"],
                condition=~Q(ticket=""),
                name="survey_response_one_per_ticket",
                violation_error_message=_("Nomor antrian ini sudah dipakai untuk mengisi survei."),
            ),
            models.CheckConstraint(
                condition=Q(ticket="") | Q(ticket_date__isnull=False),
                name="survey_response_ticket_has_date",
                violation_error_message=_("Nomor antrian harus disertai tanggalnya."),
            ),
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age__range=(10, 120)),
                name="survey_response_age_range",
                violation_error_message=_("Umur harus antara 10 dan 120 tahun."),
            ),
            *_answer_constraints(),
        ]
        indexes = [models.Index(fields=["office", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.office_id} · {self.submitted_at:%Y-%m-%d %H:%M}"

    def answers(self) -> dict[str, int | None]:
        return {code: getattr(self, code.lower()) for code in ELEMENT_CODES}


class ImprovementAction(models.Model):
    """A *rencana tindak lanjut* (RTL): what an office will do about one of its weakest SKM elements in a
    period — the action, who owns it, by when — tracked until it is done. The regulation asks units to
    follow up the survey; the coordinator's page proposes the three lowest elements."""

    class Status(models.TextChoices):
        PLANNED = "rencana", _("Direncanakan")
        IN_PROGRESS = "berjalan", _("Sedang berjalan")
        DONE = "selesai", _("Selesai")
        DROPPED = "batal", _("Dibatalkan")

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="improvement_actions")
    period = models.CharField(_("periode"), max_length=10, help_text=_("Misalnya 2026-S1 atau 2026-Q3."))
    element = models.CharField(
        _("unsur"), max_length=2, choices=[(code, code) for code in ELEMENT_CODES], db_index=True
    )
    action = models.TextField(_("tindakan"), max_length=2000)
    owner = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        related_name="improvement_actions",
        verbose_name=_("penanggung jawab"),
    )
    due_date = models.DateField(_("tenggat"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    completed_on = models.DateField(_("selesai pada"), null=True, blank=True)
    note = models.TextField(_("catatan"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")
        ordering = ["office", "period", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="selesai") & Q(completed_on__isnull=False))
                | (~Q(status="selesai") & Q(completed_on__isnull=True)),
                name="improvement_action_completed_when_done",
                violation_error_message=_("Tanggal selesai diisi jika dan hanya jika statusnya selesai."),
            ),
            models.CheckConstraint(
                condition=Q(element__in=list(ELEMENT_CODES)),
                name="improvement_action_element_known",
                violation_error_message=_("Unsur harus salah satu dari U1 sampai U9."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.element}: {self.action[:40]}"


class Complaint(models.Model):
    """A *pengaduan*: a citizen's complaint about an office's service, received on the public form or
    entered by staff (from the counter, a letter, a phone call). No NIK is asked; a contact for the reply
    is optional. It moves diterima → diproses → selesai or ditolak, and the times to the first response
    and to closing are kept, because how fast complaints are answered is an outcome too.

    Complaints are not shown to every member of staff: the coordinator, leadership and admins see them,
    and a staff member only the complaints assigned to them to handle.
    """

    class Category(models.TextChoices):
        SERVICE = "pelayanan", _("Prosedur dan mutu pelayanan")
        TIME = "waktu", _("Waktu tunggu dan penyelesaian")
        OFFICER = "petugas", _("Sikap dan perilaku petugas")
        FEE = "biaya", _("Biaya atau pungutan")
        REQUIREMENTS = "persyaratan", _("Persyaratan")
        FACILITIES = "sarana", _("Sarana dan prasarana")
        INFORMATION = "informasi", _("Informasi")
        OTHER = "lainnya", _("Lainnya")

    class Channel(models.TextChoices):
        WEB = "web", _("Formulir daring")
        COUNTER = "loket", _("Langsung di loket")
        PHONE = "telepon", _("Telepon atau WhatsApp")
        LETTER = "surat", _("Surat atau kotak saran")
        SOCIAL = "medsos", _("Media sosial")
        SP4N = "lapor", _("SP4N-LAPOR!")

    class Status(models.TextChoices):
        RECEIVED = "diterima", _("Diterima")
        IN_PROGRESS = "diproses", _("Diproses")
        RESOLVED = "selesai", _("Selesai")
        REJECTED = "ditolak", _("Ditolak")

    CLOSED: ClassVar[frozenset[str]] = frozenset({Status.RESOLVED, Status.REJECTED})

    scope_office_field: ClassVar[str] = "office"
    # Staff see only the complaints they handle.
    scope_owner_field: ClassVar[str | None] = "handler"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="complaints")
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints"
    )
    reference = models.CharField(_("nomor pengaduan"), max_length=20, unique=True)
    category = models.CharField(_("kategori"), max_length=12, choices=Category.choices)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    description = models.TextField(_("isi pengaduan"), max_length=4000)
    contact = models.CharField(_("kontak untuk balasan"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    handler = models.ForeignKey(
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_complaints",
        verbose_name=_("ditangani oleh"),
    )
    received_at = models.DateTimeField(_("diterima pada"), default=timezone.now, db_index=True)
    first_response_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["office", "-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status__in=["selesai", "ditolak"]) & Q(closed_at__isnull=False))
                | (Q(status__in=["diterima", "diproses"]) & Q(closed_at__isnull=True)),
                name="complaint_closed_when_final",
                violation_error_message=_(
                    "Waktu ditutup diisi jika dan hanya jika pengaduan selesai/ditolak."
                ),
            ),
            models.CheckConstraint(
                condition=Q(first_response_at__isnull=True) | Q(first_response_at__gte=F("received_at")),
                name="complaint_response_after_receipt",
                violation_error_message=_("Tanggapan pertama tidak boleh sebelum pengaduan diterima."),
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | (Q(first_response_at__isnull=False) & Q(closed_at__gte=F("first_response_at"))),
                name="complaint_closed_after_response",
                violation_error_message=_("Pengaduan ditutup sesudah ditanggapi."),
            ),
        ]
        indexes = [models.Index(fields=["office", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    @property
    def time_to_first_response(self) -> dt.timedelta | None:
        return None if self.first_response_at is None else self.first_response_at - self.received_at

    @property
    def time_to_close(self) -> dt.timedelta | None:
        return None if self.closed_at is None else self.closed_at - self.received_at


class ComplaintUpdate(models.Model):
    """One step in handling a complaint: a status change or a response, by whom and when. The first one
    is the office's first response."""

    scope_office_field: ClassVar[str] = "complaint__office"
    scope_owner_field: ClassVar[str | None] = "complaint__handler"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_from = models.CharField(max_length=10, choices=Complaint.Status.choices)
    status_to = models.CharField(max_length=10, choices=Complaint.Status.choices)
    note = models.TextField(_("tanggapan"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("tindak lanjut pengaduan")
        verbose_name_plural = _("tindak lanjut pengaduan")
        ordering = ["complaint", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.status_from} → {self.status_to}"
