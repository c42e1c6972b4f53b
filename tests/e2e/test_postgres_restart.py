"""The server on PostgreSQL survives a restart of PostgreSQL (issue 8): while the database is
down, requests that need it get a clear 503 problem and the process stays up; once it is back,
the same process serves again with no restart of its own, and nothing committed before is lost.
Runs against the throwaway server of scripts/pg-start.sh (the one scripts/test.sh and .ci/run
use), which it stops and starts again. The server's schemas (one per service) are dropped before
and after: each run's server seals its data with a master key of its own."""
import os
import pathlib
import subprocess
import time

import pytest

from api import create_org, register

ROOT = pathlib.Path(__file__).resolve().parents[2]
DSN = os.environ.get("MILKYHOOP_TEST_PG_DSN", "")
PORT = os.environ.get("MILKYHOOP_PG_PORT", "55432")
pytestmark = pytest.mark.skipif(
    f"127.0.0.1:{PORT}/" not in DSN,
    reason="needs MILKYHOOP_TEST_PG_DSN to name the scripts/pg-start.sh server, which this "
           "test restarts")


SERVICE_SCHEMAS = ["platform", "auth", "org", "audit", "business", "rag", "chatbot", "assistant"]


def drop_service_schemas():
    sql = "".join(f"DROP SCHEMA IF EXISTS {name} CASCADE;" for name in SERVICE_SCHEMAS)
    subprocess.run(["psql", DSN, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=60)


@pytest.fixture
def fresh_schemas():
    drop_service_schemas()
    yield
    drop_service_schemas()


def pg(script):
    subprocess.run([str(ROOT / "scripts" / script)], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def test_the_server_rides_out_a_postgres_restart(fresh_schemas, start_server):
    s = start_server(env={"MILKYHOOP_DATABASE_DRIVER": "postgres",
                          "MILKYHOOP_DATABASE_DSN": DSN})
    owner = register(s, "Bu Tahan")
    org = create_org(owner, "Tahan Banting")

    pg("pg-stop.sh")
    try:
        r = owner.get(f"/v1/orgs/{org['id']}")
        assert r.status_code == 503, r.text
        assert r.headers["Content-Type"].startswith("application/problem+json")
        assert s.get("/healthz").status_code == 200, "the process itself stays up"
        assert s.get("/readyz").status_code == 503, "and says it is not ready"
    finally:
        pg("pg-start.sh")

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        r = owner.get(f"/v1/orgs/{org['id']}")
        if r.status_code == 200:
            break
        time.sleep(0.5)
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Tahan Banting"
    login = s.post("/v1/auth/login", json={"email": owner.email,
                                          "password": "kopi-susu-gula-aren-42"})
    assert login.status_code == 200, login.text
    assert s.get("/readyz").status_code == 200
