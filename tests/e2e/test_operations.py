"""The operations endpoints of API.md and the binary's command line."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import ROOT, run_cli
from deployment import SQLITE_FILES


def test_status_answers_the_seed_string_with_version_and_services(server):
    r = server.get("/status")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "MilkyHoop API Gateway is running!"
    assert body["version"]
    assert body["services"]["gateway"] == "up"
    assert all(state in ("up", "down", "degraded") for state in body["services"].values())


def test_health_and_readiness(server):
    assert server.get("/healthz").status_code == 200
    r = server.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ready"


def test_every_response_has_request_id_and_trace_context(server):
    r = server.get("/healthz", headers={"X-Request-Id": "my-req-42"})
    assert r.headers["X-Request-Id"] == "my-req-42"
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    r = server.get("/status", headers={"traceparent": f"00-{trace}-00f067aa0ba902b7-01"})
    assert r.headers["traceparent"].startswith(f"00-{trace}-")
    assert r.headers["X-Request-Id"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_route_is_a_problem_detail(server):
    r = server.get("/v1/nothing-here")
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "not_found" and body["status"] == 404
    r = server.request("DELETE", "/status")
    assert r.status_code == 405
    assert "GET" in r.headers["Allow"]


def test_metrics_count_requests_and_report_memory(server):
    for _ in range(3):
        server.get("/status")
    server.get("/missing")
    text = server.get("/metrics").text
    assert 'http_requests_total{route="/status",method="GET",status="200"} 3' in text
    assert 'http_requests_total{route="unmatched",method="any",status="404"} 1' in text
    assert 'http_request_duration_seconds_bucket{route="/status",method="GET",le="+Inf"} 3' in text
    rss = [l for l in text.splitlines() if l.startswith("process_resident_memory_bytes ")]
    assert rss and float(rss[0].split()[1]) > 1_000_000


def test_idle_memory_stays_under_40_mib(server):
    server.get("/status")
    assert server.rss_kib() < 40 * 1024, f"idle RSS {server.rss_kib()} KiB"


def test_access_log_lines_are_json_with_request_ids(server):
    server.get("/status", headers={"X-Request-Id": "log-check-1"})
    server.stop()
    entries = [json.loads(l) for l in server.lines if l.startswith("{")]
    access = [e for e in entries if e.get("msg") == "request" and e.get("request_id") == "log-check-1"]
    assert access, server.lines
    e = access[0]
    assert e["status"] == 200 and e["route"] == "/status" and e["level"] == "info"
    assert "ts" in e and "trace_id" in e and "duration_us" in e


@SQLITE_FILES
def test_two_instances_side_by_side_on_free_ports(start_server):
    a = start_server()
    b = start_server()
    assert a.port != b.port
    assert a.get("/healthz").ok and b.get("/healthz").ok
    assert os.path.exists(os.path.join(a.data_dir, "platform.db"))


def test_cors_preflight_for_configured_origin(start_server):
    s = start_server(env={"MILKYHOOP_HTTP_CORS_ORIGINS": "https://shop.example"})
    r = s.request("OPTIONS", "/status", headers={
        "Origin": "https://shop.example", "Access-Control-Request-Method": "GET"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    r = s.get("/status", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in r.headers


def test_version_and_help_on_every_command():
    r = run_cli("version")
    assert r.returncode == 0 and r.stdout.startswith("milkyhoop ")
    for args in (["--help"], ["serve", "--help"], ["migrate", "--help"], ["version", "--help"]):
        r = run_cli(*args)
        assert r.returncode == 0, (args, r.stderr)
        assert "Usage" in r.stdout or "usage" in r.stdout.lower()


@SQLITE_FILES
def test_migrate_creates_the_databases(tmp_path):
    r = run_cli("migrate", "--data-dir", str(tmp_path / "d"), "--log-format", "text")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "d" / "platform.db").exists()
    # Applied once: a second run is a no-op that still succeeds.
    assert run_cli("migrate", "--data-dir", str(tmp_path / "d")).returncode == 0


def test_config_errors_name_the_key(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[http]\nmax_body_byts = 10\n')
    r = run_cli("serve", "--config", str(cfg), "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 2
    assert "http.max_body_byts" in r.stderr
    r = run_cli("serve", "--data-dir", str(tmp_path / "d"),
                env={"MILKYHOOP_HTTP_MAX_CONNECTIONS": "lots"})
    assert r.returncode == 2 and "http.max_connections" in r.stderr
    r = run_cli("serve", "--listen", "nowhere", "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 2 and "server.listen" in r.stderr


def test_config_file_then_env_then_flags(start_server, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[server]\nlisten = "127.0.0.1:1"\n[log]\nlevel = "warn"\n')
    # The file says port 1 and warn; the flag --listen (from the fixture) wins for the port,
    # the environment wins for the level.
    s = start_server(config_file=cfg, env={"MILKYHOOP_LOG_LEVEL": "info"})
    assert s.port != 1
    assert s.get("/healthz").ok


def test_database_password_never_reaches_logs(tmp_path):
    secret = "Sup3rS3cretPw"
    r = run_cli("serve", "--listen", "127.0.0.1:0", "--data-dir", str(tmp_path / "d"),
                env={"MILKYHOOP_DATABASE_DRIVER": "postgres",
                     "MILKYHOOP_DATABASE_DSN": f"postgresql://u:{secret}@127.0.0.1:1/db?connect_timeout=2"},
                timeout=60)
    assert r.returncode != 0
    assert secret not in r.stdout and secret not in r.stderr


def test_sigterm_exits_zero_quickly(server):
    assert server.get("/healthz").ok
    import time
    t = time.monotonic()
    assert server.stop() == 0
    assert time.monotonic() - t < 5
