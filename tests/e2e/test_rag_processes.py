"""Several processes hosting the rag service on one database (issue 8): two `--services
business,rag` processes of a split deployment, each behind a gateway of its own. What one is
told, the other answers within a bound, and a deletion through one disappears from the other:
FAQs written through either, and products, whose event only one of the two consumes (one
Kafka consumer group). A document one process is ingesting is left alone by the other, and
failed by it once the first is killed and its lease has run out."""
import socket
import threading
import time

import pytest

from api import User, create_org, register, wait_for
from conftest import Server
from deployment import OWN_DEPLOYMENT_MARKS, SplitServer

pytestmark = OWN_DEPLOYMENT_MARKS

# rag.sync_interval_ms is 250 by default; the bound leaves room for a loaded machine.
BOUND_S = 3.0


@pytest.fixture
def two_catalogs(tmp_path):
    d = SplitServer(Server, tmp_path / "split")
    try:
        gateway_b = add_catalog_b(d)
    except Exception:
        d.stop()
        raise
    yield d, gateway_b
    assert d.stop() == 0


def add_catalog_b(d):
    """A second `business,rag` process, and a gateway that reaches it."""
    catalog_b = d.add_replica("catalog", "catalog_b")
    port = catalog_b.listening["grpc_port"]
    return d.add_replica("gateway", "gateway_b", env={
        "MILKYHOOP_REMOTE_BUSINESS": f"127.0.0.1:{port}",
        "MILKYHOOP_REMOTE_RAG": f"127.0.0.1:{port}"})


class SilentServer:
    """Accepts connections and never answers: an embeddings server that keeps a document in
    ingestion for as long as the test needs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        self.conns = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.conns:
            conn.close()


@pytest.fixture
def silent_embeddings():
    server = SilentServer()
    yield server
    server.close()


def test_a_document_in_ingestion_survives_a_second_rag_process_and_fails_when_its_own_dies(
        tmp_path, silent_embeddings):
    lease_ms = 2000
    d = SplitServer(Server, tmp_path / "split", env={
        "MILKYHOOP_RAG_DOCUMENT_LEASE_MS": str(lease_ms),
        "MILKYHOOP_RAG_EMBEDDING_URL": silent_embeddings.url,
        "MILKYHOOP_RAG_EMBEDDING_MODEL": "silent",
        "MILKYHOOP_RAG_EMBEDDING_TIMEOUT_MS": "120000"})
    try:
        owner = register(d, "Bu Lease")
        org = create_org(owner, "Lease Laundry")
        r = owner.post(f"/v1/orgs/{org['id']}/businesses",
                       json={"name": "Laundry Lease", "category": "laundry", "language": "id",
                             "currency": "IDR"})
        assert r.status_code == 201, r.text
        biz = r.json()["id"]
        text = "".join(f"Paragraf {i} tentang layanan cuci kiloan dan setrika.\n\n"
                       for i in range(12000))  # over 512 KiB: ingested in the background
        r = owner.post(f"/v1/businesses/{biz}/documents",
                       files={"file": ("layanan.txt", text.encode(), "text/plain")}, timeout=60)
        assert r.status_code == 202, r.text
        doc = f"/v1/businesses/{biz}/documents/{r.json()['id']}"
        # The first rag process now waits for embeddings that never come. A second one starts
        # beside it, and checks leases for longer than one lease: the document stays its.
        gateway_b = add_catalog_b(d)
        owner_b = User(gateway_b, owner.email, owner.token, owner.id, owner.refresh_token)
        time.sleep(2 * lease_ms / 1000)
        got = owner_b.get(doc)
        assert got.status_code == 200 and got.json()["status"] == "processing", got.text

        # Killed: its bytes are lost. The other process fails it once the lease runs out.
        d.kill("catalog")
        t0 = time.monotonic()
        assert wait_for(lambda: owner_b.get(doc).json()["status"] == "failed", timeout=30)
        assert time.monotonic() - t0 < lease_ms / 1000 + 10
        final = owner_b.get(doc).json()
        assert "upload the file again" in final["error"], final
        assert final["chunks"] == 0
    finally:
        silent_embeddings.close()  # embeddings fail fast now: nothing holds up the stop
        d.stop()



def faq_ids(user, business_id, query):
    r = user.post(f"/v1/businesses/{business_id}/knowledge/search", json={"query": query})
    assert r.status_code == 200, r.text
    return [hit["source_id"] for hit in r.json()["results"]]


def test_an_faq_written_through_one_rag_process_is_found_through_the_other(two_catalogs):
    d, gateway_b = two_catalogs
    owner = register(d, "Bu Dua")  # through gateway A
    org = create_org(owner, "Dua Proses")
    r = owner.post(f"/v1/orgs/{org['id']}/businesses",
                   json={"name": "Laundry Dua", "category": "laundry", "language": "id",
                         "currency": "IDR"})
    assert r.status_code == 201, r.text
    biz = r.json()["id"]
    owner_b = User(gateway_b, owner.email, owner.token, owner.id, owner.refresh_token)
    # Both processes have the business's index in memory before the writes.
    assert faq_ids(owner, biz, "jam buka") == []
    assert faq_ids(owner_b, biz, "jam buka") == []

    r = owner.post(f"/v1/businesses/{biz}/faqs",
                   json={"question": "Jam buka laundry?", "answer": "Setiap hari 07.00-21.00."})
    assert r.status_code == 201, r.text
    faq = r.json()["id"]
    assert faq_ids(owner, biz, "jam buka") == [faq]  # the writer: at once
    t0 = time.monotonic()
    assert wait_for(lambda: faq_ids(owner_b, biz, "jam buka") == [faq], timeout=BOUND_S * 3)
    seen_after = time.monotonic() - t0
    assert seen_after < BOUND_S, seen_after

    # Deleted through B: gone from B at once, and from A within the bound.
    assert owner_b.delete(f"/v1/businesses/{biz}/faqs/{faq}").status_code == 204
    assert faq_ids(owner_b, biz, "jam buka") == []
    t0 = time.monotonic()
    assert wait_for(lambda: faq_ids(owner, biz, "jam buka") == [], timeout=BOUND_S * 3)
    assert time.monotonic() - t0 < BOUND_S

    # A product: its event reaches one of the two processes; both answer from it.
    r = owner.post(f"/v1/businesses/{biz}/products",
                   json={"name": "Cuci Bedcover", "price": {"amount": 35000, "currency": "IDR"},
                         "stock": 10, "unit": "pcs"})
    assert r.status_code == 201, r.text
    product = r.json()["id"]
    for user in (owner, owner_b):
        assert wait_for(lambda u=user: product in faq_ids(u, biz, "bedcover"), timeout=30), user

    # Both processes apply the change log (the count includes their own writes' entries).
    for name in ("catalog", "catalog_b"):
        text = d.processes[name].get("/metrics").text
        assert metric(text, "milkyhoop_rag_index_catchup_changes_total") >= 1, name


def metric(text, name):
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return 0.0
