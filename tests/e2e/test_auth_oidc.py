"""Sign in with Google, end to end, against a real OpenID provider (npm oidc-provider, started by
the test on 127.0.0.1): authorize redirect, the provider's login and consent pages, the callback,
the tokens, /v1/auth/me.

The redirect URI is a front-end page (nothing needs to listen there): the browser lands on it
with ?code=&state=, and the front end hands both to GET /v1/auth/oauth/google/callback, which is
what the test does. Config (environment): MILKYHOOP_OIDC_ISSUER, MILKYHOOP_OIDC_CLIENT_ID,
MILKYHOOP_OIDC_CLIENT_SECRET, MILKYHOOP_OIDC_REDIRECT_URIS.
"""
import json
import os
import pathlib
import queue
import re
import shutil
import subprocess
import threading
import time
import urllib.parse

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROVIDER = pathlib.Path(__file__).resolve().parent / "oidc" / "provider.mjs"
CLIENT_ID = "milkyhoop-e2e"
CLIENT_SECRET = "e2e-client-secret-0123456789"
REDIRECT_URI = "http://127.0.0.1:5173/auth/callback"


@pytest.fixture
def provider():
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.skip("node or node_modules/oidc-provider missing (run scripts/setup.sh)")
    env = dict(os.environ, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET,
               OIDC_REDIRECT_URIS=REDIRECT_URI, OIDC_ACCOUNT_LOGIN="siti",
               OIDC_ACCOUNT_EMAIL="siti@example.com")
    proc = subprocess.Popen([node, str(PROVIDER), "0"], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout] + [lines.put(None)],
                     daemon=True).start()
    try:
        line = lines.get(timeout=30)
    except queue.Empty:
        line = None
    if not line:
        proc.kill()
        pytest.fail("OIDC provider did not start: " + proc.stderr.read())
    yield json.loads(line)["issuer"]
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def server(start_server, provider):
    return start_server(env={
        "MILKYHOOP_OIDC_ISSUER": provider,
        "MILKYHOOP_OIDC_CLIENT_ID": CLIENT_ID,
        "MILKYHOOP_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "MILKYHOOP_OIDC_REDIRECT_URIS": REDIRECT_URI,
    })


def consent_as(authorization_url, login):
    """Plays the browser at the provider: login page, consent page, back to the redirect URI.
    Returns the query of the final redirect (code, state, iss)."""
    browser = requests.Session()
    url = authorization_url
    for _ in range(20):
        r = browser.get(url, allow_redirects=False, timeout=10)
        if r.is_redirect:
            url = urllib.parse.urljoin(url, r.headers["Location"])
            if url.startswith(REDIRECT_URI):
                return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
            continue
        assert r.status_code == 200, r.text
        prompt = re.search(r'name="prompt" value="(\w+)"', r.text)
        action = re.search(r'<form[^>]*action="([^"]+)"', r.text)
        assert prompt and action, r.text[:2000]
        form = {"prompt": prompt.group(1)}
        if prompt.group(1) == "login":
            form.update(login=login, password="anything")
        r = browser.post(urllib.parse.urljoin(url, action.group(1)), data=form,
                         allow_redirects=False, timeout=10)
        assert r.is_redirect, r.text
        url = urllib.parse.urljoin(url, r.headers["Location"])
    pytest.fail("the provider never redirected back")


def authorize(server):
    r = server.get("/v1/auth/oauth/google/authorize",
                   params={"redirect_uri": REDIRECT_URI}, allow_redirects=False)
    assert r.status_code == 302, r.text
    location = r.headers["Location"]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == REDIRECT_URI
    assert query["scope"] == "openid email profile"
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert query["state"] and query["nonce"]
    return location, query["state"]


def test_sign_in_with_google_end_to_end(server, provider):
    location, state = authorize(server)
    assert location.startswith(provider + "/")
    back = consent_as(location, "siti")
    assert back["state"] == state
    r = server.get("/v1/auth/oauth/google/callback",
                   params={"code": back["code"], "state": back["state"]})
    assert r.status_code == 200, r.text
    tokens = r.json()
    assert set(tokens) == {"user", "access_token", "refresh_token", "token_type", "expires_in"}
    assert tokens["user"]["email"] == "siti@example.com"
    assert tokens["token_type"] == "Bearer"
    r = server.get("/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert r.status_code == 200, r.text
    assert r.json()["email"] == "siti@example.com"
    # The state is single use: the same callback again is refused.
    r = server.get("/v1/auth/oauth/google/callback",
                   params={"code": back["code"], "state": back["state"]})
    assert r.status_code == 400, r.text

    # A second sign-in lands on the same account.
    location, _ = authorize(server)
    back = consent_as(location, "siti")
    r = server.get("/v1/auth/oauth/google/callback", params=back)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["id"] == tokens["user"]["id"]


def test_existing_password_account_is_linked_by_verified_email(server):
    r = server.post("/v1/auth/register", json={"email": "Siti@Example.com",
                                               "password": "kopi susu gula aren", "name": "Siti"})
    assert r.status_code == 201, r.text
    registered = r.json()["user"]["id"]
    location, _ = authorize(server)
    back = consent_as(location, "siti")
    r = server.get("/v1/auth/oauth/google/callback", params={"code": back["code"],
                                                             "state": back["state"]})
    assert r.status_code == 200, r.text
    assert r.json()["user"]["id"] == registered


def test_tampered_state_is_refused(server):
    location, state = authorize(server)
    back = consent_as(location, "siti")
    tampered = back["state"][:-2] + ("AA" if not back["state"].endswith("AA") else "BB")
    r = server.get("/v1/auth/oauth/google/callback",
                   params={"code": back["code"], "state": tampered})
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["Content-Type"].startswith("application/problem+json")


def test_unverified_email_is_refused(server):
    location, _ = authorize(server)
    back = consent_as(location, "unverified")
    r = server.get("/v1/auth/oauth/google/callback", params={"code": back["code"],
                                                             "state": back["state"]})
    assert r.status_code == 401, r.text


def test_redirect_uri_must_be_allowed(server):
    r = server.get("/v1/auth/oauth/google/authorize",
                   params={"redirect_uri": "https://evil.example/cb"}, allow_redirects=False)
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["field"] == "redirect_uri"
