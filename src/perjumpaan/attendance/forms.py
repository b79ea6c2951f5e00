"""Forms of the attendance pages: a leave request (with its checked attachment), a follow-up record,
the recap period."""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from perjumpaan.attendance.models import LeaveRequest

ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024

# What an attachment may be, recognised by its first bytes ("magic numbers"), never by its name: the
# content type it is served with later, and the suffix it is stored under.
ATTACHMENT_KINDS: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
# Content types a browser may declare for those files. "application/octet-stream" is what some phones
# send for anything; the bytes decide then.
DECLARED_TYPES = {
    "application/pdf": "application/pdf",
    "application/x-pdf": "application/pdf",
    "image/jpeg": "image/jpeg",
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/png": "image/png",
}
CONTENT_TYPE_BY_SUFFIX = {suffix: content_type for _magic, content_type, suffix in ATTACHMENT_KINDS}

# A native date picker: its value must be ISO (2026-12-04), whatever the language of the page.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

TOO_LARGE = _("Lampiran terlalu besar (paling besar 5 MB). Foto ulang dengan ukuran lebih kecil.")
WRONG_KIND = _("Lampiran harus berupa PDF, JPEG atau PNG.")


def attachment_kind(head: bytes) -> tuple[str, str] | None:
    """(content type, suffix) of a file that starts with `head`, or None if it is none of ours."""
    for magic, content_type, suffix in ATTACHMENT_KINDS:
        if head.startswith(magic):
            return content_type, suffix
    return None


class LeaveForm(forms.Form):
    """A staff member's request to be excused ahead of time."""

    kind = forms.ChoiceField(label=_("Jenis"), choices=LeaveRequest.Kind.choices)
    start_date = forms.DateField(label=_("Dari tanggal"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("Sampai tanggal"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Alasan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(
        label=_("Lampiran (wajib untuk sakit: surat keterangan dokter)"),
        required=False,
        help_text=_("PDF, JPEG atau PNG, paling besar 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}),
    )

    def clean_attachment(self) -> ContentFile[bytes] | None:
        upload: UploadedFile | None = self.cleaned_data.get("attachment")
        if not upload:
            return None
        if (upload.size or 0) > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        content = upload.read(ATTACHMENT_MAX_BYTES + 1)
        if len(content) > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        kind = attachment_kind(content[:16])
        if kind is None:
            raise forms.ValidationError(WRONG_KIND)
        declared = (upload.content_type or "").split(";")[0].strip().lower()
        if declared not in ("", "application/octet-stream") and DECLARED_TYPES.get(declared) != kind[0]:
            raise forms.ValidationError(WRONG_KIND)
        # Stored under a random name with the suffix of what it really is: the name the phone gave is
        # neither trusted nor kept.
        return ContentFile(content, name=f"{secrets.token_urlsafe(12)}{kind[1]}")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if isinstance(start, dt.date) and isinstance(end, dt.date) and (end - start).days > 366:
            self.add_error("end_date", _("Satu permohonan paling lama satu tahun."))
        sick = cleaned.get("kind") == LeaveRequest.Kind.SAKIT
        if sick and not cleaned.get("attachment") and "attachment" not in self.errors:
            self.add_error("attachment", _("Izin sakit wajib melampirkan surat keterangan."))
        return cleaned


class FollowUpForm(forms.Form):
    """What the coordinator records after talking with someone: when, what was agreed, and whether the
    follow-up is finished."""

    talked_on = forms.DateField(label=_("Tanggal berbincang"), widget=DATE_INPUT)
    agreement = forms.CharField(
        label=_("Yang disepakati"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Misalnya: sedang merawat orang tua; hadir kembali mulai Senin, kabari bila berhalangan."
        ),
    )
    close = forms.BooleanField(label=_("Selesai, tidak perlu ditindaklanjuti lagi"), required=False)
