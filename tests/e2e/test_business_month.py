"""A shop's month, black-box: products, purchases, sales, expenses, a void and an idempotent
replay through the public API, then every report figure checked to the rupiah against values
worked out by hand below. The business is in Asia/Jakarta (UTC+7); days are cut there."""
import pytest

from api import add_member, create_org, register


def idr(amount):
    return {"amount": amount, "currency": "IDR"}


def at(day, hhmm, month=3):
    """A Jakarta wall-clock time in 2024 as RFC 3339 with its offset."""
    return f"2024-{month:02d}-{day:02d}T{hhmm}:00+07:00"


@pytest.fixture
def shop(server):
    owner = register(server, name="Bu Sari")
    org = create_org(owner, "Usaha Bu Sari")
    r = owner.post(f"/v1/orgs/{org['id']}/businesses",
                   json={"name": "Warung Bu Sari", "description": "Kaos, kopi, topi",
                         "category": "retail", "language": "id", "currency": "IDR"})
    assert r.status_code == 201, r.text
    business = r.json()
    assert business["slug"].startswith("warung-bu-sari")
    assert business["time_zone"] == "Asia/Jakarta"
    return owner, org, business


def test_a_month_of_a_shop(server, shop):
    owner, org, business = shop
    base = f"/v1/businesses/{business['id']}"

    def product(name, price, cost, stock, min_stock):
        r = owner.post(f"{base}/products", json={"name": name, "price": idr(price),
                                                 "cost": idr(cost), "stock": stock, "unit": "pcs",
                                                 "min_stock": min_stock})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    kaos = product("Kaos Polos", 45000, 30000, 20, 5)
    kopi = product("Kopi Gayo", 25000, 10000, 50, 10)
    topi = product("Topi", 35000, 20000, 5, 5)

    def post(type_, items, when, key=None, expect=201, **extra):
        body = {"type": type_, "occurred_at": when,
                "items": [{"product_id": p, "name": n, "quantity": q, "unit_price": idr(u)}
                          for p, n, q, u in items], **extra}
        headers = {"Idempotency-Key": key} if key else {}
        r = owner.post(f"{base}/transactions", json=body, headers=headers)
        assert r.status_code == expect, r.text
        return r

    # Mar 1: 10 kaos bought at 33.000 → average cost (20 x 30.000 + 10 x 33.000) / 30 = 31.000.
    post("purchase", [(kaos, "", 10, 33000)], at(1, "10:00"))
    # Mar 2: 5 kaos at 45.000 with a 5.000 discount: revenue 220.000, COGS 5 x 31.000 = 155.000.
    r = post("sale", [(kaos, "", 5, 45000)], at(2, "09:00"), discount=idr(5000),
             payment_method="cash")
    assert r.json()["subtotal"] == idr(225000)
    assert r.json()["total"] == idr(220000)
    assert r.json()["cost_of_goods_sold"] == idr(155000)
    # Mar 3, 23:30 in Jakarta (16:30 UTC): 10 kopi, revenue 250.000, COGS 100.000, on Mar 3.
    post("sale", [(kopi, "", 10, 25000)], at(3, "23:30"))
    # Mar 5: electricity, an expense of 150.000.
    post("expense", [(None, "Listrik", 1, 150000)], at(5, "08:00"))
    # Mar 10: 2 kaos + 3 kopi, 10% tax: revenue 165.000 (tax is not revenue),
    # COGS 2 x 31.000 + 3 x 10.000 = 92.000. Posted with an Idempotency-Key, then replayed.
    items = [(kaos, "", 2, 45000), (kopi, "", 3, 25000)]
    first = post("sale", items, at(10, "12:00"), key="bon-0310", tax=idr(16500))
    assert first.json()["total"] == idr(181500)
    replay = post("sale", items, at(10, "12:00"), key="bon-0310", tax=idr(16500))
    assert replay.json() == first.json()
    post("sale", items, at(10, "12:00"), key="bon-0310", tax=idr(1), expect=409)
    # Mar 12: 4 topi (140.000), then voided: it must vanish from every report.
    voided = post("sale", [(topi, "", 4, 35000)], at(12, "15:00")).json()
    r = owner.post(f"/v1/transactions/{voided['id']}/void", json={"reason": "batal"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "voided"
    assert owner.post(f"/v1/transactions/{voided['id']}/void", json={}).status_code == 409
    # Mar 20: 20 kopi at 12.000: kopi held 50 - 10 - 3 = 37 at 10.000;
    # average (37 x 10.000 + 20 x 12.000) / 57 = 610.000 / 57 = 10.701,75 → 10.702.
    post("purchase", [(kopi, "", 20, 12000)], at(20, "10:00"))
    # Mar 25: 7 kopi: revenue 175.000, COGS 7 x 10.702 = 74.914.
    r = post("sale", [(kopi, "", 7, 25000)], at(25, "10:00"))
    assert r.json()["cost_of_goods_sold"] == idr(74914)
    # Mar 28: wages, an expense of 500.000.
    post("expense", [(None, "Gaji", 1, 500000)], at(28, "17:00"))
    # Mar 31 23:59 Jakarta: 1 kaos (45.000, COGS 31.000) — still March.
    post("sale", [(kaos, "", 1, 45000)], at(31, "23:59"))
    # Apr 1 00:30 Jakarta (Mar 31 in UTC): 1 kaos — April, not March.
    post("sale", [(kaos, "", 1, 45000)], at(1, "00:30", month=4))
    # Selling 6 topi when 5 are left is refused, and changes nothing.
    post("sale", [(topi, "", 6, 35000)], at(29, "10:00"), expect=409)

    revenue = 220000 + 250000 + 165000 + 175000 + 45000              # 855.000
    cogs = 155000 + 100000 + 92000 + 74914 + 31000                   # 452.914
    expenses = 150000 + 500000                                       # 650.000
    assert (revenue, cogs, expenses) == (855000, 452914, 650000)

    march = "from=2024-03-01&to=2024-03-31"
    r = owner.get(f"{base}/reports/profit-loss?{march}")
    assert r.status_code == 200, r.text
    pl = r.json()
    assert pl["revenue"] == idr(revenue)
    assert pl["cost_of_goods_sold"] == idr(cogs)
    assert pl["gross_profit"] == idr(revenue - cogs)                  # 402.086
    assert pl["expenses"] == idr(expenses)
    assert pl["net_profit"] == idr(revenue - cogs - expenses)        # -247.914

    r = owner.get(f"{base}/reports/sales?{march}&group_by=day")
    assert r.status_code == 200, r.text
    days = {p["period"]: (p["revenue"]["amount"], p["transactions"]) for p in r.json()["series"]}
    assert len(days) == 31
    assert days["2024-03-02"] == (220000, 1)
    assert days["2024-03-03"] == (250000, 1)
    assert days["2024-03-04"] == (0, 0)
    assert days["2024-03-10"] == (165000, 1)
    assert days["2024-03-12"] == (0, 0)                                # voided
    assert days["2024-03-25"] == (175000, 1)
    assert days["2024-03-31"] == (45000, 1)
    assert sum(v for v, _ in days.values()) == revenue

    r = owner.get(f"{base}/reports/sales?{march}&group_by=week")
    weeks = [(p["period"], p["revenue"]["amount"], p["transactions"]) for p in r.json()["series"]]
    assert weeks == [("2024-02-26", 470000, 2), ("2024-03-04", 165000, 1),
                     ("2024-03-11", 0, 0), ("2024-03-18", 0, 0), ("2024-03-25", 220000, 2)]

    r = owner.get(f"{base}/reports/sales?from=2024-03-01&to=2024-04-30&group_by=month")
    months = [(p["period"], p["revenue"]["amount"], p["transactions"]) for p in r.json()["series"]]
    assert months == [("2024-03", revenue, 5), ("2024-04", 45000, 1)]

    r = owner.get(f"{base}/reports/top-products?{march}")
    top = [(i["name"], i["quantity"], i["revenue"]["amount"]) for i in r.json()["items"]]
    # Per-product revenue is the lines' value before the transaction's discount.
    assert top == [("Kopi Gayo", 10 + 3 + 7, 250000 + 75000 + 175000),
                   ("Kaos Polos", 5 + 2 + 1, 225000 + 90000 + 45000)]
    r = owner.get(f"{base}/reports/top-products?{march}&order=asc&limit=1")
    assert [(i["name"], i["quantity"]) for i in r.json()["items"]] == [("Topi", 0)]

    # Stock: kaos 20 + 10 - 5 - 2 - 1 - 1 = 21; kopi 50 - 10 - 3 + 20 - 7 = 50; topi 5 (void).
    for pid, stock in ((kaos, 21), (kopi, 50), (topi, 5)):
        r = owner.get(f"{base}/products/{pid}")
        assert r.json()["stock"] == stock, r.text
        ledger = owner.get(f"{base}/products/{pid}/stock-adjustments?limit=200").json()["items"]
        assert sum(m["delta"] for m in ledger) == stock
    r = owner.get(f"{base}/reports/low-stock")
    assert [(i["name"], i["stock"]) for i in r.json()["items"]] == [("Topi", 5)]

    r = owner.get(f"{base}/transactions?type=sale&from=2024-03-01T00:00:00%2B07:00"
                  f"&to=2024-04-01T00:00:00%2B07:00")
    assert r.status_code == 200, r.text
    statuses = sorted(t["status"] for t in r.json()["items"])
    assert statuses == ["posted"] * 5 + ["voided"]


def test_bad_input_names_the_field_and_writes_nothing(server, shop):
    owner, org, business = shop
    base = f"/v1/businesses/{business['id']}"
    r = owner.post(f"{base}/products", json={"name": "Kaos", "price": idr(45000), "stock": 3,
                                             "unit": "pcs"})
    kaos = r.json()["id"]

    def sale(item, **extra):
        return owner.post(f"{base}/transactions",
                          json={"type": "sale", "items": [item], **extra})

    cases = [
        ({"product_id": kaos, "quantity": -1, "unit_price": idr(45000)}, {}, "items[0].quantity"),
        ({"product_id": kaos, "quantity": 1, "unit_price": idr(0)}, {},
         "items[0].unit_price.amount"),
        ({"product_id": "prd_unknown", "quantity": 1, "unit_price": idr(1)}, {},
         "items[0].product_id"),
        ({"product_id": kaos, "quantity": 1,
          "unit_price": {"amount": 45000, "currency": "USD"}}, {},
         "items[0].unit_price.currency"),
        ({"name": "x", "quantity": 1,
          "unit_price": {"amount": 10 ** 20, "currency": "IDR"}}, {},
         "items[0].unit_price.amount"),
        ({"name": "x", "quantity": 1, "unit_price": idr(2 ** 62)},
         {"tax": idr(2 ** 62)}, "tax"),
        ({"name": "x", "quantity": 1, "unit_price": idr(1)},
         {"occurred_at": "1999-12-31T00:00:00Z"}, "occurred_at"),
    ]
    for item, extra, field in cases:
        r = sale(item, **extra)
        assert r.status_code == 400, (field, r.text)
        assert r.headers["Content-Type"].startswith("application/problem+json")
        assert field in [e["field"] for e in r.json()["errors"]], r.text
    assert owner.get(f"{base}/transactions").json()["items"] == []
    assert owner.get(f"{base}/products/{kaos}").json()["stock"] == 3


def test_roles_and_tenancy(server, shop):
    owner, org, business = shop
    base = f"/v1/businesses/{business['id']}"
    viewer = register(server, name="Viewer")
    add_member(owner, org["id"], viewer, "viewer")
    assert viewer.get(base).status_code == 200
    assert viewer.get(f"{base}/reports/profit-loss").status_code == 200
    assert viewer.post(f"{base}/products", json={}).status_code == 403
    assert viewer.post(f"{base}/transactions", json={}).status_code == 403

    stranger = register(server, name="Stranger")
    create_org(stranger, "Lain")
    for method, path in [("GET", base), ("PATCH", base), ("DELETE", base),
                         ("GET", f"{base}/products"), ("POST", f"{base}/products"),
                         ("POST", f"{base}/transactions"), ("GET", f"{base}/transactions"),
                         ("GET", f"{base}/reports/profit-loss"),
                         ("GET", f"/v1/orgs/{org['id']}/businesses")]:
        r = stranger.request(method, path, json={"name": "x"})
        assert r.status_code == 404, (method, path, r.text)
