"""The contract is a valid OpenAPI 3.1 document, served as it is, and names every route."""

from openapi_spec_validator import validate

from app import app
from bemtevi.contract import document


def test_the_document_is_valid_openapi_3_1():
    assert document()["openapi"] == "3.1.0"
    validate(document())


def test_it_is_served_without_a_signature(api):
    response = api.get("/v1/openapi.json")
    assert response.status_code == 200
    assert response.json_body == document()


def test_every_route_of_the_app_is_documented():
    routes = {(path, method.lower()) for path, entries in app.routes.items() for method in entries}
    documented = {
        (path, method) for path, operations in document()["paths"].items() for method in operations
    }
    assert routes == documented
