"""Two gateway replicas of one split deployment (issue 8), sharing Redis: a customer's chat
WebSocket is held by one replica, the owner's reply is posted through the other, and it still
reaches the customer at once (relayed through Redis pub/sub). With Redis gone the reply is
still stored and the failure is counted. And with two chatbot processes behind them, a
conversation whose answer streams through one is busy (409) for the other."""
import threading

from api import create_org, make_business, register
from chat_sse import assert_conflict, sse_events
from chat_ws import ask, connect, receive
from conftest import Server
from deployment import OWN_DEPLOYMENT_MARKS, SplitServer
from upstream import held_stream_handler, route_to_llm, serve_locally

pytestmark = OWN_DEPLOYMENT_MARKS


def test_an_owners_reply_reaches_the_socket_another_replica_holds(tmp_path, redis_server):
    redis_proc, redis_port = redis_server
    d = SplitServer(Server, tmp_path / "split",
                    env={"MILKYHOOP_REDIS_URL": f"redis://127.0.0.1:{redis_port}"})
    try:
        second = d.add_gateway()
        owner = register(d, "Bu Replika")
        org = create_org(owner, "Replika Org")
        r = owner.post(f"/v1/orgs/{org['id']}/businesses",
                       json={"name": "Warung Replika", "slug": "warung-replika",
                             "category": "food", "language": "id", "currency": "IDR"})
        assert r.status_code == 201, r.text

        ws = connect(second, "warung-replika")  # the customer is on the second replica
        frames = ask(ws, "mau bicara dengan admin")
        assert frames[-1]["handoff"] is True, frames
        cid = frames[0]["conversation_id"]

        r = owner.post(f"/v1/conversations/{cid}/messages", json={"text": "Halo kak, saya Bu Replika."})
        assert r.status_code == 201, r.text  # through the first replica
        pushed = receive(ws)
        assert pushed["type"] == "agent_message" and pushed["conversation_id"] == cid
        assert pushed["message_id"] == r.json()["id"]
        assert pushed["text"] == "Halo kak, saya Bu Replika."

        # Redis gone: the reply is stored all the same, and the lost relay is counted.
        redis_proc.terminate()
        redis_proc.wait(timeout=10)
        r = owner.post(f"/v1/conversations/{cid}/messages", json={"text": "Masih di sini?"})
        assert r.status_code == 201, r.text
        texts = [m["text"] for m in owner.get(f"/v1/conversations/{cid}/messages").json()["items"]]
        assert "Masih di sini?" in texts
        assert "milkyhoop_socket_relay_failures_total 1" in d.gateway.get("/metrics").text
        ws.close()
    finally:
        d.stop()


def test_a_conversation_answering_through_one_chatbot_process_is_busy_for_another(
        tmp_path, redis_server):
    _, redis_port = redis_server
    release = threading.Event()
    with serve_locally(held_stream_handler(release)) as upstream:
        d = SplitServer(Server, tmp_path / "split",
                        env={"MILKYHOOP_REDIS_URL": f"redis://127.0.0.1:{redis_port}",
                             "MILKYHOOP_CHATBOT_LLM_ALLOW_PRIVATE_NETWORKS": "true"})
        try:
            # A second process hosting the chatbot on the same database, behind its own gateway.
            conversation_b = d.add_replica("conversation", "conversation_b")
            port = conversation_b.listening["grpc_port"]
            gateway_b = d.add_replica("gateway", "gateway_b", env={
                "MILKYHOOP_REMOTE_CHATBOT": f"127.0.0.1:{port}",
                "MILKYHOOP_REMOTE_ASSISTANT": f"127.0.0.1:{port}"})
            owner = register(d, "Bu Giliran")
            org = create_org(owner, "Giliran Org")
            business, _ = make_business(owner, org["id"], {
                "name": "Warung Giliran", "slug": "warung-giliran", "category": "food",
                "faqs": [{"id": "f1", "question": "Jam berapa warung buka?",
                          "answer": "Warung buka jam 07.00 sampai 21.00."}]})
            route_to_llm(owner, business["id"], f"http://127.0.0.1:{upstream.server_port}/v1",
                         timeout_ms=30000)
            path = "/v1/public/businesses/warung-giliran/chat"

            release.set()
            r = d.post(path, json={"message": "jam berapa warung buka?"})
            assert r.status_code == 200, r.text
            conv = {k: r.json()[k] for k in ("conversation_id", "conversation_token")}

            release.clear()
            stream = d.post(path, json={"message": "jam buka warung hari minggu?",
                                        "stream": True, **conv}, stream=True, timeout=60)
            assert stream.status_code == 200, stream.text
            events = sse_events(stream)
            assert next(events)[0] == "meta"
            assert next(events)[0] == "delta"  # answering through the first chatbot process

            r = gateway_b.post(path, json={"message": "halo?", **conv})
            assert r.status_code == 409, r.text
            assert_conflict(r.json())

            release.set()
            assert list(events)[-1][0] == "done"
            r = gateway_b.post(path, json={"message": "jam buka warung besok?", **conv})
            assert r.status_code == 200, r.text
            assert r.json()["conversation_id"] == conv["conversation_id"]
        finally:
            release.set()
            d.stop()
