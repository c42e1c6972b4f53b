-- wrk script for bench/business/run.sh: POST /v1/businesses/{id}/transactions with one sale per
-- request (1-3 lines over the products in BENCH_PRODUCTS, quantities 1-3, no idempotency key),
-- authorised with BENCH_TOKEN. Env: BENCH_TOKEN, BENCH_BUSINESS, BENCH_PRODUCTS (comma-separated
-- "id:unit_price" pairs). Counts answers other than 201 and prints them at the end.
local token = os.getenv("BENCH_TOKEN")
local business = os.getenv("BENCH_BUSINESS")
local spec = os.getenv("BENCH_PRODUCTS")
assert(token and business and spec, "BENCH_TOKEN, BENCH_BUSINESS and BENCH_PRODUCTS are required")

local products = {}
for id, price in string.gmatch(spec, "([^,:]+):(%d+)") do
  products[#products + 1] = { id = id, price = price }
end
assert(#products >= 3, "BENCH_PRODUCTS needs at least 3 products")

local path = "/v1/businesses/" .. business .. "/transactions"
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
}
local payments = { "cash", "qris" }

dofile(assert(os.getenv("BENCH_LIB"), "BENCH_LIB is required") .. "/wrk_statuses.lua")
count_statuses("sale", 201)

function init(args)
  math.randomseed(20250101 + (id or 0))
  statuses = {}
end

function request()
  local n = math.random(1, 3)
  local first = math.random(1, #products)
  local items = {}
  for i = 0, n - 1 do
    local p = products[(first + i - 1) % #products + 1]
    items[#items + 1] = string.format(
      '{"product_id":"%s","quantity":%d,"unit_price":{"amount":%s,"currency":"IDR"}}',
      p.id, math.random(1, 3), p.price)
  end
  local body = string.format('{"type":"sale","items":[%s],"payment_method":"%s"}',
    table.concat(items, ","), payments[math.random(1, 2)])
  return wrk.format("POST", path, headers, body)
end
