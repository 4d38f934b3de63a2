"""Liveness, readiness, metrics, the served spec and the docs page (in-process)."""

import socket

from tests.conftest import make_app


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_is_ok(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_readyz_is_ok_when_the_database_answers(client):
    response = client.get("/readyz")
    assert (response.status_code, response.get_json()) == (
        200,
        {"status": "ready", "database": "ok"},
    )


def test_without_a_database_readyz_is_503_and_healthz_stays_200():
    app = make_app(f"postgresql://postgres@127.0.0.1:{closed_port()}/none")
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.content_type == "application/problem+json"
    assert ready.headers["Retry-After"] == "5"
    assert client.get("/healthz").status_code == 200
    catalog = client.get("/v1/exercises")
    assert catalog.status_code == 503
    assert catalog.content_type == "application/problem+json"


def test_readyz_is_503_on_a_database_that_was_never_migrated(empty_database):
    client = make_app(empty_database("sqlite")).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"


def test_made_up_methods_do_not_mint_metric_series(client):
    client.open("/v1/exercises", method="ZZTOP")
    text = client.get("/metrics").get_data(as_text=True)
    assert "ZZTOP" not in text
    assert 'method="OTHER"' in text


def test_metrics_count_requests_by_route_template(client):
    client.get("/v1/ladders/psoas")

    def count() -> float:
        text = client.get("/metrics").get_data(as_text=True)
        for line in text.splitlines():
            if line.startswith("psoas_http_requests_total{") and (
                'route="/v1/ladders/<slug:slug>"' in line
                and 'status="200"' in line
                and 'method="GET"' in line
            ):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    before = count()
    client.get("/v1/ladders/psoas")
    client.get("/v1/ladders/psoas")
    assert count() == before + 2


def test_openapi_json_is_the_apps_spec_with_an_etag(client, app):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == app.extensions["smorest_api"].spec.to_dict()
    again = client.get("/openapi.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_docs_page_loads_its_assets_from_this_server(client):
    page = client.get("/docs").get_data(as_text=True)
    assert "/static/swagger-ui/swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page
    for asset in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css", "docs.js"):
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200
        assert len(response.data) > 100
        response.close()


def test_the_domain_document_is_served_and_names_every_rule(client):
    response = client.get("/docs/domain")
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    text = response.get_data(as_text=True)
    rules = client.get("/v1/rules?page_size=100").get_json()["items"]
    assert rules and all(f"`{rule['slug']}`" in text for rule in rules)
    again = client.get("/docs/domain", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_spec_points_at_the_domain_document(client):
    spec = client.get("/openapi.json").get_json()
    assert "[`/docs/domain`](/docs/domain)" in spec["info"]["description"]
    assert spec["paths"]["/docs/domain"]["get"]["operationId"] == "domain"
