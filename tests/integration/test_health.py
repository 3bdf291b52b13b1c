from chalice.test import Client

from app import app


def test_health_reports_version_and_tables(aws):
    with Client(app) as client:
        response = client.http.get("/health")
    assert response.status_code == 200
    assert response.json_body == {
        "status": "ok",
        "version": "0.1.0",
        "tables": {"network": "ok", "customers": "ok", "sales": "ok"},
    }


def test_health_is_degraded_when_a_table_does_not_answer(aws):
    from bemtevi.store.models import NetworkTable

    NetworkTable.delete_table()
    with Client(app) as client:
        response = client.http.get("/health")
    assert response.status_code == 503
    assert response.json_body["tables"] == {
        "network": "unavailable",
        "customers": "ok",
        "sales": "ok",
    }
