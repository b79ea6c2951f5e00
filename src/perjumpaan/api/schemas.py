"""Schemas every router shares."""

from __future__ import annotations

from ninja import Schema


class FieldErrorOut(Schema):
    loc: list[str]
    type: str
    msg: str


class ErrorOut(Schema):
    """The one error shape: a message in Bahasa Indonesia, and the fields at fault (validation only)."""

    detail: str
    errors: list[FieldErrorOut]
