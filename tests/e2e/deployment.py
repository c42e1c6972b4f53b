"""The split shape of one install, for the black-box suite: the gateway and three service
processes (`milkyhoop serve --services ...`) that reach each other over gRPC and share events
through Kafka, each service on its own PostgreSQL schemas when MILKYHOOP_TEST_PG_DSN is set
(SQLite files otherwise). With MILKYHOOP_TEST_SHAPE=split, every server the suite starts is one
of these, so the same tests run through the split deployment unchanged (scripts/test.sh does
that run)."""
import atexit
import hashlib
import os
import subprocess

import pytest

# Started in this order: each process calls only services of the ones before it.
PROCESSES = [
    ("identity", ["security", "auth", "org", "audit"]),
    ("catalog", ["business", "rag"]),
    ("conversation", ["chatbot", "assistant"]),
    ("gateway", ["gateway"]),
]


SERVICES = ["platform", "security", "auth", "org", "audit", "business", "rag", "chatbot",
            "assistant"]
_schema_prefixes = set()


@atexit.register
def _drop_schemas():
    """The deployments' schemas go with the test session."""
    dsn = os.environ.get("MILKYHOOP_TEST_PG_DSN")
    if not dsn or not _schema_prefixes:
        return
    sql = "".join(f"DROP SCHEMA IF EXISTS {p}{s} CASCADE;"
                  for p in sorted(_schema_prefixes) for s in SERVICES)
    subprocess.run(["psql", dsn, "-q", "-c", sql], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)


def database_env(data_dir):
    """The install's database: with MILKYHOOP_TEST_PG_DSN, schemas of its own in that database,
    named after its data directory (so a restart, or a CLI command given --data-dir, finds them);
    else nothing (SQLite files in the data directory)."""
    dsn = os.environ.get("MILKYHOOP_TEST_PG_DSN")
    if not dsn:
        return {}
    prefix = "t" + hashlib.sha1(str(data_dir).encode()).hexdigest()[:10] + "_"
    _schema_prefixes.add(prefix)
    return {"MILKYHOOP_DATABASE_DRIVER": "postgres", "MILKYHOOP_DATABASE_DSN": dsn,
            "MILKYHOOP_DATABASE_SCHEMA_PREFIX": prefix, "MILKYHOOP_DATABASE_POOL_SIZE": "2"}


def split_shape():
    return os.environ.get("MILKYHOOP_TEST_SHAPE", "all") == "split"


# For a test of the embedded default's SQLite files, which the split run keeps in PostgreSQL.
SQLITE_FILES = pytest.mark.skipif(
    split_shape() and bool(os.environ.get("MILKYHOOP_TEST_PG_DSN")),
    reason="checks the embedded default's SQLite files: this split run keeps every service's "
           "data in PostgreSQL (the all-in-one run checks them)")

# For a test module that starts split deployments of its own: it needs Kafka, and runs once, in
# the all-in-one run of the suite (the split run would only repeat it).
OWN_DEPLOYMENT_MARKS = [
    pytest.mark.skipif(not os.environ.get("MILKYHOOP_TEST_KAFKA_BOOTSTRAP"),
                       reason="MILKYHOOP_TEST_KAFKA_BOOTSTRAP is not set: the split shape needs "
                              "Kafka (scripts/kafka-start.sh)"),
    pytest.mark.skipif(split_shape(), reason="starts its own split deployment: runs once, in the "
                                             "all-in-one run of the suite"),
]


def kafka_bootstrap():
    bootstrap = os.environ.get("MILKYHOOP_TEST_KAFKA_BOOTSTRAP")
    if not bootstrap:
        raise RuntimeError("MILKYHOOP_TEST_SHAPE=split needs a Kafka broker: set "
                           "MILKYHOOP_TEST_KAFKA_BOOTSTRAP (scripts/kafka-start.sh)")
    return bootstrap


