"""Black-box tests of the public chat over a WebSocket (API.md: GET /v1/public/businesses/{slug}/ws)
with a real WebSocket client: answers as meta/delta/done frames, the conversation kept by the
socket, the owner's reply pushed to the customer, bad messages answered with error frames on a
socket that stays open, the public rate limit per message, and no way into another business's
conversation."""
import json

import pytest
import requests
import websocket

from api import create_org, make_business, register
from chat_ws import ask, connect, receive
from knowledge_data import load_eval
from upstream import QuietHandler, route_to_llm, serve_locally


@pytest.fixture
def world(start_server):
    server = start_server(env={"MILKYHOOP_RATELIMIT_PUBLIC_CHAT_PER_MINUTE": "1000"})
    owner = register(server, name="Bu Sari")
    org = create_org(owner, "UMKM WebSocket")
    businesses = {spec["slug"]: make_business(owner, org["id"], spec)[0]
                  for spec in load_eval("retrieval-dev.json")["businesses"]}
    return {"server": server, "owner": owner, "businesses": businesses}


def test_an_answer_streams_as_meta_deltas_done_and_the_socket_keeps_the_conversation(world):
    ws = connect(world["server"], "warung-bu-sari")
    frames = ask(ws, "jam brp buka kak?")
    types = [f["type"] for f in frames]
    assert types[0] == "meta" and types[-1] == "done", types
    assert set(types[1:-1]) == {"delta"}, types
    meta, done = frames[0], frames[-1]
    assert meta["conversation_id"] and meta["conversation_token"] and meta["message_id"]
    assert "07.00" in "".join(f["text"] for f in frames if f["type"] == "delta")
    assert done["tier"] in (1, 2, 3) and done["citations"] and done["handoff"] is False

    # The next message continues the same conversation without resending id and token.
    again = ask(ws, "bisa bayar qris?")
    assert again[0]["conversation_id"] == meta["conversation_id"]
    ws.close()

    # The owner sees both turns in that one conversation.
    cid = meta["conversation_id"]
    r = world["owner"].get(f"/v1/conversations/{cid}/messages")
    assert r.status_code == 200, r.text
    assert [m["role"] for m in r.json()["items"]] == ["customer", "bot", "customer", "bot"]


def test_the_owners_reply_reaches_the_customers_socket(world):
    s, owner = world["server"], world["owner"]
    ws = connect(s, "warung-bu-sari")
    frames = ask(ws, "mau bicara dengan admin")
    assert frames[-1]["handoff"] is True
    cid = frames[0]["conversation_id"]

    r = owner.post(f"/v1/conversations/{cid}/messages", json={"text": "Halo kak, buka jam 7."})
    assert r.status_code == 201, r.text
    pushed = receive(ws)
    assert pushed["type"] == "agent_message"
    assert pushed["conversation_id"] == cid
    assert pushed["message_id"] == r.json()["id"]
    assert pushed["text"] == "Halo kak, buka jam 7."
    assert pushed["created_at"]

    # Another customer's socket (another conversation) gets nothing of it.
    other = connect(s, "warung-bu-sari")
    other_frames = ask(other, "ada parkir?")
    assert other_frames[0]["conversation_id"] != cid
    r = owner.post(f"/v1/conversations/{cid}/messages", json={"text": "Parkir ada di depan."})
    assert r.status_code == 201
    assert receive(ws)["text"] == "Parkir ada di depan."
    other.settimeout(0.5)
    with pytest.raises(websocket.WebSocketTimeoutException):
        other.recv()
    ws.close()
    other.close()


def test_bad_messages_get_an_error_frame_and_the_socket_stays_open(world):
    ws = connect(world["server"], "warung-bu-sari")
    cases = [
        ("not json", None),
        (json.dumps(["message"]), None),
        (json.dumps({"type": "message"}), "text"),
        (json.dumps({"type": "message", "text": ""}), "text"),
        (json.dumps({"type": "message", "text": "a" * 2001}), "text"),
        (json.dumps({"type": "message", "text": 5}), "text"),
        (json.dumps({"type": "subscribe", "text": "halo"}), "type"),
    ]
    for raw, field in cases:
        ws.send(raw)
        frame = receive(ws)
        assert frame["type"] == "error", (raw, frame)
        problem = frame["problem"]
        assert problem["status"] == 400 and problem["code"] == "invalid_argument", (raw, problem)
        if field:
            assert field in [e["field"] for e in problem["errors"]], (raw, problem)
    # 2,000 characters of two bytes each are within the limit.
    assert ask(ws, "é" * 2000)[-1]["type"] == "done"
    # Still open and answering.
    assert ask(ws, "jam brp buka kak?")[-1]["type"] == "done"
    # A binary frame closes the socket.
    ws.send_binary(b"\x00\x01")
    with pytest.raises(websocket.WebSocketConnectionClosedException):
        while True:
            ws.recv()


