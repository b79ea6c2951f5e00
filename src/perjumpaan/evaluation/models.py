"""The Friday evaluation (evaluasi Jumat): versioned instruments, weekly rounds, who assesses whom, the
answers, the facilitators' narratives and the follow-up actions an office agrees on.

Anonymity is a property of the tables, not only of the pages: a peer's `Response` has no rater (a
database constraint), no timestamp and a random key; the only link between a rater and the person they
rated is their `Assignment`, which says *that* it was done, never *how*. docs/evaluation.md explains it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perjumpaan.org.models import Employee, Government, Office

WEEK_PATTERN = r"^[0-9]{4}-W[0-9]{2}$"
# The scale every rating item uses; its labels belong to the instrument version.
SCALE = (1, 2, 3, 4, 5)


class Part(models.TextChoices):
    """The parts of a round: how the person assessed relates to the one assessing."""

    SELF = "self", _("Penilaian diri")
    PEER = "peer", _("Penilaian rekan")
    SUPERVISOR = "supervisor", _("Penilaian atasan")


class Instrument(models.Model):
    """An instrumen evaluasi: the questionnaire of the Friday evaluation of one government.

    Its wording lives in numbered `InstrumentVersion`s; rounds use the newest published version of the
    government's active instrument. The default instrument asks for the seven BerAKHLAK core values of
    the civil service (SE MenPANRB 20/2021) by their official behaviour indicators, and for the
    programme's own aims.
    """

    scope_government_field: ClassVar[str] = "government"

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="instruments")
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    is_active = models.BooleanField(
        _("aktif"), default=True, help_text=_("Putaran baru memakai versi terbit terbaru instrumen aktif.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("instrumen evaluasi")
        verbose_name_plural = _("instrumen evaluasi")
        ordering = ["government", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["government"],
                condition=Q(is_active=True),
                name="instrument_one_active_per_government",
                violation_error_message=_("Hanya satu instrumen yang dapat aktif dalam satu pemda."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class InstrumentVersion(models.Model):
    """One fixed wording of an instrument: its items and the labels of its 1–5 scale.

    A version is a draft until it is published; a published version never changes, so a round (which
    references the version it was opened with) keeps the exact questions its answers were given to.
    Editing an instrument means copying its newest version into a new draft, changing the draft and
    publishing it; the next rounds use it.
    """

    scope_government_field: ClassVar[str] = "instrument__government"

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versi ke"))
    scale_labels = models.JSONField(
        _("label skala 1–5"), help_text=_("Lima label, dari 1 (terendah) sampai 5 (tertinggi).")
    )
    note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("versi instrumen")
        verbose_name_plural = _("versi instrumen")
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"],
                name="instrument_version_number_unique",
                violation_error_message=_("Nomor versi ini sudah ada."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} · v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Item(models.Model):
    """A butir: one question of an instrument version.

    A *scale* item is a behaviour rated 1–5 (one of the three official behaviour indicators of a
    BerAKHLAK value, or one of the programme's aims), grouped by the value it shows (`value_code`); an
    *open* item is a question answered in words (what went well, what must improve). Each item says in
    which parts of a round it is asked.
    """

    class Kind(models.TextChoices):
        SCALE = "scale", _("Skala 1–5")
        OPEN = "open", _("Pertanyaan terbuka")

    class Group(models.TextChoices):
        BERAKHLAK = "berakhlak", _("Nilai dasar ASN BerAKHLAK")
        PROGRAM = "program", _("Tujuan Sekolah Perjumpaan")

    scope_government_field: ClassVar[str] = "version__instrument__government"

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("urutan"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    group = models.CharField(_("kelompok"), max_length=12, choices=Group.choices, blank=True)
    value_code = models.CharField(
        _("kode nilai"), max_length=12, help_text=_("Huruf besar, misalnya BP atau JUJUR.")
    )
    value_name = models.CharField(_("nilai"), max_length=100)
    value_definition = models.CharField(_("makna nilai"), max_length=300, blank=True)
    text = models.TextField(_("pernyataan atau pertanyaan"))
    for_self = models.BooleanField(_("ditanyakan pada penilaian diri"), default=True)
    for_peer = models.BooleanField(_("ditanyakan pada penilaian rekan"), default=True)
    for_supervisor = models.BooleanField(_("ditanyakan pada penilaian atasan"), default=True)

    class Meta:
        verbose_name = _("butir")
        verbose_name_plural = _("butir")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "order"],
                name="item_order_unique",
                violation_error_message=_("Urutan butir ini sudah dipakai."),
            ),
            models.CheckConstraint(
                condition=Q(value_code__regex=r"^[A-Z0-9_]{1,12}$"),
                name="item_value_code_upper",
                violation_error_message=_("Kode nilai hanya huruf besar, angka dan garis bawah."),
            ),
            models.CheckConstraint(
                condition=Q(kind="open") | ~Q(group=""),
                name="item_scale_has_group",
                violation_error_message=_("Butir skala harus masuk salah satu kelompok nilai."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.value_code}: {self.text[:60]}"

    def asked_in(self, part: str) -> bool:
        return bool(
            {Part.SELF: self.for_self, Part.PEER: self.for_peer, Part.SUPERVISOR: self.for_supervisor}.get(
                Part(part), False
            )
        )


class EvaluationPolicy(models.Model):
    """An office's evaluation rules: how many colleagues each person rates, and when a round closes
    (so many days after its Friday, at a local time). Copied onto each round when it opens, so changing
    them never moves a round already open."""

    scope_office_field: ClassVar[str] = "office"

    office = models.OneToOneField(
        Office, on_delete=models.CASCADE, related_name="evaluation_policy", verbose_name=_("perangkat daerah")
    )
    peers_per_person = models.PositiveSmallIntegerField(_("rekan yang dinilai setiap orang"), default=3)
    close_days_after = models.PositiveSmallIntegerField(
        _("ditutup … hari setelah Jumat"),
        default=3,
        help_text=_("0 berarti Jumat itu juga; 3 berarti Senin."),
    )
    close_time = models.TimeField(_("ditutup pukul"), default=dt.time(12, 0))

    class Meta:
        verbose_name = _("aturan evaluasi")
        verbose_name_plural = _("aturan evaluasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(peers_per_person__gte=1) & Q(peers_per_person__lte=10),
                name="evaluation_policy_peers_range",
                violation_error_message=_("Jumlah rekan yang dinilai harus antara 1 dan 10."),
            ),
            models.CheckConstraint(
                condition=Q(close_days_after__lte=6),
                name="evaluation_policy_close_days_range",
                violation_error_message=_("Putaran harus ditutup paling lambat 6 hari setelah Jumat."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.office)


class Round(models.Model):
    """A putaran evaluasi: one office's Friday evaluation of one ISO week ("2026-W48").

    Opened on the week's Friday for every office enrolled by then, with the instrument version and the
    rules of that day; closed at the round's closing time, after which nothing is submitted and the
    results (aggregates only) are shown. One round per office and week is a database constraint, so
    two servers running `open_rounds` at once cannot open it twice.
    """

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="evaluation_rounds")
    week = models.CharField(_("pekan"), max_length=8)
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("versi instrumen")
    )
    opens_at = models.DateTimeField(_("dibuka"))
    closes_at = models.DateTimeField(_("ditutup"))
    closed_at = models.DateTimeField(_("benar-benar ditutup"), null=True, blank=True)
    peers_per_person = models.PositiveSmallIntegerField(_("rekan yang dinilai setiap orang"))

    class Meta:
        verbose_name = _("putaran evaluasi")
        verbose_name_plural = _("putaran evaluasi")
        ordering = ["office", "-week"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "week"],
                name="round_one_per_office_and_week",
                violation_error_message=_("Putaran evaluasi pekan ini sudah ada untuk perangkat daerah ini."),
            ),
            models.CheckConstraint(
                condition=Q(week__regex=WEEK_PATTERN),
                name="round_week_iso",
                violation_error_message=_("Pekan ditulis TTTT-Wmm, misalnya 2026-W48."),
            ),
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")),
                name="round_opens_before_it_closes",
                violation_error_message=_("Putaran harus dibuka sebelum ditutup."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.code} {self.week}"

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(int(self.week[:4]), int(self.week[6:]), 1)

    @property
    def friday(self) -> dt.date:
        return self.monday + dt.timedelta(days=4)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None or self.closes_at <= timezone.now()


class Assignment(models.Model):
    """A penugasan: that `rater` is to assess `subject` in one part of a round, and whether they have.

    For peers this row is the only link between a rater and the person they rate, and it holds no more
    than the `done` flag — no time, no answer — which is all the reminders need. Supervisor assignments
    come from a heuristic (the unit's "Kepala") and the coordinator may edit them.
    """

    scope_office_field: ClassVar[str] = "round__office"
    # Personal: a staff member sees their own assignments, never whom a colleague rates.
    scope_owner_field: ClassVar[str | None] = "rater"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    part = models.CharField(_("bagian"), max_length=10, choices=Part.choices)
    rater = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("penilai"))
    subject = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("yang dinilai")
    )
    done = models.BooleanField(_("sudah diisi"), default=False)

    class Meta:
        verbose_name = _("penugasan penilaian")
        verbose_name_plural = _("penugasan penilaian")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "part", "rater", "subject"],
                name="assignment_unique",
                violation_error_message=_("Penugasan ini sudah ada pada putaran tersebut."),
            ),
            models.CheckConstraint(
                condition=(Q(part="self") & Q(rater=F("subject")))
                | (~Q(part="self") & ~Q(rater=F("subject"))),
                name="assignment_self_only_in_self_part",
                violation_error_message=_("Seseorang hanya menilai dirinya sendiri pada penilaian diri."),
            ),
        ]
        indexes = [models.Index(fields=["round", "rater"]), models.Index(fields=["round", "part", "done"])]

    def __str__(self) -> str:
        return f"{self.round} {self.part} #{self.pk}"


class Response(models.Model):
    """A jawaban: one completed assessment of one person (the subject) in one part of a round — the
    item scores, keyed by item id.

    A peer response holds no rater (a database constraint), no time, and a random key that says nothing
    of the order responses came in; submitting it flips the rater's `Assignment.done` in the same
    transaction, and nothing else records who wrote it. Self and supervisor responses keep their rater.
    """

    scope_office_field: ClassVar[str] = "round__office"
    # Personal: only the responses one wrote oneself (self, supervisor); peer responses belong to nobody.
    scope_owner_field: ClassVar[str | None] = "rater"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    part = models.CharField(_("bagian"), max_length=10, choices=Part.choices)
    subject = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("yang dinilai")
    )
    rater = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("penilai")
    )
    scores = models.JSONField(_("skor per butir"))

    class Meta:
        verbose_name = _("jawaban penilaian")
        verbose_name_plural = _("jawaban penilaian")
        constraints = [
            models.CheckConstraint(
                condition=(Q(part="peer") & Q(rater__isnull=True))
                | (~Q(part="peer") & Q(rater__isnull=False)),
                name="response_peer_has_no_rater",
                violation_error_message=_("Penilaian rekan tidak boleh menyimpan siapa penilainya."),
            ),
            models.CheckConstraint(
                condition=~Q(part="self") | Q(rater=F("subject")),
                name="response_self_rates_self",
                violation_error_message=_("Penilaian diri adalah penilaian atas diri sendiri."),
            ),
            models.UniqueConstraint(
                fields=["round", "part", "subject", "rater"],
                condition=Q(rater__isnull=False),
                name="response_once_per_rater",
                violation_error_message=_("Penilaian ini sudah dikirim."),
            ),
        ]
        indexes = [models.Index(fields=["round", "part", "subject"])]

    def __str__(self) -> str:
        return f"{self.round} {self.part}"


class OpenAnswer(models.Model):
    """An answer in words to an open question (what went well, what must improve), kept without who
    wrote it or when, and shown only with the other answers of a closed round."""

    scope_office_field: ClassVar[str] = "round__office"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="open_answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("jawaban"))

    class Meta:
        verbose_name = _("jawaban terbuka")
        verbose_name_plural = _("jawaban terbuka")

    def __str__(self) -> str:
        return self.text[:60]


class Narrative(models.Model):
    """A catatan fasilitator: a facilitator's account of the office's week — what the gatherings were
    like, what was learnt, what to watch — one per facilitator per round, signed with their name."""

    scope_office_field: ClassVar[str] = "round__office"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="narratives")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("catatan"))
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("catatan fasilitator")
        verbose_name_plural = _("catatan fasilitator")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "author"],
                name="narrative_one_per_author",
                violation_error_message=_("Anda sudah menulis catatan untuk pekan ini."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.author}"


class FollowUpAction(models.Model):
    """A tindak lanjut evaluasi: something an office agreed to do after a Friday evaluation — what, who
    is responsible, by when, and how far it is. It appears on every week's summary from the week it was
    agreed (`week_opened`) until the week it was closed (`week_closed`), so it is carried week to week
    until it is done or dropped."""

    class Status(models.TextChoices):
        OPEN = "open", _("Belum dimulai")
        IN_PROGRESS = "progress", _("Sedang berjalan")
        DONE = "done", _("Selesai")
        DROPPED = "dropped", _("Dibatalkan")

    CLOSED: ClassVar[frozenset[str]] = frozenset({Status.DONE, Status.DROPPED})

    scope_office_field: ClassVar[str] = "office"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="evaluation_actions")
    week_opened = models.CharField(_("disepakati pekan"), max_length=8)
    week_closed = models.CharField(_("ditutup pekan"), max_length=8, blank=True)
    text = models.TextField(_("tindak lanjut"))
    owner = models.ForeignKey(
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penanggung jawab"),
    )
    due_on = models.DateField(_("tenggat"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tindak lanjut evaluasi")
        verbose_name_plural = _("tindak lanjut evaluasi")
        ordering = ["office", "week_opened", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(week_opened__regex=WEEK_PATTERN),
                name="action_week_opened_iso",
                violation_error_message=_("Pekan ditulis TTTT-Wmm, misalnya 2026-W48."),
            ),
            models.CheckConstraint(
                condition=(Q(status__in=["done", "dropped"]) & Q(week_closed__regex=WEEK_PATTERN))
                | (Q(status__in=["open", "progress"]) & Q(week_closed="")),
                name="action_closed_week_matches_status",
                violation_error_message=_(
                    "Tindak lanjut yang selesai atau dibatalkan mencatat pekan penutupannya."
                ),
            ),
            models.CheckConstraint(
                condition=Q(week_closed="") | Q(week_closed__gte=F("week_opened")),
                name="action_closed_after_opened",
                violation_error_message=_("Tindak lanjut tidak dapat ditutup sebelum pekan disepakati."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED
