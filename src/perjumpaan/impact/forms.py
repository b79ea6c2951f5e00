"""The form an office's coordinator sets its targets with, and the monthly report's month."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from perjumpaan.impact.models import OfficeTarget

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
BAD_MONTH = _("Bulan ditulis TTTT-BB, misalnya 2026-11.")


def parse_month(value: str) -> dt.date | None:
    """The first day of the month "YYYY-MM" names, or None when it names none."""
    match = MONTH.match((value or "").strip())
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


class TargetForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = OfficeTarget
        fields = ["attendance_rate", "ikm", "wait_minutes", "followups_closed"]
        help_texts = {
            "attendance_rate": _("Persentase hadir (hadir + terlambat) dari pegawai yang diharapkan."),
            "ikm": _("Indeks Kepuasan Masyarakat, 25–100."),
            "wait_minutes": _("Rata-rata waktu dari datang sampai dipanggil; kosongkan bila tanpa loket."),
            "followups_closed": _("Persentase tindak lanjut evaluasi Jumat yang sudah selesai."),
        }
