"""``/`` serves the built web app when there is one, else a placeholder page."""

from __future__ import annotations

from starlette.testclient import TestClient

from flowscope.data.logdir import Logdir
from flowscope.server import create_app


def test_placeholder_page_without_a_built_web_app(tmp_path):
    app = create_app(Logdir(str(tmp_path), load=False), 0, web_app=tmp_path / "missing")
    response = TestClient(app, base_url="http://localhost").get("/")
    assert response.status_code == 200 and "flowscope" in response.text and "/api/runs" in response.text


def test_built_web_app_is_served_at_the_root(tmp_path):
    web = tmp_path / "static"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>app</title>")
    (web / "app.js").write_text("console.log(1)")
    client = TestClient(
        create_app(Logdir(str(tmp_path / "logs"), load=False), 0, web_app=web),
        base_url="http://localhost",
    )
    assert client.get("/").text.startswith("<!doctype html><title>app</title>")
    assert client.get("/app.js").text == "console.log(1)"
    assert client.get("/../../etc/passwd").status_code == 404
    assert client.get("/data/runs").json() == []
