"""Faults in the split shape (tests/e2e/deployment.py: a gateway and three service processes,
events through Kafka). A service process killed with SIGKILL under load: requests that need it
get a 503 problem detail quickly, routes of the other processes keep answering, /status and
/readyz name what is down, and after a restart on the same address nothing it had committed is
lost and its routes answer again."""
import threading
import time

import pytest

from api import create_org, register, wait_for
from conftest import Server
from deployment import OWN_DEPLOYMENT_MARKS, SplitServer

pytestmark = OWN_DEPLOYMENT_MARKS


@pytest.fixture
def deployment(tmp_path):
    # Load from three threads for several seconds: the per-user limit is not the subject.
    d = SplitServer(Server, tmp_path / "split",
                    env={"MILKYHOOP_RATELIMIT_GENERAL_PER_MINUTE": "1000000"})
    yield d
    d.stop()


class Load:
    """Threads that call one route as fast as they can, recording (status, seconds) per call."""

    def __init__(self, call, threads=2):
        self.call, self.results, self.stopping = call, [], threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for t in self.threads:
            t.start()

    def _run(self):
        while not self.stopping.is_set():
            t0 = time.monotonic()
            try:
                status = self.call().status_code
            except Exception as e:  # a transport error is a result too, and a failure below
                status = type(e).__name__
            self.results.append((status, time.monotonic() - t0))

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join()
        return self.results


def test_a_killed_service_process_fails_fast_and_loses_nothing(deployment):
    owner = register(deployment, "Bu Split")
    org = create_org(owner, "Split Org")
    r = owner.post(f"/v1/orgs/{org['id']}/businesses",
                   json={"name": "Kedai Split", "category": "food", "language": "id",
                         "currency": "IDR"})
    assert r.status_code == 201, r.text
    business = r.json()
    products = f"/v1/businesses/{business['id']}/products"
    r = owner.post(products, json={"name": "Kopi Susu", "price": {"amount": 18000, "currency": "IDR"},
                                   "stock": 40, "unit": "gelas"})
    assert r.status_code == 201, r.text
    committed = r.json()["id"]

    catalog = Load(lambda: owner.get(products, timeout=10))
    identity = Load(lambda: owner.get("/v1/auth/me", timeout=10))
    time.sleep(1)
    deployment.kill("catalog")  # business and rag
    time.sleep(3)
    during_catalog, during_identity = catalog.stop(), identity.stop()

    # After the kill, catalog calls fail with 503, each within the call deadline.
    failures = [(s, t) for s, t in during_catalog if s != 200]
    assert failures, "no catalog call failed after the kill"
    assert all(s == 503 for s, _ in failures), {s for s, _ in failures}
    assert max(t for _, t in failures) < 2.5, sorted(t for _, t in failures)[-5:]
    r = owner.get(products)
    assert r.status_code == 503
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert r.json()["code"] == "unavailable" and "business" in r.json()["detail"]
    # The identity process never noticed.
    assert during_identity and all(s == 200 for s, _ in during_identity), \
        {s for s, _ in during_identity}
    status = deployment.get("/status").json()["services"]
    assert status["business"] == "down" and status["rag"] == "down", status
    assert status["auth"] == "up" and status["chatbot"] == "up", status
    assert deployment.get("/readyz").status_code == 503

    t0 = time.monotonic()
    deployment.restart("catalog")
    started = time.monotonic() - t0
    # The gateway reconnects within its reconnect backoff (at most 5 s between attempts).
    assert wait_for(lambda: owner.get(products).status_code == 200, timeout=30), \
        f"started in {started:.1f} s; still {owner.get(products).text}"
    print(f"catalog restarted in {started:.1f} s, serving again after {time.monotonic() - t0:.1f} s")
    items = owner.get(products).json()["items"]
    assert [p["id"] for p in items] == [committed]
    assert wait_for(lambda: deployment.get("/readyz").status_code == 200, timeout=15)
    r = owner.post(products, json={"name": "Teh Tarik", "price": {"amount": 12000, "currency": "IDR"},
                                   "stock": 10, "unit": "gelas"})
    assert r.status_code == 201, r.text
