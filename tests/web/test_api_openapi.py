"""The OpenAPI document says what the code does: every /api/v1 route is in it and nothing else,
and schemathesis, generating requests from it (valid and invalid) with an administrator's and
an HR officer's token, meets no server error and no answer outside the document."""

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from lms.curricula.ledger import services as ledger
from lms.extensions import db, limiter
from tests.factories import make_cycle, make_official
from tests.web.routes.api import bearer

EXAMPLES = 25  # per operation, generation mode and role: about 800 requests in all
# A request valid by the document may still break a rule no schema can say (credits earned
# in the future: 422); anything else it gets must be a success, 401/403/404, 409 or 429.
ACCEPTED = ["2xx", "401", "403", "404", "409", "422", "429"]


def _document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _api_routes(app) -> set[tuple[str, str]]:
    """(OpenAPI path, method) of every registered /api/v1 route."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule[len("/api/v1") :])
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                found.add((path, method.lower()))
    return found


def test_every_api_route_is_in_the_document_and_nothing_else(app, client):
    documented = {
        (path, method)
        for path, operations in _document(client)["paths"].items()
        for method in operations
    }
    assert documented == _api_routes(app)


def test_the_document_is_public_and_names_the_bearer_scheme(client):
    document = _document(client)
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document["paths"]["/verify/{code}"]["get"]["security"] == []


def test_every_operation_documents_its_errors_with_the_error_schema(client):
    document = _document(client)
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "429", "500"} <= set(responses), (path, method)
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    if "$ref" in response:
                        name = response["$ref"].rsplit("/", 1)[1]
                        response = document["components"]["responses"][name]
                    assert response["content"]["application/json"]["schema"] == error


@pytest.fixture
def data(world, freeze, assets_dir):
    """Officials, ledger entries, the 2026 cycle and a certificate for the generated requests to
    find some of the time."""
    from lms.certificates import services
    from tests.factories import import_course, make_completion

    freeze(datetime(2026, 6, 15, 3, 0))
    make_cycle(2026)
    course = import_course("BB01")
    official = make_official("DN000001", "Trần Văn Bình", "SNV-CCVC", gender="male")
    ledger.append(ledger.NewEntry(official.id, date(2026, 3, 1), Decimal(1), "manual", "Lớp A"))
    services.issue_for(make_completion(official, course, commit=True))
    db.session.commit()


def _purpose_if_bulk(case) -> dict:
    """The X-Purpose header a client following docs/api.md sends with a bulk read of the
    registry (a rule between parameters, which OpenAPI 3.0 cannot state)."""
    query = case.query or {}
    if case.path != "/officials" or "purpose" in query or "X-Purpose" in (case.headers or {}):
        return {}
    page, per_page = str(query.get("page", 1)), str(query.get("per_page", 50))
    bulk = page.isdigit() and int(page) > 1 or per_page.isdigit() and int(per_page) > 50
    return {"X-Purpose": "schemathesis"} if bulk else {}


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("role", ["admin", "hr"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_document(
    app, world, data, role, mode, monkeypatch
):
    monkeypatch.setitem(app.config, "LMS_API_RATE_LIMIT", "100000 per minute")
    headers = bearer(world[role])
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.config.checks.positive_data_acceptance.expected_statuses = ACCEPTED
    failures = []
    for operation in _operations(schema):

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            with app.app_context():
                case.call_and_validate(headers={**headers, **_purpose_if_bulk(case)})

        try:
            run()
        except Unsatisfiable:
            # Negative mode on an operation that takes any value (e.g. /verify/{code}): there
            # is no invalid request to make, which is no failure.
            assert mode == GenerationMode.NEGATIVE, operation.label
        except Exception as error:  # collect every operation's first failure, then report
            failures.append(f"{operation.label}: {error}")
    limiter.reset()
    assert not failures, "\n\n".join(failures)
