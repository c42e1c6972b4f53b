"""Sets up a shop through the public API, as tests/e2e does: registers a user, creates an org, a
business (IDR, retail) and N products (named from NAMES: "Kaos", "Beras", …, then "Kaos 2"…;
price 5,000 × i, cost 70%) with 10^12 in stock. Prints one line: ACCESS_TOKEN BUSINESS_ID ID:PRICE,ID:PRICE,... (in NAMES order)

  python3 bench/lib/shop.py BASE_URL EMAIL [N_PRODUCTS=10]

Standard library only. Exits non-zero naming the call that failed."""
import json
import sys
import urllib.error
import urllib.request


NAMES = ["Kaos", "Beras", "Gula", "Kopi", "Teh", "Minyak", "Sabun", "Roti", "Susu", "Telur"]


def name(i):
    """The i-th product's name (0-based)."""
    base = NAMES[i % len(NAMES)]
    return base if i < len(NAMES) else f"{base} {i // len(NAMES) + 1}"


def call(base, method, path, body=None, token=None, expect=201):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    if status != expect:
        sys.exit(f"{method} {path}: {status} {text[:300]}")
    return json.loads(text)


def main():
    base, email = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    user = call(base, "POST", "/v1/auth/register", {"email": email,
                "password": "kopi-susu-gula-aren-42", "name": "Bench Owner"})
    token = user["access_token"]
    org = call(base, "POST", "/v1/orgs", {"name": "Bench Org"}, token)
    biz = call(base, "POST", f"/v1/orgs/{org['id']}/businesses",
               {"name": "Warung Bench", "category": "retail", "language": "id",
                "currency": "IDR"}, token)
    products = []
    for i in range(n):
        price = 5000 * (i + 1)
        p = call(base, "POST", f"/v1/businesses/{biz['id']}/products",
                 {"name": name(i), "price": {"amount": price, "currency": "IDR"},
                  "cost": {"amount": price * 7 // 10, "currency": "IDR"},
                  "stock": 1_000_000_000_000, "unit": "pcs"}, token)
        products.append(f"{p['id']}:{price}")
    print(token, biz["id"], ",".join(products))


if __name__ == "__main__":
    main()