class SplitServer:
    """Looks like one Server to a test (the gateway's address, the logs of every process), and
    is four processes sharing one data directory."""

    def __init__(self, server_class, data_dir, extra_args=(), env=None, config_file=None):
        self.data_dir = str(data_dir)
        # One install's topics, consumer groups and schemas: the same after a restart on this
        # directory.
        prefix = "split-" + hashlib.sha1(self.data_dir.encode()).hexdigest()[:10] + "."
        base_env = {**database_env(self.data_dir),
                    "MILKYHOOP_EVENTS_BUS": "kafka",
                    "MILKYHOOP_EVENTS_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap(),
                    "MILKYHOOP_EVENTS_KAFKA_TOPIC_PREFIX": prefix,
                    "MILKYHOOP_GRPC_LISTEN": "127.0.0.1:0",
                    **(env or {})}
        self.processes = {}
        self._server_class, self._config_file = server_class, config_file
        self._specs = {}  # name -> (args, env) it was started with
        remotes = {}
        try:
            for name, services in PROCESSES:
                proc_env = {**base_env, **remotes}
                args = [*extra_args, "--services", ",".join(services)]
                self._specs[name] = (args, proc_env)
                p = server_class(data_dir, args, proc_env, config_file)
                self.processes[name] = p
                grpc_port = int(p.listening.get("grpc_port", 0))
                for service in services:
                    if service != "gateway":
                        remotes[f"MILKYHOOP_REMOTE_{service.upper()}"] = f"127.0.0.1:{grpc_port}"
        except Exception:
            self.stop()
            raise
        self.remotes = remotes
        self.gateway = self.processes["gateway"]
        self.port = self.gateway.port
        self.base = self.gateway.base
        self.http = self.gateway.http
        self.proc = self.gateway.proc

    @property
    def lines(self):
        return [line for p in self.processes.values() for line in p.lines]

    def url(self, path):
        return self.gateway.url(path)

    def get(self, path, **kw):
        if path == "/metrics":
            return self.metrics(**kw)
        return self.gateway.get(path, **kw)

    def metrics(self, **kw):
        """The deployment's metrics: each process's /metrics (what Prometheus scrapes one by
        one), as one text, the gateway's first."""
        r = self.gateway.get("/metrics", **kw)
        if r.status_code == 200:
            for name, p in self.processes.items():
                if name != "gateway":
                    r._content += p.get("/metrics", **kw).content
        return r

    def post(self, path, **kw):
        return self.gateway.post(path, **kw)

    def request(self, method, path, **kw):
        return self.gateway.request(method, path, **kw)

    def rss_kib(self):
        return self.gateway.rss_kib()

    def add_gateway(self):
        """Another gateway replica of the same services (started like the first); stopped with
        the deployment."""
        args, env = self._specs["gateway"]
        name = f"gateway{len(self.processes)}"
        self._specs[name] = (args, env)
        self.processes[name] = self._server_class(self.data_dir, args, env, self._config_file)
        return self.processes[name]

    def add_replica(self, like, name, env=None):
        """Another process hosting the services of `like`, started with its arguments and
        environment (on a gRPC port of its own) plus `env`; stopped with the deployment."""
        args, base = self._specs[like]
        proc_env = {**base, "MILKYHOOP_GRPC_LISTEN": "127.0.0.1:0", **(env or {})}
        self._specs[name] = (args, proc_env)
        self.processes[name] = self._server_class(self.data_dir, args, proc_env, self._config_file)
        return self.processes[name]

    def kill(self, name):
        """kill -9 of one process: no drain, no goodbye to its peers."""
        p = self.processes[name]
        p.proc.kill()
        p.proc.wait()

    def restart(self, name):
        """Starts `name` again with its arguments, on the gRPC port it had, so the others (which
        know it by address) reach it again."""
        args, env = self._specs[name]
        port = int(self.processes[name].listening["grpc_port"])
        env = {**env, "MILKYHOOP_GRPC_LISTEN": f"127.0.0.1:{port}"}
        self.processes[name] = self._server_class(self.data_dir, args, env, self._config_file)
        return self.processes[name]

    def stop(self, timeout=10):
        """Stops the gateway first, then the services in reverse order of start; returns the
        gateway's exit code (every process's must be 0 for a clean stop)."""
        codes = {name: p.stop(timeout) for name, p in reversed(list(self.processes.items()))}
        gateway = codes.get("gateway")
        if gateway == 0 and any(c != 0 for c in codes.values()):
            return next(c for c in codes.values() if c != 0)
        return gateway
