"""Master-key rotation end to end through the binary: `keys rotate`, then `keys rewrap` re-seals
every stored secret (customer phones, a bot's LLM API key, the token signing keys) under the new
key, after which the old key can be deleted from the key file and everything still opens."""
import pathlib

from api import create_org, register
from conftest import run_cli


def master_key_ids(key_file):
    return [line.split()[0] for line in key_file.read_text().splitlines()
            if line and not line.startswith("#") and not line.startswith("index ")]


def test_rotate_rewrap_then_drop_the_old_key(start_server, tmp_path):
    data = tmp_path / "data"
    server = start_server(data_dir=data)
    owner = register(server, name="Bu Sari")
    org = create_org(owner, "UMKM Kunci")
    r = owner.post(f"/v1/orgs/{org['id']}/businesses",
                   json={"name": "Warung Kunci", "category": "food", "currency": "IDR"})
    assert r.status_code == 201, r.text
    business_id = r.json()["id"]
    r = owner.post(f"/v1/businesses/{business_id}/customers",
                   json={"name": "Pak Budi", "phone": "0812-3456-7890"})
    assert r.status_code == 201, r.text
    customer = r.json()
    r = owner.request("PUT", f"/v1/businesses/{business_id}/bot",
                      json={"llm": {"base_url": "https://llm.example.com/v1", "model": "m",
                                    "api_key": "sk-rahasia-123"}})
    assert r.status_code == 200, r.text
    server.stop()

    key_file = pathlib.Path(data) / "keys" / "master.keys"
    (old_id,) = master_key_ids(key_file)
    rotated = run_cli("keys", "rotate", "--data-dir", str(data))
    assert rotated.returncode == 0, rotated.stderr
    new_id = master_key_ids(key_file)[0]
    assert new_id != old_id and new_id in rotated.stdout

    rewrap = run_cli("keys", "rewrap", "--data-dir", str(data))
    assert rewrap.returncode == 0, rewrap.stderr + rewrap.stdout
    out = rewrap.stdout
    assert "business customers.phone_sealed: 1 sealed, 1 re-wrapped" in out, out
    assert "chatbot bots.llm_api_key_sealed: 1 sealed, 1 re-wrapped" in out, out
    assert "auth signing_keys.private_sealed: 1 sealed, 1 re-wrapped" in out, out
    assert "older master keys may be removed" in out, out
    # A second run has nothing left to do.
    again = run_cli("keys", "rewrap", "--data-dir", str(data))
    assert again.returncode == 0 and " 0 re-wrapped" in again.stdout
    assert " 1 re-wrapped" not in again.stdout, again.stdout

    # Drop the old master key: only the index key and the new one remain.
    key_file.write_text("\n".join(line for line in key_file.read_text().splitlines()
                                  if not line.startswith(old_id + " ")) + "\n")
    assert master_key_ids(key_file) == [new_id]

    server = start_server(data_dir=data)
    # The signing key opens: a login signs a token that works.
    r = server.post("/v1/auth/login", json={"email": owner.email,
                                            "password": "kopi-susu-gula-aren-42"})
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    r = server.get(f"/v1/businesses/{business_id}/customers", headers=auth)
    assert r.status_code == 200, r.text
    assert [(c["id"], c["phone"]) for c in r.json()["items"]] == [(customer["id"],
                                                                    customer["phone"])]
    r = server.get(f"/v1/businesses/{business_id}/bot", headers=auth)
    assert r.status_code == 200 and r.json()["llm"]["api_key_set"] is True


def test_rewrap_refuses_values_under_a_key_it_does_not_hold(start_server, tmp_path):
    data = tmp_path / "data"
    server = start_server(data_dir=data)
    owner = register(server)
    org = create_org(owner)
    r = owner.post(f"/v1/orgs/{org['id']}/businesses",
                   json={"name": "Toko", "category": "retail", "currency": "IDR"})
    business_id = r.json()["id"]
    assert owner.post(f"/v1/businesses/{business_id}/customers",
                      json={"name": "Bu Ani", "phone": "081298765432"}).status_code == 201
    server.stop()
    key_file = pathlib.Path(data) / "keys" / "master.keys"
    (old_id,) = master_key_ids(key_file)
    assert run_cli("keys", "rotate", "--data-dir", str(data)).returncode == 0
    # The old key is dropped too early: the rewrap says which value it cannot open.
    key_file.write_text("\n".join(line for line in key_file.read_text().splitlines()
                                  if not line.startswith(old_id + " ")) + "\n")
    rewrap = run_cli("keys", "rewrap", "--data-dir", str(data))
    assert rewrap.returncode != 0
    # It names the first value it cannot open (the auth service's signing key comes first) and
    # the missing key.
    assert "cannot re-wrap signing_keys.private_sealed of " in rewrap.stderr, rewrap.stderr
    assert old_id in rewrap.stderr
