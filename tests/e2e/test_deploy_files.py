"""The deployment files (deploy/): deploy/docker-compose.yml as Docker Compose itself reads it
(`docker-compose config`, scripts/compose-setup.sh installs it; no Docker engine needed) with
the secrets of deploy/env.example filled in, and the runtime stage of deploy/Dockerfile. What
`docker compose up` would start: the seed documents' service names, each milkyhoop service
hosting the service its name says and finding the others where they are, health checks, the
gateway replicas behind the load balancer on port 8000, secrets only from the environment."""
import ipaddress
import json
import os
import re
import subprocess

import pytest

from conftest import ROOT

DEPLOY = ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / "env.example"

# The seed documents' compose service names, and the binary's service each one hosts.
SEED_SERVICES = {
    "api_gateway": "gateway",
    "auth-service": "auth",
    "chatbot_service": "chatbot",
    "business-service": "business",
    "rag-service": "rag",
    "security-service": "security",
    "organization-service": "org",
    "audit-logging-service": "audit",
    "assistant-service": "assistant",
}
INFRA = ("postgres", "redis", "kafka")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY$|DSN", re.IGNORECASE)
FILLED = {  # what an operator puts into deploy/.env (test values, never used anywhere else)
    "POSTGRES_PASSWORD": "pg-pass-from-env-file",
    "MILKYHOOP_MASTER_KEY": "bWFzdGVyLWtleS1mcm9tLWVudi1maWxlLTMyYnl0ZXM=",
    "MILKYHOOP_INDEX_KEY": "aW5kZXgta2V5LWZyb20tZW52LWZpbGUtMzJieXRlcyE=",
}


def compose_binary():
    """Docker Compose as scripts/compose-setup.sh installed it (scripts/setup.sh runs that)."""
    check = subprocess.run(["bash", str(ROOT / "scripts" / "compose-setup.sh"), "--check"],
                           capture_output=True, text=True, timeout=60)
    if check.returncode == 3:
        pytest.skip("Docker Compose is not installed (scripts/setup.sh builds it with "
                    "scripts/compose-setup.sh, which needs Go): " + check.stderr.strip())
    assert check.returncode == 0, check.stderr
    return check.stdout.strip().splitlines()[-1]


