"""Forms of the service pages: the public SKM and complaint forms, and the staff's forms."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from perjumpaan.org.models import Employee
from perjumpaan.service.models import (
    Complaint,
    ImprovementAction,
    Service,
    ServiceRecord,
    SurveyResponse,
    SurveySettings,
)
from perjumpaan.service.records_table import parse_time_text
from perjumpaan.service.services import COMPLAINT_TRANSITIONS
from perjumpaan.service.skm import ELEMENTS

# A NIK is 16 digits; the public forms must not collect one, even by accident.
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
NIK_REFUSED = _("Jangan menuliskan NIK atau nomor KK di sini; kami tidak memerlukannya.")
HONEYPOT_FIELD = "situs_web"


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, skipped by keyboard and screen readers) and bots fill."""

    situs_web = forms.CharField(
        label=_("Jangan diisi"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))


def _no_nik(value: str) -> str:
    if _NIK.search(value.replace(" ", "").replace(".", "").replace("-", "")):
        raise forms.ValidationError(NIK_REFUSED)
    return value


class TimeField(forms.CharField):
    """A clock time typed as 08.15, 08:15 or 08:15:32 (or given by a browser's time picker)."""

    widget = forms.TimeInput(attrs={"type": "time", "step": "60"})
    default_error_messages = {"invalid": _("Tulis jam seperti 08.15 atau 08:15.")}

    def to_python(self, value: Any) -> dt.time | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_time_text(text[:20])
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


# --- The SKM survey (public) ------------------------------------------------------------------------


