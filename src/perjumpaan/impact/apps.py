from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "perjumpaan.impact"
    label = "impact"
    verbose_name = _("Dampak program")