def test_a_conversation_of_another_business_or_token_is_refused(world):
    s = world["server"]
    warung = connect(s, "warung-bu-sari")
    meta = ask(warung, "jam brp buka kak?")[0]
    other = ask(connect(s, "warung-bu-sari"), "ada wifi?")[0]

    # Another conversation's token.
    frames = ask(warung, "halo", conversation_id=meta["conversation_id"],
                 conversation_token=other["conversation_token"])
    assert frames == [frames[0]] and frames[0]["type"] == "error"
    assert frames[0]["problem"]["status"] == 401
    # The right token, but on another business's socket.
    laundry = connect(s, "laundry-kilat-bersih")
    frames = ask(laundry, "halo", conversation_id=meta["conversation_id"],
                 conversation_token=meta["conversation_token"])
    assert frames[0]["type"] == "error"
    assert frames[0]["problem"]["status"] in (401, 404), frames
    # The laundry socket did not start following the warung's conversation: a reply there
    # reaches the warung's socket only.
    r = world["owner"].post(f"/v1/conversations/{meta['conversation_id']}/messages",
                            json={"text": "Buka jam 7 kak."})
    assert r.status_code == 201
    assert receive(warung)["type"] == "agent_message"
    laundry.settimeout(0.5)
    with pytest.raises(websocket.WebSocketTimeoutException):
        laundry.recv()

    # Another organisation's owner cannot post into the conversation (nor push to the socket).
    stranger = register(s, name="Orang Lain")
    create_org(stranger, "Toko Lain")
    r = stranger.post(f"/v1/conversations/{meta['conversation_id']}/messages",
                      json={"text": "halo dari luar"})
    assert r.status_code == 404, r.text
    warung.settimeout(0.5)
    with pytest.raises(websocket.WebSocketTimeoutException):
        warung.recv()


def test_the_upgrade_needs_a_websocket_and_a_known_business(world):
    s = world["server"]
    r = requests.get(f"{s.base}/v1/public/businesses/warung-bu-sari/ws", timeout=10)
    assert r.status_code == 426, r.text
    assert r.headers["Content-Type"].startswith("application/problem+json")
    with pytest.raises(websocket.WebSocketBadStatusException) as bad:
        connect(s, "no-such-slug")
    assert bad.value.status_code == 404


def test_messages_on_a_socket_count_against_the_public_rate_limit(start_server):
    server = start_server(env={"MILKYHOOP_RATELIMIT_PUBLIC_CHAT_PER_MINUTE": "3"})
    owner = register(server, name="Bu Sari")
    org = create_org(owner, "UMKM Limit")
    make_business(owner, org["id"], load_eval("retrieval-dev.json")["businesses"][0])
    slug = load_eval("retrieval-dev.json")["businesses"][0]["slug"]
    ws = connect(server, slug)  # the upgrade itself is one public chat request
    assert ask(ws, "jam brp buka kak?")[-1]["type"] == "done"
    assert ask(ws, "bisa bayar qris?")[-1]["type"] == "done"
    frames = ask(ws, "ada parkir?")
    assert frames[0]["type"] == "error", frames
    assert frames[0]["problem"]["status"] == 429
    assert frames[0]["retry_after"] >= 1
    # The HTTP route shares the limit: the socket was no way around it.
    r = server.post(f"/v1/public/businesses/{slug}/chat", json={"message": "halo"})
    assert r.status_code == 429


def test_closing_the_socket_cancels_the_upstream_llm_request(start_server):
    """A customer who leaves mid-answer: the bot's LLM request is cut, not streamed to nobody."""
    import threading
    import time

    started, cut = threading.Event(), threading.Event()

    class SlowUpstream(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 (http.server's naming)
            self.begin_event_stream()
            started.set()
            try:
                for i in range(100):  # 20 s of tokens unless the reader goes away
                    chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0,
                             "model": "m", "choices": [{"index": 0, "delta": {
                                 "content": f"kata{i} "}, "finish_reason": None}]}
                    data = f"data: {json.dumps(chunk)}\n\n".encode()
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                    self.wfile.flush()
                    time.sleep(0.2)
            except (BrokenPipeError, ConnectionResetError):
                cut.set()

    with serve_locally(SlowUpstream) as upstream:
        server = start_server(env={"MILKYHOOP_CHATBOT_LLM_ALLOW_PRIVATE_NETWORKS": "true"})
        owner = register(server, name="Bu Sari")
        org = create_org(owner, "UMKM Lambat")
        spec = load_eval("retrieval-dev.json")["businesses"][0]
        business, _ = make_business(owner, org["id"], spec)
        route_to_llm(owner, business["id"], f"http://127.0.0.1:{upstream.server_port}/v1",
                     timeout_ms=30000)
        ws = connect(server, spec["slug"])
        ws.send(json.dumps({"type": "message", "text": "jam brp buka kak?"}))
        assert receive(ws)["type"] == "meta"
        first = receive(ws)
        assert first["type"] == "delta" and first["text"].startswith("kata0"), first
        assert started.is_set()
        ws.close()
        assert cut.wait(10), "the upstream request went on after the customer left"
