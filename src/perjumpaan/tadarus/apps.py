from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TadarusConfig(AppConfig):
    name = "perjumpaan.tadarus"
    label = "tadarus"
    verbose_name = _("Tadarus")
