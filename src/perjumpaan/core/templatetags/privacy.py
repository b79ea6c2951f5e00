"""`{% retention_years "audit" %}` and friends: the retention settings, for the privacy notice."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()

_SETTINGS = {
    "survey": "PERJUMPAAN_SURVEY_RETENTION_DAYS",
    "audit": "PERJUMPAAN_AUDIT_RETENTION_DAYS",
    "login": "PERJUMPAAN_LOGIN_LOG_RETENTION_DAYS",
}


@register.simple_tag
def retention_days(kind: str) -> int:
    """The retention of `kind` ("survey", "audit", "login") in days; 0 means kept for ever."""
    return int(getattr(settings, _SETTINGS[kind], 0))
