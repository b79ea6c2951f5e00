"""Tadarus and tadabbur: the office's collective khatam, personal ODOJ groups, reading classes and
reflections on what was read.

Quran positions are stored as two small integers (surah, ayah) and read back as `quran.Ref`; the Quran's
structure itself lives in `tadarus/quran.py`, not in the database.
"""

from __future__ import annotations

from fractions import Fraction
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perjumpaan.org.models import Employee, Government, Office
from perjumpaan.program.models import Gathering
from perjumpaan.tadarus import quran
from perjumpaan.tadarus.quran import QuranRefError, Ref

Track = Employee.Track


def _ref(surah: int | None, ayah: int | None) -> Ref | None:
    if surah is None or ayah is None:
        return None
    return Ref(surah, ayah)


def _check_ref(surah: int | None, ayah: int | None, field: str) -> None:
    if surah is None or ayah is None:
        return
    try:
        Ref(surah, ayah)
    except QuranRefError as error:
        raise ValidationError({field: str(error)}) from None


# --- Collective tadarus ------------------------------------------------------------------------------


class KhatamPlan(models.Model):
    """A rencana khatam: how much an office's gatherings of one track read together at each gathering
    (so many pages, so many ayahs, or a part of a juz) and where the reading began.

    A plan applies from `valid_from`. Changing the amount is a new row with a later `valid_from`, so the
    portions of gatherings already held never change; a row with a start ayah begins the reading there,
    a row without one continues where the reading stands.
    """

    class Unit(models.TextChoices):
        PAGES = "pages", _("halaman")
        AYAHS = "ayahs", _("ayat")
        JUZ = "juz", _("juz")

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="khatam_plans")
    track = models.CharField(_("jalur"), max_length=10, choices=Track.choices, default=Track.ISLAM)
    valid_from = models.DateField(_("berlaku sejak"))
    unit = models.CharField(_("satuan"), max_length=10, choices=Unit.choices, default=Unit.PAGES)
    amount = models.PositiveSmallIntegerField(_("banyaknya"), default=2)
    per = models.PositiveSmallIntegerField(
        _("per"), default=1, help_text=_("Untuk pecahan juz: 1/4 juz ditulis banyaknya 1, per 4.")
    )
    start_surah = models.PositiveSmallIntegerField(_("mulai surah"), null=True, blank=True)
    start_ayah = models.PositiveSmallIntegerField(_("mulai ayat"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rencana khatam")
        verbose_name_plural = _("rencana khatam")
        ordering = ["office", "track", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "track", "valid_from"],
                name="khatam_plan_one_per_day",
                violation_error_message=_(
                    "Sudah ada rencana khatam jalur ini yang berlaku sejak tanggal itu."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=1) & Q(per__gte=1) & Q(per__lte=8),
                name="khatam_plan_amount_positive",
                violation_error_message=_("Banyaknya bacaan minimal 1; pecahan juz paling kecil 1/8."),
            ),
            models.CheckConstraint(
                condition=(Q(unit="pages") & Q(per=1) & Q(amount__lte=40))
                | (Q(unit="ayahs") & Q(per=1) & Q(amount__lte=500))
                | (Q(unit="juz") & Q(amount__lte=3 * F("per"))),
                name="khatam_plan_amount_range",
                violation_error_message=_(
                    "Bacaan per perjumpaan paling banyak 40 halaman, 500 ayat atau 3 juz; pecahan hanya "
                    "untuk juz."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(start_surah__isnull=True) & Q(start_ayah__isnull=True))
                | (
                    Q(start_surah__gte=1)
                    & Q(start_surah__lte=quran.SURAH_COUNT)
                    & Q(start_ayah__gte=1)
                    & Q(start_ayah__lte=286)
                ),
                name="khatam_plan_start_ref",
                violation_error_message=_("Isi surah dan ayat awal bersama-sama, atau kosongkan keduanya."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.code} · {self.get_track_display()} · {self.amount_label}"

    def clean(self) -> None:
        _check_ref(self.start_surah, self.start_ayah, "start_ayah")

    @property
    def start(self) -> Ref | None:
        return _ref(self.start_surah, self.start_ayah)

    @property
    def amount_fraction(self) -> Fraction:
        return Fraction(self.amount, self.per)

    @property
    def amount_label(self) -> str:
        """ "2 halaman", "10 ayat", "1/4 juz"."""
        number = str(self.amount) if self.per == 1 else f"{self.amount}/{self.per}"
        return f"{number} {self.get_unit_display()}"


class ReadingLog(models.Model):
    """A catatan tadarus: where a gathering's reading actually stopped ("kami berhenti di 2:176"), when
    the gathering read more or less than its planned portion.

    Without a log, a held gathering is taken to have read its planned portion. A log without an ayah
    means nothing was read that day. The next gathering continues from the ayah after the stop.
    """

    scope_office_field: ClassVar[str] = "gathering__office"

    gathering = models.OneToOneField(Gathering, on_delete=models.CASCADE, related_name="reading_log")
    stopped_surah = models.PositiveSmallIntegerField(_("berhenti di surah"), null=True, blank=True)
    stopped_ayah = models.PositiveSmallIntegerField(_("berhenti di ayat"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("catatan tadarus")
        verbose_name_plural = _("catatan tadarus")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(stopped_surah__isnull=True) & Q(stopped_ayah__isnull=True))
                | (
                    Q(stopped_surah__gte=1)
                    & Q(stopped_surah__lte=quran.SURAH_COUNT)
                    & Q(stopped_ayah__gte=1)
                    & Q(stopped_ayah__lte=286)
                ),
                name="reading_log_stop_ref",
                violation_error_message=_("Isi surah dan ayat tempat berhenti bersama-sama."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.gathering} · {self.stop or '-'}"

    def clean(self) -> None:
        _check_ref(self.stopped_surah, self.stopped_ayah, "stopped_ayah")

    @property
    def stop(self) -> Ref | None:
        return _ref(self.stopped_surah, self.stopped_ayah)


# --- One Day One Juz ---------------------------------------------------------------------------------


class Tier(models.TextChoices):
    """How much of the day's juz a member commits to read; the rest of it is offered to the group."""

    FULL = "full", _("Satu juz")
    HALF = "half", _("Setengah juz")
    PAGES = "pages", _("Beberapa halaman")


class Part(models.TextChoices):
    """A piece of one day's juz: all of it, the assigned member's part, or the rest of it."""

    ALL = "all", _("seluruh juz")
    HEAD = "head", _("bagian anggota")
    TAIL = "tail", _("sisa juz")


class ReadingGroup(models.Model):
    """A grup ODOJ (One Day One Juz): up to 30 staff of one office who each read one juz a day, the juz
    rotating so that together they complete a khatam (every day when they are 30).

    What each member read is theirs and the group coordinator's alone; everyone else sees the group's
    totals. Members see one another's progress only if the group chose to (`show_members_progress`).
    """

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="reading_groups")
    name = models.CharField(_("nama grup"), max_length=100)
    coordinator = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="coordinated_reading_groups"
    )
    started_on = models.DateField(_("mulai"))
    show_members_progress = models.BooleanField(
        _("anggota saling melihat capaian"),
        default=False,
        help_text=_("Bila dicentang, sesama anggota grup dapat melihat laporan dan istikamah masing-masing."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("grup ODOJ")
        verbose_name_plural = _("grup ODOJ")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"],
                name="reading_group_name_unique",
                violation_error_message=_("Nama grup ini sudah dipakai di perangkat daerah ini."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """An anggota of an ODOJ group: their place in join order (1–30: a group never has more than 30
    members at once), their tier and the days they were in the group.

    Joining and leaving take effect the next day, so nobody's assignment changes on a day already begun.
    """

    scope_office_field: ClassVar[str] = "group__office"
    scope_owner_field: ClassVar[str | None] = "employee"

    group = models.ForeignKey(ReadingGroup, on_delete=models.CASCADE, related_name="members")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="reading_memberships")
    join_order = models.PositiveSmallIntegerField(_("urutan bergabung"))
    tier = models.CharField(_("target baca"), max_length=10, choices=Tier.choices, default=Tier.FULL)
    pages = models.PositiveSmallIntegerField(
        _("jumlah halaman"), default=4, help_text=_("Untuk target beberapa halaman.")
    )
    joined_on = models.DateField(_("bergabung sejak"))
    left_on = models.DateField(_("keluar sejak"), null=True, blank=True)

    class Meta:
        verbose_name = _("anggota grup ODOJ")
        verbose_name_plural = _("anggota grup ODOJ")
        ordering = ["group", "join_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "employee"],
                condition=Q(left_on__isnull=True),
                name="group_member_once",
                violation_error_message=_("Pegawai ini sudah menjadi anggota grup."),
            ),
            models.UniqueConstraint(
                fields=["group", "join_order"],
                condition=Q(left_on__isnull=True),
                name="group_member_place_unique",
                violation_error_message=_("Tempat ini sudah terisi anggota lain."),
            ),
            models.CheckConstraint(
                condition=Q(join_order__gte=1) & Q(join_order__lte=30),
                name="group_member_at_most_30",
                violation_error_message=_("Satu grup ODOJ paling banyak 30 anggota."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="group_member_left_after_joined",
                violation_error_message=_("Tanggal keluar tidak boleh sebelum tanggal bergabung."),
            ),
            models.CheckConstraint(
                condition=Q(pages__gte=1) & Q(pages__lte=10),
                name="group_member_pages_range",
                violation_error_message=_("Target beberapa halaman: 1 sampai 10 halaman."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.join_order}"


class ReadingReport(models.Model):
    """A laporan tilawah: a member saying they did, or did not, read a piece of a day's juz — their own
    assignment, or a piece handed to them. Personal: seen by the member and the group coordinator."""

    scope_office_field: ClassVar[str] = "member__group__office"
    scope_owner_field: ClassVar[str | None] = "member__employee"

    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="reports")
    date = models.DateField(_("tanggal"))
    juz = models.PositiveSmallIntegerField(_("juz"))
    part = models.CharField(_("bagian"), max_length=4, choices=Part.choices, default=Part.ALL)
    done = models.BooleanField(_("selesai"))
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("laporan tilawah")
        verbose_name_plural = _("laporan tilawah")
        ordering = ["date", "juz"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "date", "juz", "part"],
                name="reading_report_once",
                violation_error_message=_("Laporan untuk bagian ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(juz__gte=1) & Q(juz__lte=30),
                name="reading_report_juz_range",
                violation_error_message=_("Juz 1 sampai 30."),
            ),
        ]
        indexes = [models.Index(fields=["date", "juz"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.date} · juz {self.juz}"


class JuzHandover(models.Model):
    """A lelang: the group coordinator giving a piece of the day's juz nobody has read yet to a volunteer
    member, so that the group's khatam is still completed. The volunteer is not told whose piece it was."""

    scope_office_field: ClassVar[str] = "group__office"
    scope_owner_field: ClassVar[str | None] = "volunteer__employee"

    group = models.ForeignKey(ReadingGroup, on_delete=models.CASCADE, related_name="handovers")
    date = models.DateField(_("tanggal"))
    juz = models.PositiveSmallIntegerField(_("juz"))
    part = models.CharField(_("bagian"), max_length=4, choices=Part.choices, default=Part.ALL)
    volunteer = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="handovers")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lelang juz")
        verbose_name_plural = _("lelang juz")
        ordering = ["date", "juz"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "date", "juz", "part"],
                name="juz_handover_once",
                violation_error_message=_("Bagian juz ini sudah dilelang kepada anggota lain."),
            ),
            models.CheckConstraint(
                condition=Q(juz__gte=1) & Q(juz__lte=30),
                name="juz_handover_juz_range",
                violation_error_message=_("Juz 1 sampai 30."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.date} · juz {self.juz}"


# --- Reading classes ---------------------------------------------------------------------------------


class Level(models.TextChoices):
    """The steps of learning to read the Quran, in order: the six Iqro' books, tahsin (correcting
    pronunciation and tajwid), then tadarus (reading fluently with others)."""

    IQRO_1 = "iqro1", _("Iqro' 1")
    IQRO_2 = "iqro2", _("Iqro' 2")
    IQRO_3 = "iqro3", _("Iqro' 3")
    IQRO_4 = "iqro4", _("Iqro' 4")
    IQRO_5 = "iqro5", _("Iqro' 5")
    IQRO_6 = "iqro6", _("Iqro' 6")
    TAHSIN = "tahsin", _("Tahsin")
    TADARUS = "tadarus", _("Tadarus")


LEVEL_ORDER: list[str] = [str(value) for value in Level.values]


class LevelEnrolment(models.Model):
    """A peserta kelas mengaji: a staff member learning to read the Quran at a level, with a teacher from
    their own office. The teacher records each step up; the steps are kept in `LevelStep`."""

    scope_office_field: ClassVar[str] = "employee__office"
    scope_owner_field: ClassVar[str | None] = "employee"

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="reading_level")
    teacher = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="students")
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices, default=Level.IQRO_1)
    enrolled_on = models.DateField(_("terdaftar sejak"))

    class Meta:
        verbose_name = _("peserta kelas mengaji")
        verbose_name_plural = _("peserta kelas mengaji")
        ordering = ["employee__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(teacher=F("employee")),
                name="level_teacher_is_someone_else",
                violation_error_message=_("Guru mengaji harus orang lain."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=LEVEL_ORDER),
                name="level_known",
                violation_error_message=_("Tingkat tidak dikenal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.get_level_display()}"

    @property
    def next_level(self) -> str | None:
        position = LEVEL_ORDER.index(self.level)
        return LEVEL_ORDER[position + 1] if position + 1 < len(LEVEL_ORDER) else None


class LevelStep(models.Model):
    """One step in a learner's history: enrolled at a level, or moved up from one level to the next."""

    scope_office_field: ClassVar[str] = "enrolment__employee__office"
    scope_owner_field: ClassVar[str | None] = "enrolment__employee"

    enrolment = models.ForeignKey(LevelEnrolment, on_delete=models.CASCADE, related_name="steps")
    from_level = models.CharField(_("dari tingkat"), max_length=10, choices=Level.choices, blank=True)
    to_level = models.CharField(_("ke tingkat"), max_length=10, choices=Level.choices)
    date = models.DateField(_("tanggal"))
    teacher = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("riwayat tingkat mengaji")
        verbose_name_plural = _("riwayat tingkat mengaji")
        ordering = ["enrolment", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.enrolment.employee} {self.from_level or '-'} → {self.to_level}"


# --- Tadabbur ----------------------------------------------------------------------------------------


class Theme(models.Model):
    """A tema: a tag for tadabbur notes (sabar, amanah, pelayanan), shared across a government."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="tadabbur_themes")
    name = models.CharField(_("tema"), max_length=60)
    slug = models.SlugField(_("kode"), max_length=60)

    class Meta:
        verbose_name = _("tema tadabbur")
        verbose_name_plural = _("tema tadabbur")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "slug"],
                name="theme_unique_per_government",
                violation_error_message=_("Tema ini sudah ada."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class TadabburNote(models.Model):
    """A catatan tadabbur: a reflection on the meaning of an ayah (or a few ayahs of one surah) that the
    kultum giver or the facilitator attached to a gathering."""

    scope_office_field: ClassVar[str] = "gathering__office"

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="tadabbur_notes")
    author = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="tadabbur_notes"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    surah = models.PositiveSmallIntegerField(_("surah"))
    ayah = models.PositiveSmallIntegerField(_("ayat"))
    ayah_end = models.PositiveSmallIntegerField(_("sampai ayat"))
    title = models.CharField(_("judul"), max_length=150)
    reflection = models.TextField(_("renungan"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="notes", verbose_name=_("tema"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("catatan tadabbur")
        verbose_name_plural = _("catatan tadabbur")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(surah__gte=1) & Q(surah__lte=quran.SURAH_COUNT),
                name="tadabbur_surah_range",
                violation_error_message=_("Nomor surah 1 sampai 114."),
            ),
            models.CheckConstraint(
                condition=Q(ayah__gte=1) & Q(ayah_end__gte=F("ayah")),
                name="tadabbur_ayah_range",
                violation_error_message=_("Ayat akhir tidak boleh sebelum ayat awal."),
            ),
        ]
        indexes = [models.Index(fields=["surah", "ayah"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        _check_ref(self.surah, self.ayah, "ayah")
        _check_ref(self.surah, self.ayah_end, "ayah_end")

    @property
    def first(self) -> Ref:
        return Ref(self.surah, self.ayah)

    @property
    def last(self) -> Ref:
        return Ref(self.surah, self.ayah_end)

    @property
    def surah_name(self) -> str:
        return quran.surah(self.surah).name

    @property
    def ref_label(self) -> str:
        """ "Al-Baqarah (2): 153" or "Al-Baqarah (2): 153–157"."""
        ayahs = str(self.ayah) if self.ayah == self.ayah_end else f"{self.ayah}–{self.ayah_end}"
        return f"{self.surah_name} ({self.surah}): {ayahs}"

    @property
    def kemenag_url(self) -> str:
        from perjumpaan.tadarus.links import kemenag_url

        return kemenag_url(self.surah, self.ayah, self.ayah_end)
