"""The browser fixtures of tests/e2e, for the tadarus pages' browser test."""

from __future__ import annotations

from tests.e2e.conftest import browser, desktop, phone, requests_seen, screenshot

__all__ = ["browser", "desktop", "phone", "requests_seen", "screenshot"]
