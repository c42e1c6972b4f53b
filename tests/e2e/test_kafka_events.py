"""The event flow through a real Apache Kafka broker (4.x, KRaft: scripts/kafka-start.sh, which
scripts/test.sh runs and whose address it exports as MILKYHOOP_TEST_KAFKA_BOOTSTRAP): with
events.bus = kafka, outbox → Kafka → consumer carries an invitation to a membership and a new
product into the knowledge index; with the broker stopped for 30 s while products are created,
the outbox holds the events and each is indexed exactly once after the broker returns."""
import os
import pathlib
import subprocess
import time
import uuid

import pytest

from api import create_org, invite_then_register, register, wait_for

ROOT = pathlib.Path(__file__).resolve().parents[2]
BOOTSTRAP = os.environ.get("MILKYHOOP_TEST_KAFKA_BOOTSTRAP")
pytestmark = pytest.mark.skipif(
    not BOOTSTRAP, reason="MILKYHOOP_TEST_KAFKA_BOOTSTRAP is not set: start scripts/kafka-start.sh")


def kafka_server(start_server):
    # The tests poll the knowledge search while waiting: the per-user limit is not their subject.
    return start_server(env={"MILKYHOOP_RATELIMIT_GENERAL_PER_MINUTE": "100000",
                             "MILKYHOOP_EVENTS_BUS": "kafka",
                             "MILKYHOOP_EVENTS_KAFKA_BOOTSTRAP_SERVERS": BOOTSTRAP,
                             # Its own topics and groups: no other run's events.
                             "MILKYHOOP_EVENTS_KAFKA_TOPIC_PREFIX": f"e2e-{uuid.uuid4().hex[:8]}."})


def metric(server, prefix):
    lines = [l for l in server.get("/metrics").text.splitlines() if l.startswith(prefix)]
    return sum(float(l.split()[-1]) for l in lines) if lines else None


def product_hits(owner, business_id, name):
    r = owner.post(f"/v1/businesses/{business_id}/knowledge/search", json={"query": name})
    assert r.status_code == 200, r.text
    return [x for x in r.json()["results"] if x["source_type"] == "product" and x["title"] == name]


def shop(server):
    owner = register(server, "Bu Kafka")
    org = create_org(owner, "Kafka Org")
    r = owner.post(f"/v1/orgs/{org['id']}/businesses",
                   json={"name": "Toko Kafka", "category": "retail", "language": "id",
                         "currency": "IDR"})
    assert r.status_code == 201, r.text
    return owner, org, r.json()


def add_product(owner, business_id, name):
    r = owner.post(f"/v1/businesses/{business_id}/products",
                   json={"name": name, "price": {"amount": 25000, "currency": "IDR"},
                         "stock": 10, "unit": "pcs"})
    assert r.status_code == 201, r.text


def test_events_flow_through_kafka(start_server):
    s = kafka_server(start_server)
    owner, org, business = shop(s)
    add_product(owner, business["id"], "Kopi Gayo Arabika")
    assert wait_for(lambda: product_hits(owner, business["id"], "Kopi Gayo Arabika"), 60), \
        "the product never reached the knowledge index through Kafka"

    member = invite_then_register(s, owner, org["id"])
    assert wait_for(member, 60), "the invitation never became a membership through Kafka"
    assert metric(s, "milkyhoop_events_dead_lettered_total") is None


def test_kafka_down_for_30_s_loses_nothing_and_duplicates_nothing(start_server):
    s = kafka_server(start_server)
    owner, _, business = shop(s)
    add_product(owner, business["id"], "Teh Tarik Medan")  # the flow works before the outage
    assert wait_for(lambda: product_hits(owner, business["id"], "Teh Tarik Medan"), 60)

    subprocess.run([str(ROOT / "scripts" / "kafka-stop.sh")], check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        down_since = time.monotonic()
        names = ["Bika Ambon", "Bolu Meranti", "Sirup Markisa"]
        for name in names:
            add_product(owner, business["id"], name)  # the API answers; the outbox holds
        time.sleep(max(0.0, 30 - (time.monotonic() - down_since)))
        assert metric(s, "outbox_pending_business") >= 3
        assert not product_hits(owner, business["id"], "Bika Ambon")
    finally:
        subprocess.run([str(ROOT / "scripts" / "kafka-start.sh")], check=True,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)

    for name in names:
        assert wait_for(lambda: product_hits(owner, business["id"], name), 90), name
    assert wait_for(lambda: metric(s, "outbox_pending_business") == 0, 30)
    for name in names:
        assert len(product_hits(owner, business["id"], name)) == 1, "indexed twice"
    assert metric(s, "events_dead_lettered_total") is None, "an event was parked"
    assert metric(s, "milkyhoop_events_dead_lettered_total") is None