class SurveyForm(HoneypotMixin):
    """The questionnaire of PermenPANRB 14/2017: the service received, the nine elements with the sample
    form's four answers each, the respondent profile, and suggestions. Nothing that identifies anyone."""

    service = forms.ModelChoiceField(
        label=_("Layanan yang Anda terima"),
        queryset=Service.objects.none(),
        empty_label=_("— pilih layanan —"),
        error_messages={
            "required": _("Pilih layanan yang Anda terima."),
            "invalid_choice": _("Pilih layanan dari daftar."),
        },
    )
    ticket = forms.CharField(
        label=_("Nomor antrian (tidak wajib)"),
        required=False,
        max_length=30,
        help_text=_("Tertera di karcis antrian, misalnya A012. Satu nomor antrian untuk satu survei."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "inputmode": "text"}
        ),
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        required=False,
        choices=SurveyResponse.Sex.choices,
        widget=forms.RadioSelect,
    )
    age = forms.IntegerField(
        label=_("Umur (tahun)"),
        required=False,
        min_value=10,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Tulis umur dengan angka."),
            "min_value": _("Umur paling sedikit 10 tahun."),
            "max_value": _("Umur paling banyak 120 tahun."),
        },
    )
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"),
        required=False,
        choices=[("", _("— pilih —")), *SurveyResponse.Education.choices],
    )
    occupation = forms.ChoiceField(
        label=_("Pekerjaan utama"),
        required=False,
        choices=[("", _("— pilih —")), *SurveyResponse.Occupation.choices],
    )
    suggestion = forms.CharField(
        label=_("Saran dan masukan (tidak wajib)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services
        if not services.exists():
            field.required = False
        for element in ELEMENTS:
            self.fields[element.code.lower()] = forms.TypedChoiceField(
                label=element.question,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[(str(value), label) for value, label in enumerate(element.labels, start=1)],
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Pilih salah satu jawaban.")},
            )

    def element_fields(self) -> list[tuple[Any, Any]]:
        return [(element, self[element.code.lower()]) for element in ELEMENTS]

    def clean_ticket(self) -> str:
        ticket = " ".join(self.cleaned_data.get("ticket", "").split()).upper()
        if ticket and not re.fullmatch(r"[A-Z0-9\-./ ]{1,30}", ticket):
            raise forms.ValidationError(_("Nomor antrian hanya berisi huruf dan angka, misalnya A012."))
        return ticket

    def clean_suggestion(self) -> str:
        return _no_nik(self.cleaned_data.get("suggestion", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(element.code.lower()) is not None for element in ELEMENTS):
            raise forms.ValidationError(_("Pilih jawaban untuk sekurang-kurangnya satu pertanyaan."))
        return cleaned

    def answers(self) -> dict[str, int | None]:
        return {element.code: self.cleaned_data.get(element.code.lower()) for element in ELEMENTS}


# --- Complaints -------------------------------------------------------------------------------------


class ComplaintForm(HoneypotMixin):
    """The public complaint form: what happened, about which service, and optionally how to reply."""

    category = forms.ChoiceField(
        label=_("Tentang apa pengaduan Anda?"),
        choices=Complaint.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih salah satu.")},
    )
    service = forms.ModelChoiceField(
        label=_("Layanan (tidak wajib)"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("— tidak tentang satu layanan —"),
    )
    description = forms.CharField(
        label=_("Ceritakan apa yang terjadi"),
        min_length=10,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Tuliskan isi pengaduan Anda."),
            "min_length": _("Tuliskan sedikit lebih lengkap (paling sedikit 10 huruf)."),
        },
    )
    contact = forms.CharField(
        label=_("Nomor HP atau email untuk balasan (tidak wajib)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services

    def clean_description(self) -> str:
        return _no_nik(self.cleaned_data.get("description", ""))

    def clean_contact(self) -> str:
        return _no_nik(self.cleaned_data.get("contact", ""))


class StaffComplaintForm(ComplaintForm):
    """A complaint entered by staff: as the public form, plus how and when it came in."""

    channel = forms.ChoiceField(label=_("Diterima melalui"), choices=Complaint.Channel.choices)
    received_on = forms.DateField(
        label=_("Tanggal diterima"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tulis tanggal seperti 2026-11-28.")},
    )
    received_time = TimeField(label=_("Jam diterima"), required=False)

    def clean_received_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("received_on")
        if day is not None and not dt.date(2000, 1, 1) <= day <= dt.date(2100, 1, 1):
            raise forms.ValidationError(_("Tanggal di luar jangkauan."))
        return day


class ComplaintRespondForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Complaint.Status.choices)
    note = forms.CharField(
        label=_("Tanggapan untuk pelapor / catatan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    handler = forms.ModelChoiceField(
        label=_("Ditangani oleh"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=_("— tidak diubah —"),
    )

    def __init__(
        self, *args: Any, complaint: Complaint, employees: QuerySet[Employee], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        allowed = [complaint.status, *sorted(COMPLAINT_TRANSITIONS.get(complaint.status, ()))]
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [(value, Complaint.Status(value).label) for value in allowed]
        status.initial = complaint.status
        handler = self.fields["handler"]
        assert isinstance(handler, forms.ModelChoiceField)
        handler.queryset = employees


class ComplaintFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), ("terbuka", _("Belum ditutup")), *Complaint.Status.choices],
    )
    category = forms.ChoiceField(
        label=_("Kategori"), required=False, choices=[("", _("Semua")), *Complaint.Category.choices]
    )
    since = forms.DateField(label=_("Sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


# --- The counter's quick entry ----------------------------------------------------------------------


class RecordEntryForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Layanan"), queryset=Service.objects.none(), empty_label=_("— pilih layanan —")
    )
    ticket = forms.CharField(
        label=_("Nomor antrian"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    arrival = TimeField(label=_("Jam datang"))
    called = TimeField(label=_("Jam dipanggil"), required=False)
    finished = TimeField(label=_("Jam selesai"), required=False)
    counter = forms.CharField(label=_("Loket"), max_length=30, required=False)
    result = forms.ChoiceField(
        label=_("Hasil"), choices=ServiceRecord.Result.choices, widget=forms.RadioSelect, initial="selesai"
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services

    def clean_ticket(self) -> str:
        ticket = " ".join(self.cleaned_data.get("ticket", "").split()).upper()
        if not re.fullmatch(r"[A-Z0-9\-./ ]{1,30}", ticket):
            raise forms.ValidationError(_("Nomor antrian hanya berisi huruf dan angka, misalnya A012."))
        return ticket


# --- Catalogue, settings, improvement plan ----------------------------------------------------------


class ServiceForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"), max_length=30, help_text=_("Misalnya KTP-EL. Tidak dapat diubah.")
    )
    name = forms.CharField(label=_("Nama layanan"), max_length=200)
    order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=999, initial=0, required=False)
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def clean_code(self) -> str:
        code = str(self.cleaned_data.get("code", "")).strip().upper()
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9_-]*", code):
            raise forms.ValidationError(
                _("Kode hanya boleh berisi huruf besar, angka, tanda - dan garis bawah.")
            )
        return code


class SettingsForm(forms.Form):
    ikm_weight = forms.ChoiceField(
        label=_("Bobot unsur IKM"), choices=SurveySettings.Weight.choices, widget=forms.RadioSelect
    )


class ImprovementActionForm(forms.Form):
    element = forms.ChoiceField(label=_("Unsur"), choices=[(e.code, f"{e.code} {e.name}") for e in ELEMENTS])
    action = forms.CharField(label=_("Tindakan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(
        label=_("Penanggung jawab"), queryset=Employee.objects.none(), empty_label=_("— pilih pegawai —")
    )
    due_date = forms.DateField(
        label=_("Tenggat"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tulis tanggal seperti 2026-12-31.")},
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ImprovementAction.Status.choices, initial=ImprovementAction.Status.PLANNED
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, employees: QuerySet[Employee], with_status: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = employees
        if not with_status:
            del self.fields["status"]

    def clean_due_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["due_date"]
        if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 1, 1):
            raise forms.ValidationError(_("Tanggal di luar jangkauan."))
        return day
