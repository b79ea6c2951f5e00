"""Bad input, fuzzed: schemathesis generates requests from the project's own OpenAPI document
(/api/v1/openapi.json) — valid ones and deliberately invalid ones — and sends each to a live server as an
anonymous caller and as staff, a coordinator and a programme admin (bearer tokens), so that the
authenticated operations are exercised too.

No request may answer 5xx, every answer's status and body must be the ones the document declares, and
every refusal (4xx) must be the API's one error shape with a message: `{"detail": "<non-empty text>",
"errors": [...]}`. Rate limits and django-axes stay on, so their refusals are checked too.

The number of examples per operation is PERJUMPAAN_FUZZ_EXAMPLES (20 in the test suite, with a fixed
seed so that CI is repeatable; `make reliability` runs 200 with a random one).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from perjumpaan.org.models import ApiToken, User

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

EXAMPLES = int(os.environ.get("PERJUMPAAN_FUZZ_EXAMPLES", "20"))
DERANDOMIZE = os.environ.get("PERJUMPAAN_FUZZ_RANDOM", "") != "1"
PERSONAS = ("anonymous", "staf_dukcapil", "koord_dukcapil", "admin")
# No 5xx; every status the document declares (it declares the refusals, see api.document_refusals); the
# declared content type; bodies that match their declared schema.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class World:
    """The personas of tests/base.py, each with a bearer token, and some data they can reach."""

    tokens: dict[str, str]
    users: dict[str, User]
    gathering_id: int


def _build_world() -> World:
    import datetime as dt

    from django.utils import timezone

    from perjumpaan.program.models import Gathering
    from tests.base import PerjumpaanTestCase

    class Holder:
        pass

    # The same personas as every other test, built the way the base test case builds them.
    PerjumpaanTestCase.setUpTestData.__func__(Holder)  # type: ignore[attr-defined]
    now = timezone.now()
    gathering = Gathering.objects.create(
        office=Holder.dukcapil,  # type: ignore[attr-defined]
        kind=Gathering.Kind.ADHOC,
        date=now.date(),
        start=now - dt.timedelta(minutes=5),
        end=now + dt.timedelta(hours=1),
        place="Aula",
        title="Uji fuzz",
    )
    # A unit on the staff member's record: GET /me failed (500) for everyone whose record names one.
    unit = Holder.dukcapil.units.first()  # type: ignore[attr-defined]
    Holder.staf_dukcapil.employee.unit = unit  # type: ignore[attr-defined]
    Holder.staf_dukcapil.employee.save(update_fields=["unit"])  # type: ignore[attr-defined]
    tokens: dict[str, str] = {}
    users: dict[str, User] = {}
    for name in PERSONAS[1:]:
        user = getattr(Holder, name)
        token = f"fuzz-{name}-token-0123456789abcdef"
        ApiToken.objects.create(user=user, digest=ApiToken.digest_of(token), name="fuzz")
        tokens[name] = token
        users[name] = user
    return World(tokens=tokens, users=users, gathering_id=gathering.pk)


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    # Rate limits and django-axes stay on: their refusals (429) must be in the one shape too, and axes
    # reading a body it cannot parse was a 500 the fuzzer found.
    yield _build_world()


def _document() -> dict[str, Any]:
    from perjumpaan.api.api import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), default=str))


# The document the API serves, built in-process so that the operations are known when tests are collected
# (schemathesis' fixture-based loader does not work with this pytest); the first test proves it is the
# one /api/v1/openapi.json serves.
schema = schemathesis.openapi.from_dict(_document())


def test_the_fuzzed_document_is_the_one_the_api_serves(live_server: Any) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/api/v1/openapi.json", timeout=30) as answer:  # noqa: S310
        served = json.loads(answer.read())
    assert served == _document()


def _restore_tokens(world: World) -> None:
    """The fuzzer may revoke the token it calls with (DELETE /auth/token); put it back."""
    for name, token in world.tokens.items():
        ApiToken.objects.get_or_create(
            digest=ApiToken.digest_of(token), defaults={"user": world.users[name], "name": "fuzz"}
        )


def refusal_problem(response: Any) -> str | None:
    """Why a 4xx answer is not the one error shape with a message; None when it is."""
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {response.text[:200]!r}"
    if not isinstance(body, dict):
        return f"not an object: {body!r:.200}"
    detail = body.get("detail")
    if not isinstance(detail, str) or not detail.strip():
        return f"no message in 'detail': {body!r:.300}"
    if not isinstance(body.get("errors"), list):
        return f"'errors' is not a list: {body!r:.300}"
    for error in body["errors"]:
        if not (isinstance(error, dict) and str(error.get("msg", "")).strip()):
            return f"a field error without a message: {body!r:.300}"
    return None


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_operation_fails_or_refuses_without_a_message(case: Any, world: World, live_server: Any) -> None:
    for persona in PERSONAS:
        headers = {"Authorization": f"Bearer {world.tokens[persona]}"} if persona in world.tokens else None
        if headers is None and case.headers:
            case.headers.pop("Authorization", None)
        response = case.call(base_url=live_server.url, headers=headers)
        where = f"{case.method} {case.formatted_path} as {persona}"
        case.validate_response(response, checks=CHECKS, headers=headers)
        assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
        if 400 <= response.status_code < 500:
            problem = refusal_problem(response)
            assert problem is None, f"{where}: {response.status_code} {problem}"
        _restore_tokens(world)