def env_file_lines():
    return [line for line in ENV_EXAMPLE.read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def compose(tmp_path, *args, env_file=None):
    """`docker-compose -f deploy/docker-compose.yml --env-file ENV ARGS...` in a clean
    environment (nothing of this shell's leaks into the interpolation)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "DOCKER_CONFIG": str(tmp_path / "docker-config")}
    cmd = [compose_binary(), "--project-directory", str(DEPLOY), "-f", str(COMPOSE_FILE)]
    if env_file:
        cmd += ["--env-file", str(env_file)]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=60)


@pytest.fixture(scope="module")
def filled_env_file(tmp_path_factory):
    """deploy/env.example with its blanks filled in, as the operator's deploy/.env."""
    path = tmp_path_factory.mktemp("deploy") / ".env"
    lines = []
    for line in env_file_lines():
        name = line.split("=", 1)[0].strip()
        lines.append(f"{name}={FILLED[name]}" if name in FILLED else line)
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def resolved(tmp_path_factory, filled_env_file):
    """The model `docker compose up` would run: `docker-compose config --format json`."""
    tmp = tmp_path_factory.mktemp("compose")
    run = compose(tmp, "config", "--format", "json", env_file=filled_env_file)
    assert run.returncode == 0, f"docker-compose config refused the files:\n{run.stderr}"
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def unresolved(tmp_path_factory, filled_env_file):
    """The same without interpolation: the values as they are written in the file."""
    tmp = tmp_path_factory.mktemp("compose-raw")
    run = compose(tmp, "config", "--no-interpolate", "--format", "json",
                  env_file=filled_env_file)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def milkyhoop_services(model):
    return {name: s for name, s in model["services"].items() if name in SEED_SERVICES}


def test_seed_service_names_and_infrastructure_are_there(resolved):
    services = resolved["services"]
    missing = sorted(set(SEED_SERVICES) - set(services))
    assert not missing, f"seed service names missing from the compose file: {missing}"
    for name in INFRA + ("load-balancer",):
        assert name in services, name
    assert resolved["name"] == "milkyhoop"
    assert services["kafka"]["image"].startswith("apache/kafka:4")


def test_each_service_hosts_what_its_name_says_and_finds_the_others(resolved):
    hosted_by = {}
    for name, svc in milkyhoop_services(resolved).items():
        assert svc["image"] == "milkyhoop:latest", name
        assert svc["build"]["dockerfile"] == "deploy/Dockerfile", name
        assert svc["build"]["context"] == str(ROOT), name
        assert svc["command"] == ["serve", f"--services={SEED_SERVICES[name]}"], name
        hosted_by[SEED_SERVICES[name]] = name
    for name, svc in milkyhoop_services(resolved).items():
        env = svc["environment"]
        assert env["MILKYHOOP_EVENTS_BUS"] == "kafka", name
        assert env["MILKYHOOP_EVENTS_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092", name
        assert env["MILKYHOOP_DATABASE_DRIVER"] == "postgres", name
        assert "@postgres:5432/" in env["MILKYHOOP_DATABASE_DSN"], name
        assert env["MILKYHOOP_REDIS_URL"] == "redis://redis:6379", name
        # remote.<service> of every service names the compose service that hosts it, on the
        # gRPC port every container listens on.
        assert env["MILKYHOOP_GRPC_LISTEN"] == "0.0.0.0:9000", name
        for service, host in hosted_by.items():
            if service == "gateway":
                continue
            assert env.get(f"MILKYHOOP_REMOTE_{service.upper()}") == f"{host}:9000", (
                f"{name}: remote.{service} must be {host}:9000")


def test_every_container_has_a_health_check_and_waits_for_healthy_infrastructure(resolved):
    services = resolved["services"]
    for name in INFRA:
        hc = services[name].get("healthcheck")
        assert hc and hc["test"] and not hc.get("disable"), f"{name} has no health check"
    for name, svc in milkyhoop_services(resolved).items():
        hc = svc.get("healthcheck")
        assert hc and not hc.get("disable"), f"{name} has no health check"
        assert any("http://127.0.0.1:8000/healthz" in part for part in hc["test"]), hc
        for infra in INFRA:
            assert svc["depends_on"][infra]["condition"] == "service_healthy", (name, infra)
    assert services["load-balancer"]["depends_on"]["api_gateway"]["condition"] == \
        "service_healthy"


def test_the_load_balancer_alone_publishes_port_8000_to_the_gateway_replicas(resolved):
    services = resolved["services"]
    published = {name: svc.get("ports", []) for name, svc in services.items()
                 if svc.get("ports")}
    assert list(published) == ["load-balancer"], (
        f"only the load balancer may publish ports, not {sorted(published)}")
    (port,) = published["load-balancer"]
    assert (port["published"], port["target"], port["protocol"]) == ("8000", 8000, "tcp")
    assert services["api_gateway"]["deploy"]["replicas"] >= 2
    (mount,) = [v for v in services["load-balancer"]["volumes"]
                if v["target"] == "/etc/nginx/nginx.conf"]
    assert mount["source"] == str(DEPLOY / "nginx.conf") and mount["read_only"]
    conf = (DEPLOY / "nginx.conf").read_text()
    assert re.search(r"\blisten 8000;", conf) and "server api_gateway:8000;" in conf


def test_the_gateways_trust_the_load_balancer_alone(resolved):
    """X-Forwarded-For names the client only when the connection comes from the balancer: its
    address is fixed, outside the range the other containers get theirs from, and it is the one
    address the gateways trust (not the network, whose gateway address is where clients that
    come through Docker's userland proxy appear from)."""
    (ipam,) = resolved["networks"]["default"]["ipam"]["config"]
    subnet = ipaddress.ip_network(ipam["subnet"])
    dynamic = ipaddress.ip_network(ipam["ip_range"])
    balancer = ipaddress.ip_address(
        resolved["services"]["load-balancer"]["networks"]["default"]["ipv4_address"])
    assert balancer in subnet and balancer not in dynamic and dynamic.subnet_of(subnet)
    gateway_env = resolved["services"]["api_gateway"]["environment"]
    trusted = [t.strip() for t in gateway_env["MILKYHOOP_HTTP_TRUSTED_PROXIES"].split(",")]
    assert trusted == [str(balancer)]
    assert gateway_env["MILKYHOOP_RATELIMIT_BACKEND"] == "redis"


def test_kafka_keeps_its_log_in_the_volume(resolved):
    kafka = resolved["services"]["kafka"]
    (volume,) = [v for v in kafka["volumes"] if v["type"] == "volume"]
    assert kafka["environment"]["KAFKA_LOG_DIRS"] == volume["target"], (
        "the broker writes its log elsewhere than the kafka-data volume: events are lost "
        "when the container is recreated")
    (pg_volume,) = resolved["services"]["postgres"]["volumes"]
    assert pg_volume["target"] == "/var/lib/postgresql/data"


def test_secrets_come_only_from_the_env_file(resolved, unresolved):
    example = dict(line.split("=", 1) for line in env_file_lines())
    assert set(example) == set(FILLED), "deploy/env.example and this test disagree on the secrets"
    assert all(v.strip() == "" for v in example.values()), (
        f"deploy/env.example must leave every secret blank: {example}")
    for name, svc in unresolved["services"].items():
        for key, value in (svc.get("environment") or {}).items():
            if SECRET_NAME.search(key) and value:
                assert re.search(r"\$\{[A-Z_]+:\?", value), (
                    f"{name}: {key} is written into the compose file instead of required "
                    f"from the environment: {value!r}")
    env = resolved["services"]["auth-service"]["environment"]
    assert env["MILKYHOOP_MASTER_KEY"] == FILLED["MILKYHOOP_MASTER_KEY"]
    assert env["MILKYHOOP_INDEX_KEY"] == FILLED["MILKYHOOP_INDEX_KEY"]
    assert f":{FILLED['POSTGRES_PASSWORD']}@postgres:" in env["MILKYHOOP_DATABASE_DSN"]
    assert resolved["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"] == \
        FILLED["POSTGRES_PASSWORD"]


@pytest.mark.parametrize("blank", sorted(FILLED))
def test_compose_refuses_to_start_with_a_secret_left_blank(tmp_path, filled_env_file, blank):
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{line}\n" for line in filled_env_file.read_text().splitlines()
                                if not line.startswith(f"{blank}=")) + f"{blank}=\n")
    run = compose(tmp_path, "config", "--quiet", env_file=env_file)
    assert run.returncode != 0
    assert f"set {blank}" in run.stderr, run.stderr


def test_the_image_runs_as_a_non_root_user(resolved):
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    stages = re.split(r"(?im)^FROM\s", dockerfile)
    runtime = stages[-1]
    users = re.findall(r"(?im)^USER\s+(\S+)", runtime)
    assert users and users[-1] not in ("root", "0"), f"the runtime stage runs as {users}"
    created = re.search(r"useradd\b[^\n]*--uid (\d+)[^\n]*\b" + re.escape(users[-1]) + r"\b",
                        runtime)
    assert created and int(created.group(1)) != 0, "the runtime user is not created non-root"
    for name, svc in milkyhoop_services(resolved).items():
        assert svc.get("user") in (None, users[-1]), f"{name} overrides the user: {svc['user']}"
        assert not svc.get("privileged"), name

