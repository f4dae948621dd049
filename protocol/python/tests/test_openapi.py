"""protocol/openapi.yaml is a valid OpenAPI 3.1 document (the gateway's HTTP API, see protocol/HTTP.md)."""

from pathlib import Path

import yaml
from openapi_spec_validator import validate

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


def test_the_gateway_api_description_is_valid_openapi_3_1():
    document = yaml.safe_load(SPEC.read_text())
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_operation_has_an_id_and_responses():
    document = yaml.safe_load(SPEC.read_text())
    ids = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "operationId" in operation, f"{method.upper()} {path} has no operationId"
            assert operation.get("responses"), f"{method.upper()} {path} has no responses"
            ids.append(operation["operationId"])
    assert len(ids) == len(set(ids)), "operationIds must be unique"
