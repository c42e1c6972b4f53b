"""The OpenAPI document is complete and valid; Swagger UI renders offline in a real browser."""
import json
import os
import shutil
import subprocess

import pytest

from conftest import ROOT


def test_openapi_is_3_1_and_lists_the_operations_routes(server):
    doc = server.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    for path in ("/status", "/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"):
        assert "get" in doc["paths"][path], path
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op.get("summary"), (method, path)
            assert "responses" in op and op["responses"], (method, path)


def test_openapi_validates_with_redocly(server, tmp_path):
    redocly = ROOT / "node_modules" / ".bin" / "redocly"
    assert redocly.exists(), "run scripts/setup.sh: @redocly/cli is a test dependency"
    spec = tmp_path / "openapi.json"
    spec.write_text(server.get("/openapi.json").text)
    config = tmp_path / "redocly.yaml"
    # 'recommended' minus rules about documentation polish (servers with example.com, license
    # URLs); structural validity and OpenAPI 3.1 conformance stay enforced.
    config.write_text("extends:\n  - recommended\nrules:\n  no-server-example.com: off\n"
                      "  info-license-url: off\n  operation-4xx-response: off\n"
                      "  no-empty-servers: off\n  security-defined: off\n")
    r = subprocess.run([str(redocly), "lint", "--config", str(config), str(spec)],
                       capture_output=True, text=True, timeout=120,
                       env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"})
    assert r.returncode == 0, r.stdout + r.stderr


def test_docs_page_and_assets_are_served(server):
    r = server.get("/docs")
    assert r.status_code == 200, r.text
    assert "swagger-ui" in r.text
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    js = server.get("/docs/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert server.get("/docs/../../etc/passwd").status_code == 404


def test_swagger_ui_renders_in_headless_chromium(server, tmp_path):
    chromium = shutil.which("chromium")
    assert chromium, "run scripts/setup.sh: chromium is a test dependency"
    r = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=10000", "--dump-dom", server.url("/docs")],
        capture_output=True, text=True, timeout=120)
    dom = r.stdout
    # Swagger UI has fetched /openapi.json and rendered our operations.
    assert "MilkyHoop API" in dom, dom[:2000]
    assert "/healthz" in dom
