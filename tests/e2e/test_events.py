"""Events flow through the outboxes to their consumers: an invitation becomes a membership when
the invited email registers, and no event is dead-lettered on the way."""

from api import create_org, invite_then_register, register, wait_for


def test_invitation_becomes_membership_after_registration(server):
    owner = register(server, "Owner")
    org = create_org(owner)
    member_active = invite_then_register(server, owner, org["id"])
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


def test_a_members_refused_action_reaches_the_audit_log(server):
    owner = register(server, "Owner")
    org = create_org(owner)
    viewer = register(server, "Viewer")
    r = owner.post(f"/v1/orgs/{org['id']}/members", json={"email": viewer.email, "role": "viewer"})
    assert r.status_code == 201, r.text
    r = viewer.post(f"/v1/orgs/{org['id']}/businesses",
                    json={"name": "Toko Viewer", "category": "retail", "currency": "IDR"},
                    headers={"User-Agent": "audit-probe/1.0"})
    assert r.status_code == 403, r.text
    # A stranger's attempt is 404 and is not recorded (anyone could fill a log with those).
    stranger = register(server, "Stranger")
    assert stranger.post(f"/v1/orgs/{org['id']}/businesses",
                         json={"name": "X", "category": "retail", "currency": "IDR"}
                         ).status_code == 404

    def denied():
        r = owner.get(f"/v1/orgs/{org['id']}/audit-events?action=access.denied")
        assert r.status_code == 200, r.text
        return r.json()["items"]

    items = wait_for(denied)
    assert len(items) == 1, items
    record = items[0]
    assert record["actor_id"] == viewer.id
    assert record["target_type"] == "permission" and record["target_id"] == "business:write"
    assert record["result"] == "failure"
    assert record["user_agent"] == "audit-probe/1.0"
    assert record["ip"] == "127.0.0.1"
