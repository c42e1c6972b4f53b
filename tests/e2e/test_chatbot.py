"""Black-box tests of the customer chatbot (API.md "Chat"), offline (no LLM configured): the
retrieval dev set chatted through the public endpoint, streaming, conversation tokens, hand-off
and the owner's side."""
import json

import pytest
import requests

from api import create_org, make_business, register
from knowledge_data import load_eval
from upstream import QuietHandler, route_to_llm, serve_locally


@pytest.fixture
def server(start_server):
    # The dev set is chatted from one address: lift the per-IP public chat limit for it (the
    # limit itself is tested below with its default).
    return start_server(env={"MILKYHOOP_RATELIMIT_PUBLIC_CHAT_PER_MINUTE": "100000"})


@pytest.fixture
def world(server):
    owner = register(server, name="Bu Sari")
    org = create_org(owner, "UMKM Test")
    data = load_eval("retrieval-dev.json")
    businesses = {}
    for spec in data["businesses"]:
        businesses[spec["slug"]] = make_business(owner, org["id"], spec)
    return {"server": server, "owner": owner, "org": org, "data": data,
            "businesses": businesses}


def chat(server, slug, message, **extra):
    return server.post(f"/v1/public/businesses/{slug}/chat", json={"message": message, **extra})


def sse_events(response):
    """(event, data) pairs of an SSE response, in order."""
    events, event, data = [], None, []
    for raw in response.iter_lines(decode_unicode=True):
        line = raw.rstrip("\r")
        if line == "":
            if event or data:
                events.append((event, json.loads("\n".join(data)) if data else None))
            event, data = None, []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
    if event or data:
        events.append((event, json.loads("\n".join(data)) if data else None))
    return events


def test_public_profile_needs_no_credentials(world):
    s = world["server"]
    r = s.get("/v1/public/businesses/warung-bu-sari")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "Warung Makan Bu Sari"
    assert body["language"] == "id"
    assert "greeting" in body
    assert s.get("/v1/public/businesses/no-such-slug").status_code == 404


def test_dev_set_offline_tiers_and_citations(world):
    s = world["server"]
    answerable = correct = off_topic = deflected = 0
    misses = []
    for q in world["data"]["queries"]:
        r = chat(s, q["business"], q["query"])
        assert r.status_code == 200, r.text
        body = r.json()
        assert 1 <= body["tier"] <= 4
        assert body["handoff"] is False
        if q["expect"] is None:
            off_topic += 1
            deflected += body["tier"] == 4
            if body["tier"] != 4:
                misses.append((q["query"], body["tier"], body["citations"][:1]))
            continue
        answerable += 1
        want = world["businesses"][q["business"]][1][q["expect"]]
        cited = [c["source_id"] for c in body["citations"]]
        ok = body["tier"] in (1, 2, 3) and cited[:1] == [want]
        correct += ok
        if not ok:
            misses.append((q["query"], body["tier"], cited[:1]))
        if body["tier"] in (2, 3):
            assert body["fallback"] is True, "no LLM configured: extractive and flagged"
    print(f"\nchatbot dev set: answerable {correct}/{answerable} "
          f"({correct / answerable:.0%}) tier 1-3 with the right FAQ cited; "
          f"off-topic {deflected}/{off_topic} deflected; misses: {misses}")
    assert correct / answerable >= 0.90
    assert deflected == off_topic


def test_another_business_question_is_deflected(world):
    r = chat(world["server"], "laundry-kilat-bersih", "harga nasi goreng berapa")
    assert r.status_code == 200, r.text
    assert r.json()["tier"] == 4
    assert r.json()["citations"] == []


