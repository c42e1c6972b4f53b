"""Cross-tenant matrix, generated from the route table (GET /openapi.json), so routes added later
are covered without editing this test:
  - for every route scoped to an organisation's resource, a member of ANOTHER organisation gets
    404 (never 403: no leak of existence);
  - for every such route that writes, a viewer of the owning organisation gets 403;
  - every public route (no credentials) that reaches a conversation refuses another tenant's
    conversation, message or token.
A route whose path parameter has no fixture below fails the test until one is added."""
import pytest

from api import add_member, create_org, register

WRITE_METHODS = {"post", "put", "patch", "delete"}
# POST routes that only read (a search takes its query in the body): a viewer may call them.
READS_BY_POST = {"/v1/businesses/{business_id}/knowledge/search"}
# Routes that are not about one organisation's data even though they need a user.
NOT_TENANT_SCOPED_PREFIXES = ("/v1/auth/", "/v1/orgs/{org_id}/../", "/v1/public/", "/v1/openai/",
                              "/v1/setup/", "/v1/notifications", "/.well-known/")


class Tenant:
    """One organisation with an owner, a viewer, and one of each resource a path can name."""

    def __init__(self, server):
        self.owner = register(server, "Owner")
        self.org = create_org(self.owner, "Toko Matrix")
        self.viewer = register(server, "Viewer")
        add_member(self.owner, self.org["id"], self.viewer, "viewer")
        self.member = register(server, "Member")
        add_member(self.owner, self.org["id"], self.member, "member")
        r = self.owner.post(f"/v1/orgs/{self.org['id']}/api-keys",
                            json={"name": "matrix key", "scopes": ["business:read"]})
        assert r.status_code == 201, r.text
        self.api_key = r.json()
        self._cache = {}

    def param(self, name):
        """The id of this tenant's resource for a path parameter."""
        fixtures = {
            "org_id": lambda: self.org["id"],
            "user_id": lambda: self.member.id,
            "key_id": lambda: self.api_key["id"],
            "business_id": lambda: self._business()["id"],
            "product_id": lambda: self._product()["id"],
            "transaction_id": lambda: self._transaction()["id"],
            "faq_id": lambda: self._created("faqs", {"question": "Jam buka?",
                                                      "answer": "07.00-21.00"})["id"],
            "document_id": lambda: self._created("documents", {
                "title": "Harga", "content": "Cuci kiloan Rp 7.000 per kg."})["id"],
            "conversation_id": lambda: self._conversation()["conversation_id"],
        }
        if name not in fixtures:
            pytest.fail(f"no tenancy fixture for path parameter {{{name}}}: add one to "
                        f"tests/e2e/test_tenancy_matrix.py so the new route is covered")
        if name not in self._cache:
            self._cache[name] = fixtures[name]()
        return self._cache[name]


    def _business(self):
        if "business" not in self._cache:
            r = self.owner.post(f"/v1/orgs/{self.org['id']}/businesses",
                                json={"name": "Toko Matrix", "description": "test", "category": "retail",
                                      "language": "id", "currency": "IDR"})
            assert r.status_code == 201, r.text
            self._cache["business"] = r.json()
        return self._cache["business"]

    def _product(self):
        if "product" not in self._cache:
            r = self.owner.post(f"/v1/businesses/{self._business()['id']}/products",
                                json={"name": "Kaos", "price": {"amount": 45000, "currency": "IDR"},
                                      "stock": 10, "unit": "pcs"})
            assert r.status_code == 201, r.text
            self._cache["product"] = r.json()
        return self._cache["product"]

    def _conversation(self):
        """A customer's conversation with the tenant's bot, started on the public chat."""
        slug = self._business()["slug"]
        r = self.owner.post(f"/v1/public/businesses/{slug}/chat", json={"message": "halo kak"})
        assert r.status_code == 200, r.text
        return r.json()

    def _created(self, collection, body):
        """A resource created under the tenant's business."""
        r = self.owner.post(f"/v1/businesses/{self._business()['id']}/{collection}", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    def _transaction(self):
        if "transaction" not in self._cache:
            product = self._product()
            r = self.owner.post(f"/v1/businesses/{self._business()['id']}/transactions",
                                json={"type": "sale", "items": [{
                                    "product_id": product["id"], "name": "Kaos", "quantity": 1,
                                    "unit_price": {"amount": 45000, "currency": "IDR"}}]})
            assert r.status_code == 201, r.text
            self._cache["transaction"] = r.json()
        return self._cache["transaction"]


def tenant_scoped_operations(doc):
    for path, ops in doc["paths"].items():
        if "{" not in path or path.startswith(NOT_TENANT_SCOPED_PREFIXES):
            continue
        for method, op in ops.items():
            if op.get("security") == []:
                continue  # public routes are not tenant data
            yield path, method, op


def fill(path, tenant):
    out = path
    while "{" in out:
        start = out.index("{")
        end = out.index("}", start)
        out = out[:start] + tenant.param(out[start + 1:end]) + out[end + 1:]
    return out


@pytest.fixture
def tenants(server):
    return Tenant(server), Tenant(server)


def test_matrix_covers_the_org_routes(server):
    doc = server.get("/openapi.json").json()
    ops = list(tenant_scoped_operations(doc))
    paths = {p for p, _, _ in ops}
    # Sanity: the generator sees the routes of API.md's Organisations section.
    for expected in ("/v1/orgs/{org_id}", "/v1/orgs/{org_id}/members",
                     "/v1/orgs/{org_id}/api-keys", "/v1/orgs/{org_id}/audit-events"):
        assert expected in paths


def test_another_orgs_member_gets_404_everywhere(server, tenants):
    a, b = tenants
    doc = server.get("/openapi.json").json()
    failures = []
    for path, method, _ in tenant_scoped_operations(doc):
        url = fill(path, b)  # B's resources...
        r = a.owner.request(method.upper(), url, json={})  # ...requested by A's owner
        if r.status_code != 404:
            failures.append(f"{method.upper()} {path}: {r.status_code} {r.text[:120]}")
    assert not failures, "cross-tenant access not answered 404:\n" + "\n".join(failures)


def test_viewer_gets_403_on_every_write(server, tenants):
    a, _ = tenants
    doc = server.get("/openapi.json").json()
    failures = []
    for path, method, op in tenant_scoped_operations(doc):
        if method not in WRITE_METHODS or path in READS_BY_POST:
            continue
        r = a.viewer.request(method.upper(), fill(path, a), json={})
        if r.status_code != 403:
            failures.append(f"{method.upper()} {path}: {r.status_code} {r.text[:120]}")
    assert not failures, "viewer writes not refused with 403:\n" + "\n".join(failures)


def test_viewer_can_read(server, tenants):
    a, _ = tenants
    r = a.viewer.get(f"/v1/orgs/{a.org['id']}")
    assert r.status_code == 200, r.text
    r = a.viewer.get(f"/v1/orgs/{a.org['id']}/members")
    assert r.status_code == 200
    for path in READS_BY_POST:
        r = a.viewer.post(fill(path, a), json={"query": "jam buka"})
        assert r.status_code == 200, (path, r.text)


def _public_chat(server, slug, **body):
    return server.post(f"/v1/public/businesses/{slug}/chat", json={"message": "halo kak", **body})


def _ws_chat(server, slug, **body):
    """One message over the chat WebSocket; the first frame of the answer."""
    import json

    import websocket

    ws = websocket.create_connection(
        f"ws://127.0.0.1:{server.port}/v1/public/businesses/{slug}/ws", timeout=10)
    try:
        ws.send(json.dumps({"type": "message", "text": "halo kak", **body}))
        return json.loads(ws.recv())
    finally:
        ws.close()


def _no_other_conversation_over_http(server, a, b):
    theirs = a._conversation()
    r = _public_chat(server, b._business()["slug"], conversation_id=theirs["conversation_id"],
                     conversation_token=theirs["conversation_token"])
    return r.status_code in (401, 404), r.status_code


def _no_other_conversation_over_ws(server, a, b):
    theirs = a._conversation()
    frame = _ws_chat(server, b._business()["slug"], conversation_id=theirs["conversation_id"],
                     conversation_token=theirs["conversation_token"])
    return frame.get("type") == "error" and frame["problem"]["status"] in (401, 404), frame


def _no_feedback_on_another_message(server, a, b):
    theirs = a._conversation()
    mine = b._conversation()
    r = server.post(f"/v1/public/messages/{theirs['message_id']}/feedback",
                    json={"conversation_token": mine["conversation_token"], "rating": "down"})
    return r.status_code in (401, 404), r.status_code


# Public routes: no credentials, so the tenant boundary is the slug and the conversation token.
# Each one that reaches a tenant's conversations has a check here; a new public route fails the
# test below until it gets one (or is listed as carrying only public data).
PUBLIC_CROSS_TENANT_CHECKS = {
    ("post", "/v1/public/businesses/{slug}/chat"): _no_other_conversation_over_http,
    ("get", "/v1/public/businesses/{slug}/ws"): _no_other_conversation_over_ws,
    ("post", "/v1/public/messages/{message_id}/feedback"): _no_feedback_on_another_message,
}
PUBLIC_DATA_ONLY = {("get", "/v1/public/businesses/{slug}")}  # the chat profile, public by design


def test_public_routes_never_reach_another_tenants_conversation(server, tenants):
    a, b = tenants
    doc = server.get("/openapi.json").json()
    failures = []
    for path, ops in doc["paths"].items():
        if not path.startswith("/v1/public/"):
            continue
        for method in ops:
            key = (method, path)
            if key in PUBLIC_DATA_ONLY:
                continue
            check = PUBLIC_CROSS_TENANT_CHECKS.get(key)
            if check is None:
                failures.append((method, path, "no cross-tenant check: add one above"))
                continue
            ok, seen = check(server, a, b)
            if not ok:
                failures.append((method, path, seen))
    assert failures == []
