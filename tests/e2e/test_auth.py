"""Accounts, sessions, lockout, MFA and access-token checks against the real binary (API.md "Auth").

Every test starts its own server: the gateway limits auth routes to 10 requests per minute per
client address, and each test stays under that.

Config keys used (environment MILKYHOOP_<KEY>): auth.issuer, auth.audience,
auth.access_token_ttl_s, auth.clock_skew_s.
"""
import base64
import hashlib
import hmac
import json
import struct
import time

import pytest

PASSWORD = "kopi susu gula aren"


def totp(secret_b32, at=None, step=30, digits=6):
    """RFC 6238 (HMAC-SHA1 over the 30 s counter, dynamic truncation)."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return str(code).zfill(digits)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(segment):
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def register(server, email, password=PASSWORD, name="Sari"):
    r = server.post("/v1/auth/register", json={"email": email, "password": password, "name": name})
    assert r.status_code == 201, r.text
    return r.json()


def login(server, email, password=PASSWORD, **extra):
    return server.post("/v1/auth/login", json={"email": email, "password": password, **extra})


def me(server, access_token):
    return server.get("/v1/auth/me", headers={"Authorization": f"Bearer {access_token}"})


def assert_problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["code"] == code
    return body


def test_register_login_me(server):
    tokens = register(server, " Sari@Example.COM ")
    assert set(tokens) == {"user", "access_token", "refresh_token", "token_type", "expires_in"}
    assert set(tokens["user"]) == {"id", "email", "name"}
    assert tokens["user"]["email"] == "sari@example.com"
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 900
    header = b64url_json(tokens["access_token"].split(".")[0])
    assert header["alg"] == "EdDSA" and header["kid"]
    claims = b64url_json(tokens["access_token"].split(".")[1])
    assert claims["sub"] == tokens["user"]["id"]
    assert {"iss", "aud", "sid", "iat", "nbf", "exp", "jti"} <= set(claims)
    assert claims["exp"] - claims["iat"] == 900

    r = login(server, "SARI@example.com")
    assert r.status_code == 200, r.text
    assert r.headers.get("Cache-Control") == "no-store"
    r = me(server, r.json()["access_token"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == tokens["user"]["id"]
    assert body["email"] == "sari@example.com"
    assert body["mfa_enabled"] is False
    assert isinstance(body["orgs"], list)


def test_register_validation_and_conflict(server):
    r = server.post("/v1/auth/register", json={"email": 42, "password": PASSWORD})
    body = assert_problem(r, 400, "invalid_argument")
    assert {e["field"] for e in body["errors"]} == {"email", "name"}
    r = server.post("/v1/auth/register",
                    json={"email": "tono@example.com", "password": "password123", "name": "T"})
    assert assert_problem(r, 400, "invalid_argument")["errors"][0]["field"] == "password"
    r = server.post("/v1/auth/register",
                    json={"email": "tono@example.com", "password": "tono-secret-99", "name": "T"})
    assert assert_problem(r, 400, "invalid_argument")["errors"][0]["field"] == "password"
    register(server, "tono@example.com")
    r = server.post("/v1/auth/register",
                    json={"email": "TONO@example.com", "password": PASSWORD, "name": "T"})
    assert_problem(r, 409, "conflict")


def test_wrong_password_and_unknown_email_answer_the_same(server):
    register(server, "umar@example.com")
    wrong = login(server, "umar@example.com", "not the password")
    unknown = login(server, "nobody@example.com", "not the password")
    assert_problem(wrong, 401, "unauthenticated")
    assert wrong.headers["WWW-Authenticate"].startswith("Bearer")
    assert wrong.json() == unknown.json()
    assert wrong.json()["detail"] == "invalid email or password"


def test_lockout_after_five_failures(server):
    register(server, "vina@example.com")
    for _ in range(5):
        assert login(server, "vina@example.com", "wrong password!").status_code == 401
    r = login(server, "vina@example.com")  # even the right password waits
    body = assert_problem(r, 429, "rate_limited")
    assert "locked" in body["detail"]
    assert 295 <= int(r.headers["Retry-After"]) <= 300


def test_refresh_rotation_and_reuse_revokes_the_session(server):
    first = register(server, "wati@example.com")
    r = server.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["user"]["id"] == first["user"]["id"]
    # The spent token again: someone copied it. The whole session ends, newest token included.
    r = server.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert "revoked" in assert_problem(r, 401, "unauthenticated")["detail"]
    r = server.post("/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert_problem(r, 401, "unauthenticated")
    assert_problem(server.post("/v1/auth/refresh", json={}), 400, "invalid_argument")


def test_logout(server):
    tokens = register(server, "yani@example.com")
    r = server.post("/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 204, r.text
    r = server.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_problem(r, 401, "unauthenticated")


def test_sessions_list_and_revoke(server):
    first = register(server, "zaki@example.com")
    second = login(server, "zaki@example.com").json()
    auth = {"Authorization": f"Bearer {second['access_token']}"}
    r = server.get("/v1/auth/sessions", headers=auth)
    assert r.status_code == 200, r.text
    listing = r.json()
    assert listing["next_cursor"] is None
    assert len(listing["items"]) == 2
    current = [s for s in listing["items"] if s["current"]]
    assert len(current) == 1
    for s in listing["items"]:
        assert {"id", "created_at", "last_used_at", "expires_at", "ip", "user_agent"} <= set(s)
        assert s["created_at"].endswith("Z")
    other = next(s for s in listing["items"] if not s["current"])
    r = server.request("DELETE", f"/v1/auth/sessions/{other['id']}", headers=auth)
    assert r.status_code == 204, r.text
    assert len(server.get("/v1/auth/sessions", headers=auth).json()["items"]) == 1
    r = server.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert_problem(r, 401, "unauthenticated")
    r = server.request("DELETE", "/v1/auth/sessions/ses_unknown", headers=auth)
    assert_problem(r, 404, "not_found")
    assert_problem(server.get("/v1/auth/sessions"), 401, "unauthenticated")


def test_totp_enable_login_and_replay(server):
    tokens = register(server, "ani@example.com")
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    r = server.post("/v1/auth/mfa/totp/setup", headers=auth)
    assert r.status_code == 200, r.text
    setup = r.json()
    assert setup["otpauth_url"].startswith("otpauth://totp/")
    assert f"secret={setup['secret']}" in setup["otpauth_url"]
    now = time.time()
    r = server.post("/v1/auth/mfa/totp/enable", json={"code": totp(setup["secret"], now)},
                    headers=auth)
    assert r.status_code == 200, r.text
    assert r.json() == {"mfa_enabled": True}
    assert me(server, tokens["access_token"]).json()["mfa_enabled"] is True

    r = login(server, "ani@example.com")
    body = assert_problem(r, 401, "unauthenticated")
    assert body["errors"] == [{"field": "totp_code", "message": "required"}]
    # The next time step (inside the accepted window): the step used to enable is spent.
    code = totp(setup["secret"], now + 30)
    r = login(server, "ani@example.com", totp_code=code)
    assert r.status_code == 200, r.text
    r = login(server, "ani@example.com", totp_code=code)  # replay
    assert assert_problem(r, 401, "unauthenticated")["detail"] == "invalid TOTP code"


def test_forged_tokens_are_refused(server):
    tokens = register(server, "budi@example.com")
    header, payload, signature = tokens["access_token"].split(".")
    assert me(server, tokens["access_token"]).status_code == 200

    flipped = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
    alg_none = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode()) + "." + payload + "."
    # Algorithm confusion: HS256 keyed with the published public key.
    jwks = server.get("/.well-known/jwks.json").json()
    public_x = jwks["keys"][0]["x"].encode()
    hs_header = b64url(json.dumps({"alg": "HS256", "kid": jwks["keys"][0]["kid"]}).encode())
    hs_sig = b64url(hmac.new(public_x, f"{hs_header}.{payload}".encode(), hashlib.sha256).digest())
    # Claims edited (another user), original signature kept.
    claims = b64url_json(payload)
    claims["sub"] = "usr_someone_else"
    edited = header + "." + b64url(json.dumps(claims).encode()) + "." + signature
    for forged in (f"{header}.{payload}.{flipped}", alg_none, f"{hs_header}.{payload}.{hs_sig}",
                   edited, "not-a-jwt"):
        r = me(server, forged)
        assert_problem(r, 401, "unauthenticated")
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
    r = server.get("/v1/auth/me", headers={"Authorization": f"Basic {tokens['access_token']}"})
    assert_problem(r, 401, "unauthenticated")


def test_expired_token_is_refused(start_server):
    server = start_server(env={"MILKYHOOP_AUTH_ACCESS_TOKEN_TTL_S": "2",
                               "MILKYHOOP_AUTH_CLOCK_SKEW_S": "0"})
    tokens = register(server, "citra@example.com")
    assert tokens["expires_in"] == 2
    assert me(server, tokens["access_token"]).status_code == 200
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        r = me(server, tokens["access_token"])
        if r.status_code != 200:
            break
        time.sleep(0.2)
    assert "exp" in assert_problem(r, 401, "unauthenticated")["detail"]


@pytest.mark.parametrize("key,value", [("MILKYHOOP_AUTH_AUDIENCE", "another-api"),
                                       ("MILKYHOOP_AUTH_ISSUER", "https://another.example")])
def test_token_for_another_audience_or_issuer_is_refused(start_server, tmp_path, key, value):
    # Same data directory, so the same signing key: only the claim differs.
    data = tmp_path / "shared"
    other = start_server(env={key: value}, data_dir=data)
    tokens = register(other, "dewi@example.com")
    assert me(other, tokens["access_token"]).status_code == 200
    other.stop()
    server = start_server(data_dir=data)
    assert_problem(me(server, tokens["access_token"]), 401, "unauthenticated")
    assert login(server, "dewi@example.com").status_code == 200


def test_jwks_and_openapi(server):
    r = server.get("/.well-known/jwks.json")
    assert r.status_code == 200
    keys = r.json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "OKP" and keys[0]["crv"] == "Ed25519" and keys[0]["alg"] == "EdDSA"
    assert "d" not in keys[0]
    doc = server.get("/openapi.json").json()
    for path, method in [("/v1/auth/register", "post"), ("/v1/auth/login", "post"),
                         ("/v1/auth/refresh", "post"), ("/v1/auth/logout", "post"),
                         ("/v1/auth/me", "get"), ("/v1/auth/sessions", "get"),
                         ("/v1/auth/sessions/{session_id}", "delete"),
                         ("/v1/auth/mfa/totp/setup", "post"), ("/v1/auth/mfa/totp/enable", "post"),
                         ("/v1/auth/mfa/totp/disable", "post"),
                         ("/v1/auth/oauth/google/authorize", "get"),
                         ("/v1/auth/oauth/google/callback", "get"), ("/.well-known/jwks.json", "get")]:
        op = doc["paths"][path][method]
        assert op["tags"] == ["Auth"], path
        assert op["summary"], path


def test_me_shows_every_change_at_once(server):
    """/v1/auth/me is answered from memory between changes (auth.me_cache_ms): each change to the
    user or their organisations shows on the very next /me, for every member it touches."""
    owner = register(server, "owner-me@example.com", name="Owner")
    member = register(server, "member-me@example.com", name="Member")
    as_owner = {"Authorization": f"Bearer {owner['access_token']}"}

    def orgs_of(tokens):
        r = me(server, tokens["access_token"])
        assert r.status_code == 200, r.text
        return [(o["name"], o["role"]) for o in r.json()["orgs"]]

    for _ in range(3):  # warm: later reads may be served from memory
        assert orgs_of(owner) == [] and orgs_of(member) == []

    r = server.post("/v1/orgs", json={"name": "Warung Sari"}, headers=as_owner)
    assert r.status_code == 201, r.text
    org_id = r.json()["id"]
    assert orgs_of(owner) == [("Warung Sari", "owner")]

    r = server.post(f"/v1/orgs/{org_id}/members",
                    json={"email": "member-me@example.com", "role": "viewer"}, headers=as_owner)
    assert r.status_code == 201, r.text
    assert orgs_of(member) == [("Warung Sari", "viewer")]

    r = server.request("PATCH", f"/v1/orgs/{org_id}/members/{member['user']['id']}", json={"role": "admin"},
                     headers=as_owner)
    assert r.status_code == 200, r.text
    assert orgs_of(member) == [("Warung Sari", "admin")]

    r = server.request("PATCH", f"/v1/orgs/{org_id}", json={"name": "Warung Sari Jaya"}, headers=as_owner)
    assert r.status_code == 200, r.text
    assert orgs_of(owner) == [("Warung Sari Jaya", "owner")]
    assert orgs_of(member) == [("Warung Sari Jaya", "admin")]

    r = server.request("DELETE", f"/v1/orgs/{org_id}/members/{member['user']['id']}", headers=as_owner)
    assert r.status_code == 204, r.text
    assert orgs_of(member) == []

    r = server.request("DELETE", f"/v1/orgs/{org_id}", headers=as_owner)
    assert r.status_code == 204, r.text
    assert orgs_of(owner) == []