def test_streaming_sends_meta_deltas_done_in_order(world):
    s = world["server"]
    r = s.post("/v1/public/businesses/warung-bu-sari/chat",
               json={"message": "jam brp buka kak?", "stream": True}, stream=True)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/event-stream")
    events = sse_events(r)
    names = [e for e, _ in events]
    assert names[0] == "meta" and names[-1] == "done", names
    assert set(names[1:-1]) == {"delta"} and len(names) >= 3, names
    meta, done = events[0][1], events[-1][1]
    assert meta["conversation_id"] and meta["conversation_token"] and meta["message_id"]
    text = "".join(d["text"] for e, d in events if e == "delta")
    assert "07.00" in text
    assert done["tier"] in (1, 2, 3)
    assert done["citations"] and done["handoff"] is False
    # Accept: text/event-stream asks for the same.
    r = s.post("/v1/public/businesses/warung-bu-sari/chat", json={"message": "ada wifi gratis?"},
               headers={"Accept": "text/event-stream"}, stream=True)
    assert r.status_code == 200
    assert [e for e, _ in sse_events(r)][-1] == "done"


def test_a_conversation_continues_only_with_its_token(world):
    s = world["server"]
    first = chat(s, "warung-bu-sari", "jam brp buka kak?").json()
    again = chat(s, "warung-bu-sari", "bisa bayar qris?", conversation_id=first["conversation_id"],
                 conversation_token=first["conversation_token"])
    assert again.status_code == 200, again.text
    assert again.json()["conversation_id"] == first["conversation_id"]
    other = chat(s, "warung-bu-sari", "ada parkir?").json()
    stolen = chat(s, "warung-bu-sari", "halo", conversation_id=first["conversation_id"],
                  conversation_token=other["conversation_token"])
    assert stolen.status_code == 401, stolen.text
    assert stolen.headers["Content-Type"].startswith("application/problem+json")
    missing = chat(s, "warung-bu-sari", "halo", conversation_id=first["conversation_id"])
    assert missing.status_code == 401


def test_limits_on_public_chat(world):
    s = world["server"]
    assert chat(s, "warung-bu-sari", "a" * 2001).status_code == 400
    assert chat(s, "warung-bu-sari", "é" * 2000).status_code == 200
    assert chat(s, "warung-bu-sari", "").status_code == 400
    r = s.post("/v1/public/businesses/warung-bu-sari/chat", json={"message": 5})
    assert r.status_code == 400


def test_handoff_phrase_silences_the_bot_until_released(world):
    s, owner = world["server"], world["owner"]
    first = chat(s, "warung-bu-sari", "jam brp buka kak?").json()
    ids = {"conversation_id": first["conversation_id"],
           "conversation_token": first["conversation_token"]}
    asked = chat(s, "warung-bu-sari", "mau bicara dengan admin", **ids).json()
    assert asked["handoff"] is True
    quiet = chat(s, "warung-bu-sari", "halo? jam buka?", **ids).json()
    assert quiet["handoff"] is True and quiet["answer"] == ""

    business_id = world["businesses"]["warung-bu-sari"][0]["id"]
    r = owner.get(f"/v1/businesses/{business_id}/conversations?status=handed_off")
    assert r.status_code == 200, r.text
    assert [c["id"] for c in r.json()["items"]] == [first["conversation_id"]]
    cid = first["conversation_id"]
    r = owner.post(f"/v1/conversations/{cid}/messages", json={"text": "Halo kak, buka jam 7."})
    assert r.status_code == 201, r.text
    assert r.json()["role"] == "agent"
    r = owner.post(f"/v1/conversations/{cid}/release")
    assert r.status_code == 200 and r.json()["status"] == "open"
    back = chat(s, "warung-bu-sari", "jam brp buka kak?", **ids).json()
    assert back["handoff"] is False and "07.00" in back["answer"]
    r = owner.get(f"/v1/conversations/{cid}/messages")
    roles = [m["role"] for m in r.json()["items"]]
    assert roles == ["customer", "bot", "customer", "bot", "customer", "agent", "customer", "bot"]


