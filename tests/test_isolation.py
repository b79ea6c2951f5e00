"""The automatic isolation proof: no page and no API operation shows anyone data outside their scope.

Every URL pattern of the project and every operation of the OpenAPI document is called by every persona
of `PerjumpaanTestCase` (and an anonymous visitor), filled with identifiers of data that persona must not
see: another office's code, its employee, its pending import, another user's API token. Each must be
refused (403/404, a redirect to the login page or 401 when anonymous), and no response may contain that
data's names or NIPs. A positive control calls the same URLs as the data's rightful owner (the
government's admin, or for a staff member's own pages the staff member: `ROUTE_OWNERS`), who must get 200,
so the proof cannot pass merely because everything is broken.

A new view is covered without anyone remembering it: URL keyword arguments and API path parameters are
filled by name from `URL_KWARGS` / `API_PARAMS`, and a name those tables do not know fails the test with
instructions. Generic names (`pk`, `id`, `item_id`) mean nothing on their own, so they are looked up per
route in `ROUTE_KWARGS`.

Pages meant for citizens without an account (the SKM survey, the complaint form) are declared by their
app in a module-level `PUBLIC_ROUTES` of its urls.py. Anybody reaches them and they may name the office,
but they are still checked for every personal marker.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from perjumpaan.org.models import ApiToken, Employee, Office, StaffImportUpload, User
from perjumpaan.program.models import AgendaItem, Gathering, GatheringTemplate, Speaker, SwapRequest
from tests.base import PerjumpaanTestCase, make_employee

# --- What URL keyword arguments mean --------------------------------------------------------------
# kwarg name -> kind of object it identifies. A constant kind ("=value") is not an identifier of data
# (an export format, say) and is filled with that value for everybody.
URL_KWARGS: dict[str, str] = {
    "office_code": "office_code",
    "upload_id": "staff_import_upload",
    "gathering_id": "gathering",
    "swap_id": "swap_request",
    "speaker_id": "speaker",
    "fmt": "=csv",
    "leave_id": "leave_request",
    "follow_up_id": "follow_up",
    "group_id": "reading_group",
    "note_id": "tadabbur_note",
    "service_id": "service",
    "improvement_id": "improvement_action",
    "complaint_id": "complaint",
    "assignment_id": "evaluation_assignment",
    "action_id": "evaluation_action",
    "week": "=2026-W49",
    "template_id": "gathering_template",
}
# OpenAPI path and query parameter name -> kind.
API_PARAMS: dict[str, str] = {
    "code": "office_code",
    "token_id": "api_token",
    "gathering_id": "gathering",
    "month": "=2026-12",
    "week": "=2026-W49",
}
# Names too generic to mean one kind everywhere: (route name or "METHOD /api/path", name) -> kind.
GENERIC_NAMES = {"pk", "id", "item_id", "object_id"}
ROUTE_KWARGS: dict[tuple[str, str], str] = {
    ("org:employee_detail", "pk"): "employee",
    ("program:agenda_assign", "item_id"): "agenda_item",
    ("program:my_turn_swap", "item_id"): "agenda_item",
}
# Who rightly opens a route, as a key of `Victim.owners`; "admin" (the government's admin) by default.
ROUTE_OWNERS: dict[str, str] = {
    "program:my_turn_swap": "staff",  # the kultum giver hands their turn on
    "program:my_swap_decide": "staff",  # the colleague asked answers
    "attendance:leave_withdraw": "staff",  # the staff member withdraws their own request
    "attendance:leave_attachment": "staff",
    "evaluation:fill_assignment": "staff",  # the rater fills their own assignment
}

# Pages that are not about anybody's data, or that the login tests cover.
SKIPPED_NAMESPACES = {"admin", "api"}  # the API is covered operation by operation from its document
SKIPPED_ROUTES = {
    "login",
    "logout",
    "set_language",
    "healthz",
    "readyz",
    # A signed check-in code is a capability, not an identifier of data: tests/attendance/test_checkin.py
    # proves another office's or track's staff are refused and forged or expired codes are too.
    "attendance:checkin",
    # A calendar feed's secret token is its only credential, by design (phones subscribe without a
    # login): tests/program/test_feeds.py covers wrong, revoked and other offices' tokens.
    "program:office_feed",
    "program:personal_feed",
    # The first-run wizard answers 404 to everybody once a government exists, as it does here:
    # tests/org/test_setup_views.py covers it on an empty database and proves it closed afterwards.
    "org:setup",
    # The user guide's pages and screenshots (core/guide.py) are the same for every logged-in user and
    # about nobody; tests/core/test_guide.py covers the login, unknown names and path traversal.
    "guide_page",
    "guide_image",
}
# API operations covered by tests/api/test_auth.py: asking for a token, and revoking the one in use.
SKIPPED_OPERATIONS = {("post", "/api/v1/auth/token"), ("delete", "/api/v1/auth/token")}

# Example bodies for unsafe API operations whose schema the generator below cannot satisfy.
BODY_EXAMPLES: dict[tuple[str, str], Any] = {}

ANONYMOUS = "anonymous"
PASSWORD = "rahasia-uji-123"


@dataclass
class Victim:
    """Data some personas must not see, and the persona it rightly belongs to."""

    label: str
    owners: dict[str, str]  # "admin" / "staff" -> persona
    objects: dict[str, Any]
    markers: list[str]
    # Only URLs identifying one of these kinds are checked (None: every URL). A staff member may open
    # their own office's page, but not a colleague's record nor the office's pending import.
    only_kinds: frozenset[str] | None = None
    # Kinds this persona may rightly see of this victim: a speaker belongs to the whole government.
    skip_kinds: frozenset[str] = frozenset()
    # Markers a public page may show (the office's own name on its survey form).
    public_markers: frozenset[str] = frozenset()

    def owner(self, route: str) -> str:
        return self.owners[ROUTE_OWNERS.get(route, "admin")]

    def fill(self, kind: str) -> str:
        if kind.startswith("="):
            return kind[1:]
        if kind not in self.objects:
            raise AssertionError(
                f"No {kind!r} object for {self.label}: create one in IsolationTests.setUpTestData and add it "
                "to every victim's objects in tests/test_isolation.py."
            )
        value = self.objects[kind]
        return str(value.code if kind == "office_code" else value.pk)


@dataclass
class Route:
    """A page of the project: its name, route, and the kind of each keyword argument."""

    name: str
    route: str
    kinds: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    # Declared public by its app (a module-level PUBLIC_ROUTES in its urls.py): the citizen's survey
    # and complaint form. Anyone reaches it, and it may name the office, but never show personal data.
    public: bool = False


@dataclass
class Operation:
    """An operation of the OpenAPI document, and the kind of each path and required query parameter."""

    method: str
    path: str
    kinds: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None
    unknown: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def all_kinds(self) -> set[str]:
        return {*self.kinds.values(), *self.query.values()}

    def url(self, victim: Victim) -> str:
        url = self.path.format(**{name: victim.fill(kind) for name, kind in self.kinds.items()})
        if self.query:
            url += "?" + urlencode({name: victim.fill(kind) for name, kind in self.query.items()})
        return url


def _walk(
    patterns: list[URLPattern | URLResolver], namespaces: tuple[str, ...] = (), prefix: str = ""
) -> Iterator[tuple[tuple[str, ...], str, URLPattern, list[str]]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            for spaces, sub_route, sub, kwargs in _walk(pattern.url_patterns, inner, route):
                yield spaces, sub_route, sub, [*_kwarg_names(pattern), *kwargs]
        else:
            yield namespaces, route, pattern, _kwarg_names(pattern)


def _public_routes(resolver: URLResolver) -> set[str]:
    """The route names every urls module declares public in its PUBLIC_ROUTES."""
    names = set(getattr(resolver.urlconf_module, "PUBLIC_ROUTES", ()))
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            names |= _public_routes(pattern)
    return names


def _kwarg_names(pattern: URLPattern | URLResolver) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.pattern.regex.groupindex)


def project_routes() -> tuple[list[Route], list[str]]:
    """Every page route to check, and a complaint for each route the proof cannot call."""
    routes: list[Route] = []
    problems: list[str] = []
    public = _public_routes(get_resolver())
    for namespaces, route, pattern, kwargs in _walk(get_resolver().url_patterns):
        if namespaces and namespaces[0] in SKIPPED_NAMESPACES:
            continue
        if not pattern.name:
            problems.append(f"URL {route!r} has no name; name it so the isolation proof can reverse it.")
            continue
        name = ":".join((*namespaces, pattern.name))
        if name in SKIPPED_ROUTES:
            continue
        entry = Route(name=name, route=route, public=name in public)
        for kwarg in kwargs:
            generic = kwarg in GENERIC_NAMES
            kind = ROUTE_KWARGS.get((name, kwarg)) if generic else URL_KWARGS.get(kwarg)
            if kind is None:
                entry.unknown.append(kwarg)
                where = f"ROUTE_KWARGS[({name!r}, {kwarg!r})]" if generic else f"URL_KWARGS[{kwarg!r}]"
                problems.append(
                    f"URL {name!r} ({route}) takes {kwarg!r}, which tests/test_isolation.py does not know. "
                    f"Add {where} = '<kind>' (and the object of that kind to each Victim) so this view "
                    "is checked for isolation."
                )
            else:
                entry.kinds[kwarg] = kind
        routes.append(entry)
    return routes, problems


def example_of(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A minimal value that validates against an OpenAPI schema (required fields only)."""
    if "$ref" in schema:
        return example_of(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for combinator in ("allOf", "anyOf", "oneOf"):
        if combinator in schema:
            options = [option for option in schema[combinator] if option.get("type") != "null"]
            return example_of(options[0], components)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example_of(properties[name], components) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    formats = {"date": "2026-12-04", "date-time": "2026-12-04T04:00:00Z", "email": "uji@example.org"}
    if schema.get("format") in formats:
        return formats[schema["format"]]
    return "x" * max(1, schema.get("minLength", 1))


class IsolationTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        lotim = cls.other_admin.roles.get().government
        # An office whose code exists only in Lombok Timur: Lombok Barat's admin and leadership must not
        # reach it, and its code cannot be confused with one of their own offices.
        bappeda = Office.objects.create(
            government=lotim, code="BAPPEDA", name="Badan Perencanaan Pembangunan Daerah Lombok Timur"
        )
        make_employee(bappeda, name="Lalu Hendra Wijaya")
        cls.staf_lotim = User.objects.create_user(username="staf.lotim", password=PASSWORD)
        make_employee(bappeda, name="Baiq Rina Hartini", gender="P", user=cls.staf_lotim, track="islam")

        def token(user: Any, name: str) -> ApiToken:
            return ApiToken.objects.create(user=user, digest=ApiToken.digest_of(name), name=name)

        def objects_of(office: Office, admin: User, staff: User) -> dict[str, Any]:
            """One object of every kind a URL can identify, in `office`."""
            colleague = Employee.objects.get(office=office, user__isnull=True)
            staff_member = Employee.objects.get(user=staff)
            content = (
                f"NIP,Nama,Jenis Kelamin,Status\n{colleague.nip},{colleague.name},{colleague.gender},PNS\n"
            )
            start = dt.datetime(2026, 12, 4, 4, 30, tzinfo=dt.UTC)
            gathering = Gathering.objects.create(
                office=office, date=start.date(), start=start, end=start + dt.timedelta(hours=1), place="Aula"
            )
            staff_turn, colleague_turn = (
                AgendaItem.objects.create(
                    gathering=gathering,
                    order=order,
                    kind=AgendaItem.Kind.KULTUM,
                    minutes=7,
                    employee=employee,
                )
                for order, employee in ((1, staff_member), (2, colleague))
            )
            return {
                "office_code": office,
                "employee": colleague,
                "staff_import_upload": StaffImportUpload.objects.create(
                    office=office, uploaded_by=admin, filename="pegawai.csv", content=content.encode()
                ),
                "gathering": gathering,
                "agenda_item": staff_turn,
                # The colleague asks the staff member to take their turn.
                "swap_request": SwapRequest.objects.create(
                    item=colleague_turn, requested_by=colleague, colleague=staff_member
                ),
                "speaker": Speaker.objects.get_or_create(
                    government=office.government, name=f"Prof. Tokoh {office.government.name}"
                )[0],
                "api_token": ApiToken.objects.filter(user=admin).first() or token(admin, f"{admin}-hp"),
                "gathering_template": GatheringTemplate.objects.create(
                    office=office,
                    start_mode="fixed",
                    start_time=dt.time(12, 30),
                    place="Musala",
                    valid_from=dt.date(2026, 1, 1),
                ),
                **more_objects_of(office, admin, staff_member, colleague, gathering),
            }

        def more_objects_of(
            office: Office, admin: User, staff_member: Employee, colleague: Employee, gathering: Gathering
        ) -> dict[str, Any]:
            """Objects of the later apps: leave, follow-ups, reading groups, notes, services, complaints,
            evaluation assignments and follow-up actions."""
            from perjumpaan.attendance.models import FollowUp, LeaveRequest
            from perjumpaan.evaluation.models import Assignment, FollowUpAction
            from perjumpaan.evaluation.services import round_open
            from perjumpaan.service.models import Complaint, ImprovementAction, Service
            from perjumpaan.tadarus.models import GroupMember, ReadingGroup, TadabburNote

            day = dt.date(2026, 12, 4)
            from perjumpaan.program.services import enrollment_set

            enrollment_set(actor=None, office=office, enrolled_on=dt.date(2026, 1, 5))
            group = ReadingGroup.objects.create(
                office=office, name="ODOJ", coordinator=staff_member, started_on=day
            )
            GroupMember.objects.create(group=group, employee=staff_member, join_order=1, joined_on=day)
            GroupMember.objects.create(group=group, employee=colleague, join_order=2, joined_on=day)
            evaluation_round = round_open(
                office=office, friday=day, now=dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC)
            )
            assert evaluation_round is not None
            return {
                "leave_request": LeaveRequest.objects.create(
                    employee=staff_member,
                    kind="S",
                    start_date=day,
                    end_date=day,
                    reason="Demam",
                    attachment=ContentFile(b"%PDF-1.4\n%%EOF\n", name="surat-dokter.pdf"),
                ),
                "follow_up": FollowUp.objects.create(employee=colleague, streak=3),
                "reading_group": group,
                "tadabbur_note": TadabburNote.objects.create(
                    gathering=gathering,
                    author=colleague,
                    surah=2,
                    ayah=153,
                    ayah_end=153,
                    title="Sabar",
                    reflection="Renungan",
                ),
                "service": Service.objects.create(office=office, code="KTP-EL", name="KTP-el"),
                "improvement_action": ImprovementAction.objects.create(
                    office=office,
                    period="2026-S2",
                    element="U3",
                    action="Tambah loket",
                    due_date=day,
                    owner=colleague,
                ),
                "complaint": Complaint.objects.create(
                    office=office, reference=f"P-{office.code}", category="waktu", description="Antre lama"
                ),
                "evaluation_assignment": Assignment.objects.filter(
                    round=evaluation_round, rater=staff_member
                ).first(),
                "evaluation_action": FollowUpAction.objects.create(
                    office=office, week_opened="2026-W49", text="Perbaiki jadwal piket"
                ),
            }

        def personal(office: Office) -> list[str]:
            return [text for e in Employee.objects.filter(office=office) for text in (e.name, e.nip)]

        dukcapil = objects_of(cls.dukcapil, cls.admin, cls.staf_dukcapil)
        pupr = objects_of(cls.pupr, cls.admin, cls.staf_pupr)
        lotim_data = objects_of(bappeda, cls.other_admin, cls.staf_lotim)
        same_government = frozenset({"speaker"})
        lombok_barat = {"admin": "admin"}
        of_dukcapil = Victim(
            "DUKCAPIL",
            {**lombok_barat, "staff": "staf_dukcapil"},
            dukcapil,
            [cls.dukcapil.name, *personal(cls.dukcapil)],
            skip_kinds=same_government,
            public_markers=frozenset({cls.dukcapil.name}),
        )
        pupr_owners = {**lombok_barat, "staff": "staf_pupr"}
        pupr_markers = [cls.pupr.name, *personal(cls.pupr)]
        pupr_public = frozenset({cls.pupr.name})
        of_pupr = Victim(
            "PUPR", pupr_owners, pupr, pupr_markers, skip_kinds=same_government, public_markers=pupr_public
        )
        of_lombok_barat = Victim(
            "Lombok Barat's PUPR",
            pupr_owners,
            pupr,
            [*pupr_markers, pupr["speaker"].name],
            public_markers=pupr_public,
        )
        of_lotim = Victim(
            "Lombok Timur",
            {"admin": "other_admin", "staff": "staf_lotim"},
            lotim_data,
            [bappeda.name, *personal(bappeda), lotim_data["speaker"].name],
            public_markers=frozenset({bappeda.name}),
        )
        # Inside their own office: the colleague's record and the office's pending import.
        dukcapil_colleague = dukcapil["employee"]
        colleague = Victim(
            "a DUKCAPIL colleague",
            {**lombok_barat, "staff": "staf_dukcapil"},
            dukcapil,
            [dukcapil_colleague.name, dukcapil_colleague.nip],
            only_kinds=frozenset({"employee", "staff_import_upload"}),
        )
        # Leadership reads everything and manages nothing.
        managed = Victim(
            "DUKCAPIL's pending import",
            {**lombok_barat, "staff": "staf_dukcapil"},
            dukcapil,
            [],
            only_kinds=frozenset({"staff_import_upload"}),
        )
        cls.victims: dict[str, list[Victim]] = {
            "admin": [of_lotim],
            "pimpinan": [of_lotim, managed],
            "koord_dukcapil": [of_pupr],
            "staf_dukcapil": [of_pupr, colleague],
            "fasilitator": [of_pupr, colleague],
            "koord_pupr": [of_dukcapil],
            "staf_pupr": [of_dukcapil],
            "outsider": [of_lombok_barat],
            "other_admin": [of_lombok_barat],
            ANONYMOUS: [of_lombok_barat],
        }
        for persona in (*cls.PERSONAS, "staf_lotim"):
            token(getattr(cls, persona), f"token-{persona}")

    # --- helpers ------------------------------------------------------------------------------------

    def client_for(self, persona: str) -> Client:
        client = Client()
        if persona != ANONYMOUS:
            client.force_login(getattr(self, persona))
        return client

    def api_headers(self, persona: str) -> dict[str, str]:
        return {} if persona == ANONYMOUS else {"HTTP_AUTHORIZATION": f"Bearer token-{persona}"}

    def call(self, client: Client, method: str, url: str, what: str, **extra: Any) -> HttpResponse:
        """One request whose writes are rolled back, so that every call sees the same data."""
        try:
            with transaction.atomic():
                response = client.generic(method.upper(), url, **extra)
                transaction.set_rollback(True)
        except Exception as error:  # a crash is a failure of the proof, reported with its context
            self.fail(f"{what}: raised {error!r}")
        self.assertLess(response.status_code, 500, f"{what}: answered {response.status_code}")
        return response  # type: ignore[no-any-return]

    def assert_no_markers(
        self, response: HttpResponse, victim: Victim, what: str, *, public: bool = False
    ) -> None:
        if getattr(response, "streaming", False):
            return
        body = response.content.decode("utf-8", errors="replace")
        markers = [m for m in victim.markers if not (public and m in victim.public_markers)]
        leaked = [marker for marker in markers if marker in body]
        self.assertEqual(leaked, [], f"{what}: the response shows {victim.label}'s data")

    def applies(self, victim: Victim, kinds: set[str]) -> bool:
        identifying = {kind for kind in kinds if not kind.startswith("=")}
        if identifying & victim.skip_kinds:
            return False
        return victim.only_kinds is None or bool(identifying & victim.only_kinds)

    def refusal(self, response: HttpResponse, persona: str, api: bool) -> bool:
        if persona == ANONYMOUS:
            if api:
                return response.status_code == 401
            login = reverse("login")
            return response.status_code in (403, 404, 405) or (
                response.status_code == 302 and response["Location"].startswith(login)
            )
        # A page may also refuse the method before it looks at the data (require_POST outermost).
        return response.status_code in ((403, 404) if api else (403, 404, 405))

    def personas(self) -> list[str]:
        return [*self.PERSONAS, ANONYMOUS]

    def api_operations(self) -> tuple[list[Operation], list[str]]:
        document = self.client.get("/api/v1/openapi.json").json()
        components = document.get("components", {}).get("schemas", {})
        operations: list[Operation] = []
        problems: list[str] = []
        for path, methods in document["paths"].items():
            for method, spec in methods.items():
                if (method, path) in SKIPPED_OPERATIONS:
                    continue
                operation = Operation(method=method, path=path)
                for parameter in spec.get("parameters", []):
                    if parameter["in"] not in ("path", "query"):
                        continue
                    if parameter["in"] == "query" and not parameter.get("required"):
                        continue
                    name = parameter["name"]
                    generic = name in GENERIC_NAMES
                    kind = ROUTE_KWARGS.get((operation.key, name)) if generic else API_PARAMS.get(name)
                    if kind is None:
                        operation.unknown.append(name)
                        where = (
                            f"ROUTE_KWARGS[({operation.key!r}, {name!r})]"
                            if generic
                            else f"API_PARAMS[{name!r}]"
                        )
                        problems.append(
                            f"API {operation.key} takes {parameter['in']} parameter {name!r}, which "
                            f"tests/test_isolation.py does not know. Add {where} = '<kind>'."
                        )
                    elif parameter["in"] == "path":
                        operation.kinds[name] = kind
                    else:
                        operation.query[name] = kind
                operation.body = BODY_EXAMPLES.get((method, path))
                content = spec.get("requestBody", {}).get("content", {})
                if operation.body is None and "application/json" in content:
                    operation.body = example_of(content["application/json"]["schema"], components)
                operations.append(operation)
        return operations, problems

    # --- the proof ----------------------------------------------------------------------------------

    def test_every_url_kwarg_and_api_parameter_is_known_to_the_proof(self) -> None:
        _routes, problems = project_routes()
        _operations, api_problems = self.api_operations()
        self.assertEqual([*problems, *api_problems], [], "\n".join([*problems, *api_problems]))

    def test_the_proof_finds_the_pages_and_operations_it_must_check(self) -> None:
        names = {route.name for route in project_routes()[0]}
        self.assertTrue(
            {"home", "org:office_list", "org:office_detail", "org:employee_detail"} <= names, names
        )
        operations = {(operation.method, operation.path) for operation in self.api_operations()[0]}
        self.assertIn(("get", "/api/v1/offices/{code}/employees"), operations)
        self.assertIn(("delete", "/api/v1/auth/tokens/{token_id}"), operations)

    def test_the_data_markers_are_visible_to_their_rightful_owner(self) -> None:
        # Otherwise "the response does not show X" would prove nothing.
        admin = self.client_for("admin")
        page = admin.get(reverse("org:office_detail", args=["PUPR"])).content.decode()
        pupr_victim = self.victims["koord_dukcapil"][0]
        self.assertTrue(all(marker in page for marker in pupr_victim.markers), pupr_victim.markers)
        listing = admin.get("/api/v1/offices/PUPR/employees").content.decode()
        self.assertTrue(all(marker in listing for marker in pupr_victim.markers[1:]))

    def cases(self, route: Route) -> list[tuple[str, Victim]]:
        """Who calls `route` against whose data. A public page shows everybody the same thing, so an
        anonymous visitor calls it once for each victim (some of them render charts and PDFs)."""
        if route.public:
            victims = {v.label: v for vs in self.victims.values() for v in vs}
            return [(ANONYMOUS, victim) for victim in victims.values()]
        return [(persona, victim) for persona in self.personas() for victim in self.victims[persona]]

    def test_no_page_shows_a_persona_data_outside_their_scope(self) -> None:
        routes, _problems = project_routes()
        clients = {persona: self.client_for(persona) for persona in self.personas()}
        for route in routes:
            if route.unknown:
                continue  # reported by test_every_url_kwarg_and_api_parameter_is_known_to_the_proof
            for persona, victim in self.cases(route):
                if route.kinds and not self.applies(victim, set(route.kinds.values())):
                    continue
                if not route.kinds and victim.only_kinds is not None:
                    continue
                url = reverse(route.name, kwargs={k: victim.fill(kind) for k, kind in route.kinds.items()})
                for method in ("get", "post"):
                    what = f"{method.upper()} {url} ({route.name}) as {persona}, against {victim.label}"
                    with self.subTest(url=url, persona=persona, method=method):
                        response = self.call(clients[persona], method, url, what)
                        self.assert_no_markers(response, victim, what, public=route.public)
                        if route.kinds and not route.public:
                            self.assertTrue(
                                self.refusal(response, persona, api=False),
                                f"{what}: answered {response.status_code}, expected 403/404"
                                + (" or a redirect to the login page" if persona == ANONYMOUS else ""),
                            )

    def reaches(self, client: Client, url: str, what: str) -> tuple[bool, int]:
        """Whether `client` gets through to the page: 200 for GET, or for a POST-only view an answer
        that is not a refusal (it redirects back with a message about the empty form, say)."""
        response = self.call(client, "get", url, "GET " + what)
        if response.status_code != 405:
            return response.status_code == 200, response.status_code
        response = self.call(client, "post", url, "POST " + what)
        return response.status_code not in (401, 403, 404, 405), response.status_code

    def test_every_page_answers_the_rightful_owner(self) -> None:
        routes, _problems = project_routes()
        for route in routes:
            if route.unknown:
                continue
            if not route.kinds:
                # A page about nobody's data in particular (home, "today"): somebody must get it.
                with self.subTest(url=route.name):
                    url = reverse(route.name)
                    statuses = {
                        persona: self.reaches(self.client_for(persona), url, f"{url} as {persona}")
                        for persona in self.PERSONAS
                    }
                    self.assertTrue(
                        any(ok for ok, _status in statuses.values()), f"{url}: nobody gets it: {statuses}"
                    )
                continue
            victims = {
                v.label: v
                for vs in self.victims.values()
                for v in vs
                if self.applies(v, set(route.kinds.values()))
            }
            for victim in victims.values():
                url = reverse(route.name, kwargs={k: victim.fill(kind) for k, kind in route.kinds.items()})
                owner = ANONYMOUS if route.public else victim.owner(route.name)
                what = f"{url} ({route.name}) as {owner}, the owner of {victim.label}"
                with self.subTest(url=url, persona=owner):
                    ok, status = self.reaches(self.client_for(owner), url, what)
                    self.assertTrue(ok, f"{what}: answered {status}")

    def api_call(self, operation: Operation, url: str, persona: str, what: str) -> HttpResponse:
        extra: dict[str, Any] = self.api_headers(persona)
        if operation.body is not None:
            extra.update(data=json.dumps(operation.body), content_type="application/json")
        response = self.call(Client(), operation.method, url, what, **extra)
        self.assertNotEqual(
            response.status_code,
            422,
            f"{what}: the example body {operation.body!r} did not validate ({response.content[:300]!r}); "
            "add a valid one to BODY_EXAMPLES in tests/test_isolation.py",
        )
        return response

    def api_reached(self, operation: Operation, status: int) -> bool:
        """Whether the caller got through to the operation. A write may refuse the example body on its
        merits (400 "this code has expired", 409) after the caller was let in."""
        return 200 <= status < 300 or (operation.method != "get" and status in (400, 409))

    def test_no_api_operation_shows_a_persona_data_outside_their_scope(self) -> None:
        operations, _problems = self.api_operations()
        for operation in operations:
            if operation.unknown:
                continue  # reported by test_every_url_kwarg_and_api_parameter_is_known_to_the_proof
            kinds = operation.all_kinds()
            for persona in self.personas():
                for victim in self.victims[persona]:
                    if kinds and not self.applies(victim, kinds):
                        continue
                    if not kinds and victim.only_kinds is not None:
                        continue
                    url = operation.url(victim)
                    what = f"API {operation.method.upper()} {url} as {persona}, against {victim.label}"
                    with self.subTest(url=url, persona=persona, method=operation.method):
                        response = self.api_call(operation, url, persona, what)
                        self.assert_no_markers(response, victim, what)
                        if operation.kinds or persona == ANONYMOUS:
                            self.assertTrue(
                                self.refusal(response, persona, api=True),
                                f"{what}: answered {response.status_code}, expected "
                                + ("401" if persona == ANONYMOUS else "403/404"),
                            )

    def test_every_api_operation_answers_the_rightful_owner(self) -> None:
        operations, _problems = self.api_operations()
        for operation in operations:
            if operation.unknown:
                continue
            if not operation.kinds:
                # About nobody's data in particular (the caller's own, a list): somebody must get it.
                with self.subTest(url=operation.key):
                    statuses = {
                        persona: self.api_call(
                            operation,
                            operation.url(self.victims["admin"][0]),
                            persona,
                            f"{operation.key} as {persona}",
                        ).status_code
                        for persona in self.PERSONAS
                    }
                    self.assertTrue(
                        any(self.api_reached(operation, status) for status in statuses.values()),
                        f"{operation.key}: nobody gets it: {statuses}",
                    )
                continue
            kinds = operation.all_kinds()
            victims = {v.label: v for vs in self.victims.values() for v in vs if self.applies(v, kinds)}
            for victim in victims.values():
                url = operation.url(victim)
                owner = victim.owner(operation.key)
                what = f"API {operation.method.upper()} {url} as {owner}, the owner of {victim.label}"
                with self.subTest(url=url, persona=owner, method=operation.method):
                    response = self.api_call(operation, url, owner, what)
                    self.assertTrue(
                        self.api_reached(operation, response.status_code),
                        f"{what}: answered {response.status_code}",
                    )
