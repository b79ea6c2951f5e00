"""Forms of the coordinator's and facilitator's pages. (The assessment itself is read straight from the
POST by the view and checked by `services.response_submit`, which names the items at fault.)"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from perjumpaan.evaluation.models import FollowUpAction
from perjumpaan.evaluation.services import ACTION_LIMIT, NARRATIVE_LIMIT
from perjumpaan.org.models import Employee


class EmployeeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.position}" if obj.position else str(obj.name)


class ActionForm(forms.Form):
    text = forms.CharField(
        label=_("Tindak lanjut yang disepakati"),
        max_length=ACTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = EmployeeChoiceField(
        label=_("Penanggung jawab"), queryset=Employee.objects.none(), required=False, empty_label=_("—")
    )
    due_on = forms.DateField(
        label=_("Tenggat"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, staff: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff  # type: ignore[attr-defined]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpAction.Status.choices)
    week = forms.RegexField(regex=r"^[0-9]{4}-W[0-9]{2}$", widget=forms.HiddenInput)


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("Catatan fasilitator pekan ini"),
        max_length=NARRATIVE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Apa yang terjadi dalam perjumpaan pekan ini, apa yang dipelajari, apa yang perlu diperhatikan."
        ),
    )


class SupervisorForm(forms.Form):
    supervisor = EmployeeChoiceField(label=_("Atasan (penilai)"), queryset=Employee.objects.none())
    subject = EmployeeChoiceField(label=_("Anggota tim (yang dinilai)"), queryset=Employee.objects.none())

    def __init__(self, *args: Any, staff: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = staff  # type: ignore[attr-defined]
        self.fields["subject"].queryset = staff  # type: ignore[attr-defined]