def test_feedback_and_another_orgs_owner(world):
    s = world["server"]
    answer = chat(s, "warung-bu-sari", "jam brp buka kak?").json()
    r = s.post(f"/v1/public/messages/{answer['message_id']}/feedback",
               json={"conversation_token": answer["conversation_token"], "rating": "up"})
    assert r.status_code == 204, r.text
    r = s.post(f"/v1/public/messages/{answer['message_id']}/feedback",
               json={"conversation_token": "nope", "rating": "up"})
    assert r.status_code == 401
    stranger = register(s, name="Stranger")
    create_org(stranger, "Other Org")
    cid = answer["conversation_id"]
    assert stranger.get(f"/v1/conversations/{cid}").status_code == 404
    assert stranger.post(f"/v1/conversations/{cid}/close").status_code == 404
    business_id = world["businesses"]["warung-bu-sari"][0]["id"]
    assert stranger.get(f"/v1/businesses/{business_id}/bot").status_code == 404


def test_owner_bot_settings_keep_the_api_key_secret(world):
    owner = world["owner"]
    business_id = world["businesses"]["warung-bu-sari"][0]["id"]
    r = owner.get(f"/v1/businesses/{business_id}/bot")
    assert r.status_code == 200, r.text
    assert r.json()["thresholds"] == {"direct": 0.85, "grounded": 0.60, "deep": 0.30}
    r = owner.request("PUT", f"/v1/businesses/{business_id}/bot",
                      json={"deflection_message": "Maaf kak, coba tanya admin ya.",
                            "llm": {"api_key": "sk-secret-123"}})
    assert r.status_code == 200, r.text
    assert "sk-secret-123" not in r.text
    assert r.json()["llm"]["api_key_set"] is True
    off = chat(world["server"], "warung-bu-sari", "siapa presiden indonesia sekarang").json()
    assert off["tier"] == 4 and off["answer"] == "Maaf kak, coba tanya admin ya."
    bad = owner.request("PUT", f"/v1/businesses/{business_id}/bot",
                        json={"thresholds": {"direct": 0.2, "grounded": 0.5, "deep": 0.9}})
    assert bad.status_code == 400


def test_public_chat_is_rate_limited_per_address(start_server):
    s = start_server(env={"MILKYHOOP_RATELIMIT_PUBLIC_CHAT_PER_MINUTE": "5"})
    owner = register(s, name="Pak Budi")
    org = create_org(owner, "Limit Test")
    spec = {"name": "Toko Limit", "slug": "toko-limit", "faqs": [
        {"id": "f1", "question": "Jam buka?", "answer": "Buka jam 8 pagi."}]}
    make_business(owner, org["id"], spec)
    codes = [chat(s, "toko-limit", "jam buka?").status_code for _ in range(7)]
    assert codes[:5] == [200] * 5, codes
    assert codes[5] == 429, codes
    r = chat(s, "toko-limit", "jam buka?")
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert int(r.headers["Retry-After"]) >= 1


