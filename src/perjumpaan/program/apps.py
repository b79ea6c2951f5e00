from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramConfig(AppConfig):
    name = "perjumpaan.program"
    label = "program"
    verbose_name = _("Program")
