"""Forms of the tadarus pages: they read and check what was typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from perjumpaan.tadarus import quran
from perjumpaan.tadarus.models import KhatamPlan, Level, Tier
from perjumpaan.tadarus.quran import QuranRefError, Ref

SURAH_CHOICES = [(s.number, f"{s.number}. {s.name}") for s in quran.SURAHS]


class RefField(forms.CharField):
    """An ayah written "2:142"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.widget.attrs.update({"placeholder": "2:142", "inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value: Any) -> Ref | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return Ref.parse(text)
        except QuranRefError as error:
            raise forms.ValidationError(str(error)) from None


class KhatamPlanForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Berlaku sejak"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    unit = forms.ChoiceField(label=_("Satuan"), choices=KhatamPlan.Unit.choices)
    amount = forms.IntegerField(label=_("Banyaknya per perjumpaan"), min_value=1, max_value=500, initial=2)
    per = forms.IntegerField(
        label=_("Per (pecahan juz)"),
        min_value=1,
        max_value=8,
        initial=1,
        help_text=_("Untuk ¼ juz: banyaknya 1, per 4. Untuk halaman dan ayat biarkan 1."),
    )
    start = RefField(
        label=_("Mulai dari ayat"),
        required=False,
        help_text=_("Kosongkan untuk melanjutkan bacaan yang sedang berjalan (atau mulai dari 1:1)."),
    )


class ReadingLogForm(forms.Form):
    stop = RefField(label=_("Berhenti di ayat"), required=False)
    nothing_read = forms.BooleanField(label=_("Tidak ada tadarus hari itu"), required=False)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("nothing_read") and not data.get("stop") and "stop" not in self.errors:
            raise forms.ValidationError(
                _("Isi ayat tempat berhenti (misalnya 2:176), atau centang “tidak ada tadarus”.")
            )
        return data


class GroupCreateForm(forms.Form):
    name = forms.CharField(label=_("Nama grup"), max_length=100)
    show_members_progress = forms.BooleanField(
        label=_("Anggota saling melihat capaian"),
        required=False,
        help_text=_("Bila tidak dicentang, hanya Anda (koordinator grup) yang melihat laporan tiap anggota."),
    )


class TierForm(forms.Form):
    tier = forms.ChoiceField(label=_("Target baca"), choices=Tier.choices)
    pages = forms.IntegerField(
        label=_("Jumlah halaman"), min_value=1, max_value=10, initial=4, required=False
    )


class NameChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A staff member, shown by name only."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class LevelEnrolForm(forms.Form):
    employee = NameChoiceField(label=_("Peserta"), queryset=None)
    teacher = NameChoiceField(label=_("Guru"), queryset=None)
    level = forms.ChoiceField(label=_("Tingkat"), choices=Level.choices)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = staff  # type: ignore[attr-defined]
        self.fields["teacher"].queryset = staff  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    gathering = forms.TypedChoiceField(label=_("Perjumpaan"), coerce=int)
    surah = forms.TypedChoiceField(label=_("Surah"), choices=SURAH_CHOICES, coerce=int)
    ayah = forms.IntegerField(label=_("Ayat"), min_value=1, max_value=286)
    ayah_end = forms.IntegerField(label=_("Sampai ayat"), min_value=1, max_value=286, required=False)
    title = forms.CharField(label=_("Judul"), max_length=150)
    reflection = forms.CharField(label=_("Renungan"), widget=forms.Textarea(attrs={"rows": 6}))
    themes = forms.CharField(
        label=_("Tema"),
        max_length=300,
        required=False,
        help_text=_("Pisahkan dengan koma, misalnya: sabar, amanah, pelayanan."),
    )

    def __init__(self, *args: Any, gatherings: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gathering"].choices = gatherings  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        surah, ayah, ayah_end = data.get("surah"), data.get("ayah"), data.get("ayah_end")
        if surah and ayah:
            try:
                Ref(surah, ayah)
                if ayah_end:
                    Ref(surah, ayah_end)
            except QuranRefError as error:
                raise forms.ValidationError(str(error)) from None
            if ayah_end and ayah_end < ayah:
                raise forms.ValidationError(_("Ayat akhir tidak boleh sebelum ayat awal."))
        return data

    @property
    def theme_names(self) -> list[str]:
        return [t for t in (self.cleaned_data.get("themes") or "").split(",") if t.strip()]