def test_a_real_llm_streams_a_grounded_answer(start_server):
    """Tier 2 through a real OpenAI-compatible server (scripts/llm-start.sh; scripts/test.sh
    starts it and sets MILKYHOOP_TEST_LLM_URL)."""
    import os
    url = os.environ.get("MILKYHOOP_TEST_LLM_URL")
    if not url:
        pytest.skip("MILKYHOOP_TEST_LLM_URL is not set: start scripts/llm-start.sh")
    # The test server is on loopback, which bots may reach only when the operator allows it.
    s = start_server(env={"MILKYHOOP_CHATBOT_LLM_ALLOW_PRIVATE_NETWORKS": "true"})
    owner = register(s, name="Bu Rina")
    org = create_org(owner, "LLM Test")
    business, _ = make_business(owner, org["id"], {
        "name": "Laundry Rina", "slug": "laundry-rina", "category": "laundry", "faqs": [
            {"id": "f1", "question": "Jam buka laundry?",
             "answer": "Laundry buka setiap hari jam 08.00 sampai 20.00."},
            {"id": "f2", "question": "Berapa harga cuci kiloan?",
             "answer": "Cuci kiloan Rp 7.000 per kg, selesai 2 hari."}]})
    # direct = 1.0: no question is answered from the FAQ alone, every match goes to the LLM.
    r = owner.request("PUT", f"/v1/businesses/{business['id']}/bot", json={
        "thresholds": {"direct": 1.0, "grounded": 0.5, "deep": 0.3},
        "llm": {"base_url": url, "model": "smollm2", "max_tokens": 40, "timeout_ms": 60000}})
    assert r.status_code == 200, r.text

    r = s.post("/v1/public/businesses/laundry-rina/chat",
               json={"message": "jam brp laundry buka?", "stream": True}, stream=True,
               timeout=120)
    assert r.status_code == 200, r.text
    events = sse_events(r)
    names = [e for e, _ in events]
    assert names[0] == "meta" and names[-1] == "done", names
    deltas = [d["text"] for e, d in events if e == "delta"]
    assert len(deltas) >= 2, "a real stream arrives in pieces"
    done = events[-1][1]
    assert done["tier"] in (2, 3), done
    assert done["fallback"] is False, done
    assert done["citations"], done
    cid = events[0][1]["conversation_id"]
    messages = owner.get(f"/v1/conversations/{cid}/messages").json()["items"]
    bot = messages[-1]
    assert bot["role"] == "bot" and bot["text"] == "".join(deltas)
    assert bot["usage"]["completion_tokens"] > 0

    # The same bot with its LLM unreachable: the extractive answer, flagged.
    dead = "http://127.0.0.1:9/v1"
    r = owner.request("PUT", f"/v1/businesses/{business['id']}/bot",
                      json={"llm": {"base_url": dead, "model": "smollm2", "timeout_ms": 3000}})
    assert r.status_code == 200, r.text
    r = chat(s, "laundry-rina", "harga cuci kiloan berapa?")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["fallback"] is True and "7.000" in body["answer"], body


def test_public_chat_is_rate_limited_per_business(start_server):
    s = start_server(env={"MILKYHOOP_RATELIMIT_PUBLIC_CHAT_PER_MINUTE": "1000",
                          "MILKYHOOP_RATELIMIT_PUBLIC_CHAT_PER_BUSINESS_PER_MINUTE": "3"})
    owner = register(s, name="Pak Budi")
    org = create_org(owner, "Limit Test")
    faq = [{"id": "f1", "question": "Jam buka?", "answer": "Buka jam 8 pagi."}]
    make_business(owner, org["id"], {"name": "Toko Satu", "slug": "toko-satu", "faqs": faq})
    make_business(owner, org["id"], {"name": "Toko Dua", "slug": "toko-dua", "faqs": faq})
    codes = [chat(s, "toko-satu", "jam buka?").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429], codes
    # Another business's bot is not held back by the first one's crowd.
    assert chat(s, "toko-dua", "jam buka?").status_code == 200


def test_a_bot_cannot_reach_private_addresses_by_default(server):
    """A tenant's LLM URL pointing at this machine (or cloud metadata) is never called: the
    answer is the extractive one, flagged."""
    hits = []

    class Recorder(QuietHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

    with serve_locally(Recorder) as listener:
        owner = register(server, name="Mallory")
        org = create_org(owner, "SSRF Test")
        business, _ = make_business(owner, org["id"], {
            "name": "Toko Uji", "slug": "toko-uji", "faqs": [
                {"id": "f1", "question": "Jam berapa toko buka?", "answer": "Buka jam 9 pagi."}]})
        for target in (f"http://127.0.0.1:{listener.server_port}/v1",
                       f"http://localhost:{listener.server_port}/v1",
                       "http://169.254.169.254/latest"):
            route_to_llm(owner, business["id"], target, model="x", timeout_ms=3000)
            # A paraphrase, not the FAQ's own words: the router sends it to the LLM (tier 2).
            body = chat(server, "toko-uji", "kapan tokonya buka kak?").json()
            assert body["tier"] in (2, 3), body
            assert body["fallback"] is True and "9 pagi" in body["answer"], (target, body)
        assert hits == [], "the private upstream was called"
