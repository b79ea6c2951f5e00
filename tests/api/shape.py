"""The one error shape every API error answers with."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse


def error_body(response: HttpResponse, status: int) -> dict[str, Any]:
    """The JSON body of an error response, after checking its status and its shape."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert set(body) == {"detail", "errors"}, body
    assert isinstance(body["detail"], str), body
    assert body["detail"], body
    assert isinstance(body["errors"], list), body
    for error in body["errors"]:
        assert set(error) == {"loc", "type", "msg"}, error
    return body
