"""Fixtures that run the real milkyhoop binary on a free port with a temporary data directory."""
import json
import os
import pathlib
import queue
import shutil
import socket
import signal
import subprocess
import threading
import time

import pytest
import requests

from deployment import SplitServer, database_env, split_shape

ROOT = pathlib.Path(__file__).resolve().parents[2]


def binary_path() -> str:
    path = os.environ.get("MILKYHOOP_BIN", str(ROOT / "build" / "release" / "bin" / "milkyhoop"))
    if not os.path.exists(path):
        pytest.exit(f"milkyhoop binary not found at {path}; build it first (scripts/build.sh)", 2)
    return path


class Server:
    """A running milkyhoop process. Its stdout (JSON log lines) is collected in `lines`."""

    def __init__(self, data_dir, extra_args=(), env=None, config_file=None):
        self.data_dir = str(data_dir)
        args = [binary_path(), "serve", "--listen", "127.0.0.1:0", "--data-dir", self.data_dir,
                "--log-format", "json", *extra_args]
        if config_file:
            args += ["--config", str(config_file)]
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("MILKYHOOP_")
                    or k == "MILKYHOOP_TEST_PG_DSN"}
        full_env.update(env or {})
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=full_env, text=True, bufsize=1)
        self.lines = []
        self._queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.port = self._wait_listening()
        self.base = f"http://127.0.0.1:{self.port}"
        self.http = requests.Session()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            self._queue.put(line)
        self._queue.put(None)

    def _wait_listening(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                raise RuntimeError("milkyhoop exited before listening: "
                                   + self.proc.stderr.read() + "".join(self.lines))
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("msg") == "listening":
                self.listening = entry
                return int(entry["port"])
        raise RuntimeError("milkyhoop did not start listening in time")

    def url(self, path):
        return self.base + path

    def get(self, path, **kw):
        return self.http.get(self.url(path), timeout=kw.pop("timeout", 10), **kw)

    def post(self, path, **kw):
        return self.http.post(self.url(path), timeout=kw.pop("timeout", 10), **kw)

    def request(self, method, path, **kw):
        return self.http.request(method, self.url(path), timeout=kw.pop("timeout", 10), **kw)

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@pytest.fixture
def start_server(tmp_path):
    """Factory: start_server(extra_args=..., env=...) → Server; all are stopped afterwards."""
    servers = []

    def start(extra_args=(), env=None, config_file=None, data_dir=None):
        data_dir = data_dir or tmp_path / f"data{len(servers)}"
        if split_shape():
            s = SplitServer(Server, data_dir, extra_args, env, config_file)
        else:
            s = Server(data_dir, extra_args, env, config_file)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.stop()


@pytest.fixture
def server(start_server):
    return start_server()


def run_cli(*args, env=None, timeout=30):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MILKYHOOP_")}
    if split_shape() and "--data-dir" in args:
        # The split deployments' data lives where their data directory says (deployment.py).
        full_env.update(database_env(args[args.index("--data-dir") + 1]))
    full_env.update(env or {})
    return subprocess.run([binary_path(), *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_server():
    """A redis-server on a free loopback port, no persistence (scripts/setup.sh installs it);
    yields (process, port)."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: scripts/setup.sh installs the Debian package"
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--logfile", "/dev/null"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("redis-server did not answer PING")
    yield proc, port
    proc.terminate()
    proc.wait(timeout=10)
