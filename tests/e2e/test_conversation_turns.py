"""One turn at a time per conversation (issue 8): while a conversation's answer is still being
written, a second message to it — a JSON or SSE request, or another WebSocket — is refused with a
409 problem (code conflict) and leaves nothing in the conversation; once the answer is done the
next message is answered. The LLM upstream is a loopback server that holds its answer open until
the test lets it finish."""
import threading

from api import create_org, make_business, register
from chat_sse import assert_conflict, sse_events
from chat_ws import ask, connect
from knowledge_data import load_eval
from upstream import held_stream_handler, route_to_llm, serve_locally


def test_a_message_while_the_conversations_answer_streams_is_a_conflict(start_server):
    release = threading.Event()
    with serve_locally(held_stream_handler(release)) as upstream:
        server = start_server(env={"MILKYHOOP_CHATBOT_LLM_ALLOW_PRIVATE_NETWORKS": "true",
                                   "MILKYHOOP_RATELIMIT_PUBLIC_CHAT_PER_MINUTE": "1000"})
        owner = register(server, name="Bu Sari")
        org = create_org(owner, "UMKM Giliran")
        spec = load_eval("retrieval-dev.json")["businesses"][0]
        business, _ = make_business(owner, org["id"], spec)
        route_to_llm(owner, business["id"], f"http://127.0.0.1:{upstream.server_port}/v1",
                     timeout_ms=30000)
        path = f"/v1/public/businesses/{spec['slug']}/chat"

        release.set()
        r = server.post(path, json={"message": "jam brp buka kak?"})
        assert r.status_code == 200, r.text
        conv = {k: r.json()[k] for k in ("conversation_id", "conversation_token")}

        release.clear()
        stream = server.post(path, json={"message": "bisa bayar qris?", "stream": True, **conv},
                             stream=True, timeout=60)
        assert stream.status_code == 200, stream.text
        events = sse_events(stream)
        assert next(events)[0] == "meta"
        assert next(events) == ("delta", {"text": "Buka jam "})  # the answer is being written

        r = server.post(path, json={"message": "halo?", **conv})
        assert r.status_code == 409, r.text
        assert r.headers["Content-Type"].startswith("application/problem+json")
        assert_conflict(r.json())
        r = server.post(path, json={"message": "halo?", "stream": True, **conv})
        assert r.status_code == 409, r.text
        assert_conflict(r.json())
        ws = connect(server, spec["slug"])  # another socket: its own turn check knows nothing
        frames = ask(ws, "halo?", **conv)
        assert frames[0]["type"] == "error", frames
        assert_conflict(frames[0]["problem"])

        release.set()
        rest = list(events)
        assert rest[-1][0] == "done", rest
        frames = ask(ws, "ada parkir?", **conv)
        assert frames[-1]["type"] == "done", frames
        assert frames[0]["conversation_id"] == conv["conversation_id"]
        ws.close()

        # Three turns answered; the refused messages left nothing behind.
        r = owner.get(f"/v1/conversations/{conv['conversation_id']}/messages")
        items = r.json()["items"]
        assert [m["role"] for m in items] == ["customer", "bot"] * 3, items
        assert [m["text"] for m in items if m["role"] == "customer"] == [
            "jam brp buka kak?", "bisa bayar qris?", "ada parkir?"]
