from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "perjumpaan.org"
    label = "org"
    verbose_name = _("Organisasi")
