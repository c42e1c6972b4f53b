"""Helpers for black-box tests that act as users of the public API."""
import itertools
import time
import uuid

_counter = itertools.count()


class User:
    def __init__(self, server, email, token, user_id, refresh_token):
        self.server = server
        self.email = email
        self.token = token
        self.id = user_id
        self.refresh_token = refresh_token

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def request(self, method, path, **kw):
        headers = {**self.headers, **kw.pop("headers", {})}
        return self.server.request(method, path, headers=headers, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def register(server, name="Test User", password="kopi-susu-gula-aren-42"):
    email = f"user{next(_counter)}-{uuid.uuid4().hex[:8]}@example.com"
    r = server.post("/v1/auth/register", json={"email": email, "password": password, "name": name})
    assert r.status_code == 201, r.text
    body = r.json()
    return User(server, email, body["access_token"], body["user"]["id"], body["refresh_token"])


def create_org(user, name="Warung Test"):
    r = user.post("/v1/orgs", json={"name": name})
    assert r.status_code == 201, r.text
    return r.json()


def add_member(owner, org_id, member, role):
    r = owner.post(f"/v1/orgs/{org_id}/members", json={"email": member.email, "role": role})
    assert r.status_code == 201, r.text
    return r.json()


def make_business(owner, org_id, spec):
    """A business from a spec of the retrieval eval set's shape (name, slug, faqs, products);
    returns (business, {spec faq id: our faq id})."""
    r = owner.post(f"/v1/orgs/{org_id}/businesses", json={
        "name": spec["name"], "slug": spec["slug"], "description": spec.get("name", ""),
        "category": spec.get("category", "other"), "language": spec.get("language", "id"),
        "currency": "IDR"})
    assert r.status_code == 201, r.text
    business = r.json()
    faq_ids = {}
    for faq in spec["faqs"]:
        r = owner.post(f"/v1/businesses/{business['id']}/faqs",
                       json={"question": faq["question"], "answer": faq["answer"]})
        assert r.status_code == 201, r.text
        faq_ids[faq["id"]] = r.json()["id"]
    for p in spec.get("products", []):
        r = owner.post(f"/v1/businesses/{business['id']}/products", json={
            "name": p["name"], "price": {"amount": p["price"], "currency": "IDR"},
            "stock": p.get("stock", 10), "unit": p.get("unit", "pcs")})
        assert r.status_code == 201, r.text
    return business, faq_ids


def wait_for(predicate, timeout=20.0, interval=0.05):
    """Calls `predicate` until it returns something truthy or `timeout` seconds pass; returns its
    last value (falsy on timeout). The pause doubles up to 0.5 s, so a long wait (events through
    Kafka) does not spend the caller's rate limit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
        interval = min(interval * 2, 0.5)
    return predicate()


def invite_then_register(server, owner, org_id, role="member"):
    """The owner invites a new email to the org, then that email registers. Returns a function
    that tells whether the new user is already a member with `role` (the invitation becomes a
    membership through the events, so callers wait for it)."""
    email = f"invitee-{uuid.uuid4().hex[:8]}@example.com"
    r = owner.post(f"/v1/orgs/{org_id}/members", json={"email": email, "role": role})
    assert r.status_code == 201, r.text
    r = server.post("/v1/auth/register",
                    json={"email": email, "password": "teh-manis-dingin-77", "name": "Invitee"})
    assert r.status_code == 201, r.text
    token = r.json()["access_token"]

    def is_member():
        me = server.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
        return any(o["id"] == org_id and o["role"] == role for o in me["orgs"])

    return is_member
