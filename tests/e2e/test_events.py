"""Events flow through the outboxes to their consumers: an invitation becomes a membership when
the invited email registers, and no event is dead-lettered on the way."""
import time
import uuid

from api import create_org, register


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return predicate()


def test_invitation_becomes_membership_after_registration(server):
    owner = register(server, "Owner")
    org = create_org(owner)
    email = f"invitee-{uuid.uuid4().hex[:8]}@example.com"
    r = owner.post(f"/v1/orgs/{org['id']}/members", json={"email": email, "role": "member"})
    assert r.status_code == 201, r.text
    r = server.post("/v1/auth/register",
                    json={"email": email, "password": "teh-manis-dingin-77", "name": "Invitee"})
    assert r.status_code == 201, r.text
    token = r.json()["access_token"]

    def member_active():
        me = server.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
        return any(o["id"] == org["id"] and o["role"] == "member" for o in me["orgs"])

    assert wait_for(member_active), "the invitation never became a membership"


def test_no_event_is_dead_lettered(server):
    owner = register(server, "Owner")
    create_org(owner)
    server.post("/v1/auth/login", json={"email": owner.email, "password": "wrong-password-1"})

    def drained():
        text = server.get("/metrics").text
        pending = [l for l in text.splitlines() if l.startswith("outbox_pending_")]
        return pending and all(float(l.split()[1]) == 0 for l in pending)

    assert wait_for(drained), server.get("/metrics").text
    text = server.get("/metrics").text
    dead = [l for l in text.splitlines() if l.startswith("events_dead_lettered_total")]
    assert not dead, dead
    assert 'events_published_total{service="auth"}' in text
