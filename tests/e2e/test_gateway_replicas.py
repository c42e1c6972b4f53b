"""Two gateway replicas of one split deployment (issue 8), sharing Redis: a customer's chat
WebSocket is held by one replica, the owner's reply is posted through the other, and it still
reaches the customer at once (relayed through Redis pub/sub). With Redis gone the reply is
still stored and the failure is counted."""
from api import create_org, register
from chat_ws import ask, connect, receive
from conftest import Server
from deployment import OWN_DEPLOYMENT_MARKS, SplitServer

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
