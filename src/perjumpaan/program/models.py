"""The programme calendar: rollout, gathering templates, gatherings and their agenda, the curriculum,
holidays and closures, kultum rosters and guest speakers."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perjumpaan.org.models import Employee, Government, Office

Track = Employee.Track


class AgendaKind(models.TextChoices):
    KULTUM = "kultum", _("Kultum")
    TADARUS = "tadarus", _("Tadarus")
    TADABBUR = "tadabbur", _("Tadabbur")
    TAUSIAH = "tausiah", _("Tausiah")
    MATERI = "materi", _("Materi Sekolah Perjumpaan")
    DOA = "doa", _("Doa")


WEEKDAY_NAMES = (_("Senin"), _("Selasa"), _("Rabu"), _("Kamis"), _("Jumat"), _("Sabtu"), _("Minggu"))


class RolloutWave(models.Model):
    """A gelombang: a group of offices that join the programme together (the pilot is wave 1)."""

    scope_government_field: ClassVar[str] = "government"

    government = models.ForeignKey(
        Government, on_delete=models.CASCADE, related_name="waves", verbose_name=_("pemerintah daerah")
    )
    number = models.PositiveSmallIntegerField(_("gelombang ke"))
    name = models.CharField(_("nama"), max_length=120)
    planned_start = models.DateField(_("rencana mulai"), null=True, blank=True)
    description = models.TextField(_("keterangan"), blank=True)

    class Meta:
        verbose_name = _("gelombang")
        verbose_name_plural = _("gelombang")
        ordering = ["government", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "number"],
                name="wave_number_unique",
                violation_error_message=_("Nomor gelombang ini sudah ada."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Enrollment(models.Model):
    """The date an office takes part from, in a wave.

    Append-only: a corrected date is a new row that supersedes the previous one, so the history the impact
    analysis relies on ("before" and "after" each office's start) is never overwritten. The office's
    enrolment is its newest row; `enrolled_on = None` in the newest row means the office left.
    """

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("perangkat daerah")
    )
    wave = models.ForeignKey(
        RolloutWave,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("gelombang"),
    )
    enrolled_on = models.DateField(_("ikut sejak"), null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kepesertaan")
        verbose_name_plural = _("kepesertaan")
        ordering = ["office", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.office.code} {self.enrolled_on or '-'}"


class GatheringTemplate(models.Model):
    """How an office's gatherings of one faith track usually run on some weekdays.

    A template applies from `valid_from`; a new version of a template is a new row with a later
    `valid_from`, so gatherings already held keep the template they were made from. The `variant` picks
    the template for the day: Friday (evaluation day, Jumat prayer at noon) and Ramadan have their own.
    """

    class Variant(models.TextChoices):
        REGULAR = "regular", _("Hari biasa")
        FRIDAY = "friday", _("Jumat")
        RAMADAN = "ramadan", _("Ramadan")
        RAMADAN_FRIDAY = "ramadan_friday", _("Jumat Ramadan")

    class StartMode(models.TextChoices):
        FIXED = "fixed", _("Jam tetap")
        PRAYER = "prayer", _("Relatif terhadap waktu salat")

    class Prayer(models.TextChoices):
        SUBUH = "subuh", _("Subuh")
        DZUHUR = "dzuhur", _("Dzuhur")
        ASHAR = "ashar", _("Ashar")

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="gathering_templates")
    track = models.CharField(_("jalur"), max_length=10, choices=Track.choices, default=Track.ISLAM)
    variant = models.CharField(_("varian"), max_length=20, choices=Variant.choices, default=Variant.REGULAR)
    weekdays = models.CharField(
        _("hari"), max_length=7, default="0123", help_text=_("Angka hari: 0 Senin … 4 Jumat, misalnya 0123.")
    )
    start_mode = models.CharField(_("cara menentukan mulai"), max_length=10, choices=StartMode.choices)
    start_time = models.TimeField(_("jam mulai"), null=True, blank=True)
    prayer = models.CharField(_("waktu salat"), max_length=10, choices=Prayer.choices, blank=True)
    offset_minutes = models.SmallIntegerField(_("selisih menit dari waktu salat"), default=0)
    duration_minutes = models.PositiveSmallIntegerField(_("durasi (menit)"), default=45)
    place = models.CharField(_("tempat"), max_length=200)
    valid_from = models.DateField(_("berlaku sejak"))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("templat perjumpaan")
        verbose_name_plural = _("templat perjumpaan")
        ordering = ["office", "track", "variant", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(start_mode="fixed") & Q(start_time__isnull=False))
                | (Q(start_mode="prayer") & ~Q(prayer="")),
                name="template_start_defined",
                violation_error_message=_("Isi jam mulai, atau pilih waktu salat sebagai acuan."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=240),
                name="template_duration_range",
                violation_error_message=_("Durasi harus antara 5 dan 240 menit."),
            ),
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^[0-6]{1,7}$"),
                name="template_weekdays_digits",
                violation_error_message=_("Hari ditulis sebagai angka 0 (Senin) sampai 6 (Minggu)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.code} · {self.get_track_display()} · {self.get_variant_display()}"

    @property
    def weekday_numbers(self) -> set[int]:
        return {int(c) for c in self.weekdays}

    @property
    def weekday_labels(self) -> str:
        """The weekdays in words, "Senin, Selasa, Rabu"."""
        return ", ".join(str(WEEKDAY_NAMES[day]) for day in sorted(self.weekday_numbers))

    @property
    def start_label(self) -> str:
        """When it starts, in words: "12.30", "15 menit sesudah Dzuhur", "tepat Dzuhur"."""
        if self.start_mode == self.StartMode.FIXED:
            return self.start_time.strftime("%H.%M") if self.start_time else ""
        prayer = self.get_prayer_display()
        if self.offset_minutes > 0:
            return _("%(n)s menit sesudah %(prayer)s") % {"n": self.offset_minutes, "prayer": prayer}
        if self.offset_minutes < 0:
            return _("%(n)s menit sebelum %(prayer)s") % {"n": -self.offset_minutes, "prayer": prayer}
        return _("tepat %(prayer)s") % {"prayer": prayer}


class TemplateAgendaItem(models.Model):
    """One part of a template's agenda, with its minutes, in order."""

    scope_office_field: ClassVar[str] = "template__office"

    template = models.ForeignKey(GatheringTemplate, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("urutan"))
    kind = models.CharField(_("acara"), max_length=20, choices=AgendaKind.choices)
    minutes = models.PositiveSmallIntegerField(_("menit"))

    class Meta:
        verbose_name = _("acara templat")
        verbose_name_plural = _("acara templat")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="template_agenda_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.kind} ({self.minutes}')"


class Gathering(models.Model):
    """A pengajian / perjumpaan: one meeting of an office's staff of one track, at a time and place.

    Gatherings are generated from templates for working days (`perjumpaan schedule`) or added ad hoc (a
    special tausiah, a make-up session).
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Terjadwal")
        HELD = "held", _("Terlaksana")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Rutin")
        ADHOC = "adhoc", _("Khusus")

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="gatherings")
    track = models.CharField(_("jalur"), max_length=10, choices=Track.choices, default=Track.ISLAM)
    template = models.ForeignKey(
        GatheringTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="gatherings"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    date = models.DateField(_("tanggal"))
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    place = models.CharField(_("tempat"), max_length=200)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("perjumpaan")
        verbose_name_plural = _("perjumpaan")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")),
                name="gathering_start_before_end",
                violation_error_message=_("Waktu mulai harus sebelum waktu selesai."),
            ),
            # One regular gathering per office, track and day: re-running the scheduler changes nothing.
            models.UniqueConstraint(
                fields=["office", "track", "date"],
                condition=Q(kind="regular"),
                name="gathering_one_regular_per_day",
                violation_error_message=_("Sudah ada perjumpaan rutin jalur ini pada tanggal tersebut."),
            ),
        ]
        indexes = [
            models.Index(fields=["office", "date"]),
            models.Index(fields=["date", "status"]),
            # `close_gatherings` (every 10 minutes) looks for scheduled gatherings that have ended: without
            # this it reads every gathering ever held (a province-year has some 300,000).
            models.Index(
                fields=["end"], condition=models.Q(status="scheduled"), name="program_gathering_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.code} {self.date} {self.get_track_display()}"


class Module(models.Model):
    """A module of the Sekolah Perjumpaan curriculum (e.g. "Akhlak kepada sesama rekan kerja")."""

    scope_government_field: ClassVar[str] = "government"

    government = models.ForeignKey(
        Government, on_delete=models.CASCADE, related_name="modules", verbose_name=_("pemerintah daerah")
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("deskripsi"), blank=True)

    class Meta:
        verbose_name = _("modul")
        verbose_name_plural = _("modul")
        ordering = ["government", "order"]
        constraints = [models.UniqueConstraint(fields=["government", "order"], name="module_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Lesson(models.Model):
    """One lesson (materi) of a module, given as the *materi* item of a gathering's agenda."""

    scope_government_field: ClassVar[str] = "module__government"

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("modul")
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    title = models.CharField(_("judul"), max_length=200)
    summary = models.TextField(_("ringkasan"), blank=True)
    material_url = models.URLField(_("tautan materi"), blank=True)
    material_file = models.FileField(_("berkas materi"), upload_to="materi/", blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fasilitator"),
    )

    class Meta:
        verbose_name = _("materi")
        verbose_name_plural = _("materi")
        ordering = ["module__order", "order"]
        constraints = [models.UniqueConstraint(fields=["module", "order"], name="lesson_order_unique")]

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    """A tokoh: a guest figure who gives a tausiah (a professor, a doctor, a religious leader)."""

    scope_government_field: ClassVar[str] = "government"

    government = models.ForeignKey(
        Government, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("pemerintah daerah")
    )
    title = models.CharField(_("gelar/sebutan"), max_length=60, blank=True)
    name = models.CharField(_("nama"), max_length=200)
    institution = models.CharField(_("lembaga"), max_length=200, blank=True)
    topics = models.CharField(_("tema"), max_length=300, blank=True)
    phone = models.CharField(_("no HP"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="speaker"
    )

    class Meta:
        verbose_name = _("narasumber")
        verbose_name_plural = _("narasumber")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.title} {self.name}".strip()


class AgendaItem(models.Model):
    """One part of a gathering: kultum (by a staff member in turn), tadarus, tadabbur, tausiah (by a
    guest speaker), materi (a curriculum lesson) or doa."""

    Kind = AgendaKind

    scope_office_field: ClassVar[str] = "gathering__office"

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("urutan"))
    kind = models.CharField(_("acara"), max_length=20, choices=Kind.choices)
    minutes = models.PositiveSmallIntegerField(_("menit"))
    employee = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    notes = models.TextField(_("catatan"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("acara")
        verbose_name_plural = _("acara")
        ordering = ["gathering", "order"]
        constraints = [
            models.UniqueConstraint(fields=["gathering", "order"], name="agenda_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.gathering} · {self.get_kind_display()}"


class IslamicDate(models.Model):
    """A date of the Islamic calendar that the programme cares about: the start and end of Ramadan and the
    Islamic holidays, per government.

    Pre-filled by calculation (Umm al-Qura); Indonesia's official dates are set after the government's
    isbat and often differ by a day, so the admin corrects them here (`source = official`).
    """

    scope_government_field: ClassVar[str] = "government"

    class Kind(models.TextChoices):
        RAMADAN_START = "ramadan_start", _("Awal Ramadan (1 Ramadan)")
        IDUL_FITRI = "idul_fitri", _("Idulfitri (1 Syawal)")
        IDUL_ADHA = "idul_adha", _("Iduladha (10 Zulhijah)")

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Perhitungan")
        OFFICIAL = "official", _("Penetapan pemerintah")

    government = models.ForeignKey(
        Government,
        on_delete=models.CASCADE,
        related_name="islamic_dates",
        verbose_name=_("pemerintah daerah"),
    )
    kind = models.CharField(_("peristiwa"), max_length=20, choices=Kind.choices)
    hijri_year = models.PositiveSmallIntegerField(_("tahun hijriah"))
    date = models.DateField(_("tanggal"))
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.COMPUTED)

    class Meta:
        verbose_name = _("tanggal hijriah penting")
        verbose_name_plural = _("tanggal hijriah penting")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "kind", "hijri_year"],
                name="islamic_date_unique",
                violation_error_message=_("Tanggal ini sudah tercatat untuk tahun hijriah tersebut."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.hijri_year} H: {self.date}"


class Closure(models.Model):
    """A day the government's offices do not hold gatherings, beyond national holidays and cuti bersama
    (which come from the maintained holiday calendar): a regional holiday, a change to the joint-leave
    decree, an office's own closure (`office` set)."""

    scope_government_field: ClassVar[str] = "government"

    government = models.ForeignKey(
        Government, on_delete=models.CASCADE, related_name="closures", verbose_name=_("pemerintah daerah")
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("perangkat daerah"),
        help_text=_("Kosongkan bila berlaku untuk semua perangkat daerah."),
    )
    date = models.DateField(_("tanggal"))
    reason = models.CharField(_("alasan"), max_length=200)
    is_working_day = models.BooleanField(
        _("justru hari kerja"),
        default=False,
        help_text=_("Centang bila tanggal libur nasional/cuti bersama ini dibatalkan (tetap masuk kerja)."),
    )

    class Meta:
        verbose_name = _("hari libur daerah")
        verbose_name_plural = _("hari libur daerah")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["government", "office", "date"], name="closure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class RosterPreference(models.Model):
    """A staff member's standing in the kultum roster: opted out (with a reason), or dates blocked out."""

    scope_office_field: ClassVar[str] = "employee__office"
    scope_owner_field: ClassVar[str | None] = "employee"

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="roster_preference")
    opted_out = models.BooleanField(_("tidak ikut giliran kultum"), default=False)
    opt_out_reason = models.CharField(_("alasan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("preferensi giliran")
        verbose_name_plural = _("preferensi giliran")
        constraints = [
            models.CheckConstraint(
                condition=Q(opted_out=False) | ~Q(opt_out_reason=""),
                name="roster_opt_out_needs_reason",
                violation_error_message=_("Sebutkan alasan tidak ikut giliran kultum."),
            )
        ]

    def __str__(self) -> str:
        return str(self.employee)


class RosterBlock(models.Model):
    """A date a staff member cannot give the kultum (travel, a family event)."""

    scope_office_field: ClassVar[str] = "employee__office"
    scope_owner_field: ClassVar[str | None] = "employee"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="roster_blocks")
    date = models.DateField(_("tanggal"))
    reason = models.CharField(_("alasan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tanggal berhalangan")
        verbose_name_plural = _("tanggal berhalangan")
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="roster_block_unique")]

    def __str__(self) -> str:
        return f"{self.employee} {self.date}"


class SwapRequest(models.Model):
    """A request by the kultum giver to swap their turn with, or hand it to, a colleague."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        ACCEPTED = "accepted", _("Diterima")
        DECLINED = "declined", _("Ditolak")
        CANCELLED = "cancelled", _("Dibatalkan")

    scope_office_field: ClassVar[str] = "item__gathering__office"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="swap_requests")
    requested_by = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    colleague = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    swap_with = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kosong berarti digantikan, bukan bertukar."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("permintaan tukar giliran")
        verbose_name_plural = _("permintaan tukar giliran")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.requested_by} → {self.colleague}"


# --- Calendar feeds --------------------------------------------------------------------------------


class CalendarToken(models.Model):
    """The secret address of a calendar feed (iCalendar), for phones and Google Calendar to subscribe to.

    Calendar apps cannot log in, so the token in the address is the only credential: whoever has the
    address reads the feed. A token belongs to one user and is either *personal* (`office` empty: the
    gatherings of their own office and track, with their turns) or an *office* feed (`office` set: every
    gathering of that office, for its coordinators). The feed checks what the owner may see when it is
    read, so a token stops showing an office the moment its owner loses the role. Regenerating revokes the
    old token (kept, `revoked`) and issues a new one.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked = models.BooleanField(_("dicabut"), default=False)

    class Meta:
        verbose_name = _("tautan kalender")
        verbose_name_plural = _("tautan kalender")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(office__isnull=True, revoked=False),
                name="calendar_token_one_personal",
                violation_error_message=_("Pengguna ini sudah mempunyai tautan kalender pribadi."),
            ),
            models.UniqueConstraint(
                fields=["user", "office"],
                condition=Q(office__isnull=False, revoked=False),
                name="calendar_token_one_per_office",
                violation_error_message=_(
                    "Pengguna ini sudah mempunyai tautan kalender perangkat daerah ini."
                ),
            ),
            models.CheckConstraint(
                condition=Q(token__regex=r"^[A-Za-z0-9_-]{32,64}$"),  # noqa: S106  # nosec B106  # a pattern, no secret
                name="calendar_token_long_and_url_safe",
                violation_error_message=_("Token kalender harus 32–64 karakter aman-URL."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.office.code if self.office else 'pribadi'}"
