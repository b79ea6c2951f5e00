from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupConfig(AppConfig):
    name = "perjumpaan.rollup"
    label = "rollup"
    verbose_name = _("Rekapitulasi terpelihara")
