from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "perjumpaan.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluasi Jumat")
