"""Gateway replicas behind the load balancer of deploy/nginx.conf (issue 8): the file itself,
with its upstream pointed at two replicas on loopback, run by a real nginx. The replicas share
rate limits through Redis and, trusting the balancer (http.trusted_proxies), apply them per
client from X-Forwarded-For; a replica that goes away is routed around."""
import pathlib
import re
import shutil
import signal
import subprocess
import time

import pytest
import requests

from conftest import ROOT, free_port


def nginx_binary():
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert pathlib.Path(binary).exists(), "nginx is missing: scripts/setup.sh installs nginx-light"
    return binary


@pytest.fixture
def load_balancer(tmp_path):
    """start(ports) → the base URL of nginx running deploy/nginx.conf in front of `ports`."""
    procs = []

    def start(upstream_ports):
        conf = (ROOT / "deploy" / "nginx.conf").read_text()
        servers = "".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;\n    "
                          for p in upstream_ports)
        conf, n = re.subn(r"server api_gateway:8000;\n\s*", servers, conf)
        assert n == 1, "deploy/nginx.conf no longer has the api_gateway upstream this test edits"
        port = free_port()
        conf, n = re.subn(r"listen 8000;", f"listen 127.0.0.1:{port};", conf)
        assert n == 1
        # Files of this run only; nothing under /var.
        conf = (f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n" + conf).replace(
            "http {", f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path}/body;\n"
                      f"  proxy_temp_path {tmp_path}/proxy;\n", 1)
        (tmp_path / "nginx.conf").write_text(conf)
        check = subprocess.run([nginx_binary(), "-t", "-c", str(tmp_path / "nginx.conf")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        procs.append(subprocess.Popen([nginx_binary(), "-c", str(tmp_path / "nginx.conf"),
                                       "-g", "daemon off;"]))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    return base
            except requests.ConnectionError:
                time.sleep(0.05)
        pytest.fail("nginx did not start: " + (tmp_path / "error.log").read_text())

    yield start
    for p in procs:
        p.send_signal(signal.SIGQUIT)
        p.wait(timeout=10)


def login(base, client_ip, n):
    return requests.post(base + "/v1/auth/login", timeout=10,
                         headers={"X-Forwarded-For": client_ip},
                         json={"email": f"nobody{n}@example.com", "password": "not-the-password-1"})


def login_requests(server):
    text = server.get("/metrics").text
    return sum(float(l.split()[-1]) for l in text.splitlines()
               if l.startswith("http_requests_total") and '/v1/auth/login' in l)


def test_replicas_behind_the_balancer_share_per_client_limits(start_server, redis_server,
                                                              load_balancer):
    _, redis_port = redis_server
    env = {"MILKYHOOP_RATELIMIT_BACKEND": "redis",
           "MILKYHOOP_REDIS_URL": f"redis://127.0.0.1:{redis_port}",
           "MILKYHOOP_RATELIMIT_AUTH_PER_MINUTE": "6",
           "MILKYHOOP_HTTP_TRUSTED_PROXIES": "127.0.0.1"}
    replicas = [start_server(env=env), start_server(env=env)]
    base = load_balancer([r.port for r in replicas])

    statuses = [login(base, "203.0.113.7", i).status_code for i in range(10)]
    assert statuses[:6] == [401] * 6, statuses
    assert statuses[6:] == [429] * 4, "one client's limit holds across replicas: " + str(statuses)
    assert all(login_requests(r) >= 2 for r in replicas), "the balancer used one replica only"
    # Another client behind the same balancer has a budget of its own.
    assert login(base, "203.0.113.8", 100).status_code == 401

    # A replica goes away: the balancer routes around it and nothing is refused for it.
    replicas[0].stop()
    statuses = [login(base, f"198.51.100.{i}", 200 + i).status_code for i in range(6)]
    assert statuses == [401] * 6, statuses
