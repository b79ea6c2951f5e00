"""Forms of the coordinator's programme pages: a gathering template, an ad-hoc gathering, moving one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from perjumpaan.org.models import Employee
from perjumpaan.program.models import AgendaKind, GatheringTemplate, Speaker

# Native pickers: their values are ISO (2026-12-04, 13:15) whatever the language of the page.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time", "step": "60"}, format="%H:%M")
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
TIME_INVALID = _("Tulis jam seperti 12.30 atau 12:30.")
DATE_INVALID = _("Tulis tanggal seperti 2026-12-04.")

WEEKDAYS = [
    ("0", _("Senin")),
    ("1", _("Selasa")),
    ("2", _("Rabu")),
    ("3", _("Kamis")),
    ("4", _("Jumat")),
    ("5", _("Sabtu")),
    ("6", _("Minggu")),
]
AGENDA_ROWS = 8
AGENDA_MINUTES_MISSING = _("Isi menit untuk acara %(kind)s.")
AGENDA_KIND_MISSING = _("Pilih acara untuk %(minutes)s menit di baris %(row)s.")


class AgendaRowsMixin(forms.Form):
    """Up to AGENDA_ROWS agenda rows (kind, minutes) in order; empty rows are ignored."""

    def add_agenda_rows(self, initial: list[tuple[str, int]]) -> None:
        for row in range(1, AGENDA_ROWS + 1):
            kind, minutes = initial[row - 1] if row <= len(initial) else ("", None)
            self.fields[f"agenda_kind_{row}"] = forms.ChoiceField(
                label=_("Acara %(row)s") % {"row": row},
                choices=[("", "—"), *AgendaKind.choices],
                required=False,
                initial=kind,
            )
            self.fields[f"agenda_minutes_{row}"] = forms.IntegerField(
                label=_("Menit acara %(row)s") % {"row": row},
                required=False,
                min_value=1,
                max_value=240,
                initial=minutes,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def agenda_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"agenda_kind_{row}"], self[f"agenda_minutes_{row}"]) for row in range(1, AGENDA_ROWS + 1)
        ]

    def clean_agenda(self) -> list[tuple[str, int]]:
        agenda: list[tuple[str, int]] = []
        labels = dict(AgendaKind.choices)
        for row in range(1, AGENDA_ROWS + 1):
            kind = self.cleaned_data.get(f"agenda_kind_{row}") or ""
            minutes = self.cleaned_data.get(f"agenda_minutes_{row}")
            if f"agenda_minutes_{row}" in self.errors:
                continue
            if kind and minutes is None:
                self.add_error(f"agenda_minutes_{row}", AGENDA_MINUTES_MISSING % {"kind": labels[kind]})
            elif minutes is not None and not kind:
                self.add_error(f"agenda_kind_{row}", AGENDA_KIND_MISSING % {"minutes": minutes, "row": row})
            elif kind and minutes is not None:
                agenda.append((kind, minutes))
        return agenda


class TemplateForm(AgendaRowsMixin):
    """A version of a gathering template, valid from a date."""

    track = forms.ChoiceField(label=_("Jalur"), choices=Employee.Track.choices)
    variant = forms.ChoiceField(
        label=_("Varian"),
        choices=GatheringTemplate.Variant.choices,
        help_text=_("Jumat dan Ramadan punya templatnya sendiri; Ramadan berlaku otomatis selama Ramadan."),
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Hari"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu hari.")},
    )
    start_mode = forms.ChoiceField(
        label=_("Waktu mulai"), choices=GatheringTemplate.StartMode.choices, widget=forms.RadioSelect
    )
    start_time = forms.TimeField(
        label=_("Jam mulai"),
        required=False,
        input_formats=TIME_FORMATS,
        widget=TIME_INPUT,
        error_messages={"invalid": TIME_INVALID},
    )
    prayer = forms.ChoiceField(
        label=_("Waktu salat acuan"),
        choices=[("", "—"), *GatheringTemplate.Prayer.choices],
        required=False,
    )
    offset_minutes = forms.IntegerField(
        label=_("Selisih (menit)"),
        required=False,
        min_value=-180,
        max_value=180,
        help_text=_("Misalnya 15 untuk 15 menit sesudah Dzuhur, -10 untuk 10 menit sebelumnya."),
    )
    duration_minutes = forms.IntegerField(label=_("Durasi (menit)"), min_value=5, max_value=240)
    place = forms.CharField(label=_("Tempat"), max_length=200)
    valid_from = forms.DateField(
        label=_("Berlaku sejak"),
        widget=DATE_INPUT,
        error_messages={"invalid": DATE_INVALID},
        help_text=_("Perjumpaan sebelum tanggal ini, dan yang sudah terlaksana, tidak berubah."),
    )

    def __init__(self, *args: Any, agenda: list[tuple[str, int]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_agenda_rows(agenda or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("start_mode")
        fixed = mode == GatheringTemplate.StartMode.FIXED
        if fixed and data.get("start_time") is None and "start_time" not in self.errors:
            self.add_error("start_time", _("Isi jam mulai."))
        if mode == GatheringTemplate.StartMode.PRAYER:
            if not data.get("prayer"):
                self.add_error("prayer", _("Pilih waktu salat yang menjadi acuan."))
            if data.get("offset_minutes") is None and "offset_minutes" not in self.errors:
                data["offset_minutes"] = 0
        data["agenda"] = self.clean_agenda()
        return data

    @staticmethod
    def initial_from(template: GatheringTemplate, valid_from: dt.date) -> dict[str, Any]:
        return {
            "track": template.track,
            "variant": template.variant,
            "weekdays": list(template.weekdays),
            "start_mode": template.start_mode,
            "start_time": template.start_time,
            "prayer": template.prayer,
            "offset_minutes": template.offset_minutes,
            "duration_minutes": template.duration_minutes,
            "place": template.place,
            "valid_from": valid_from,
        }


class GatheringTimeForm(forms.Form):
    """A day, a start time and a duration, in the office's time zone."""

    date = forms.DateField(label=_("Tanggal"), widget=DATE_INPUT, error_messages={"invalid": DATE_INVALID})
    start_time = forms.TimeField(
        label=_("Jam mulai"),
        input_formats=TIME_FORMATS,
        widget=TIME_INPUT,
        error_messages={"invalid": TIME_INVALID},
    )
    minutes = forms.IntegerField(label=_("Durasi (menit)"), min_value=5, max_value=240)
    place = forms.CharField(label=_("Tempat"), max_length=200, required=False)


class AdhocGatheringForm(GatheringTimeForm, AgendaRowsMixin):
    """An ad-hoc gathering: a special tausiah, a make-up session."""

    title = forms.CharField(
        label=_("Judul"), max_length=200, required=False, help_text=_("Misalnya: Tausiah Maulid Nabi")
    )
    track = forms.ChoiceField(label=_("Jalur"), choices=Employee.Track.choices, initial=Employee.Track.ISLAM)
    speaker = forms.ModelChoiceField(
        label=_("Narasumber tausiah (boleh kosong)"),
        queryset=Speaker.objects.none(),
        required=False,
        empty_label="—",
    )

    field_order = ["title", "track", "date", "start_time", "minutes", "place", "speaker"]

    def __init__(self, *args: Any, speakers: QuerySet[Speaker], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = speakers  # type: ignore[attr-defined]
        self.add_agenda_rows([("tausiah", 30), ("doa", 5)])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["agenda"] = self.clean_agenda()
        return data


class MoveGatheringForm(GatheringTimeForm):
    """Move one gathering to another time or place."""

    reason = forms.CharField(label=_("Alasan pemindahan"), max_length=250)
