-- wrk script for bench/assistant_turn/run.sh: POST /v1/businesses/{id}/assistant/chat with one
-- owner message per request, each in a new session (no session_id), so every request is a whole
-- turn on its own: parse, catalogue or report read, draft, store the session and the turn.
-- The messages rotate over a sale draft, a purchase draft, an expense draft, a stock question, a
-- price question and three reports. Env: BENCH_TOKEN, BENCH_BUSINESS, BENCH_PRODUCTS
-- ("id:unit_price" pairs; only their count is used: the names are bench/lib/shop.py's).
-- Counts answers other than 200 and prints them at the end.
local token = os.getenv("BENCH_TOKEN")
local business = os.getenv("BENCH_BUSINESS")
local spec = os.getenv("BENCH_PRODUCTS")
assert(token and business and spec, "BENCH_TOKEN, BENCH_BUSINESS and BENCH_PRODUCTS are required")
local n_products = select(2, string.gsub(spec, ":", ""))
assert(n_products >= 1, "BENCH_PRODUCTS names no product")

local path = "/v1/businesses/" .. business .. "/assistant/chat"
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
}
local names = { "kaos", "beras", "gula", "kopi", "teh", "minyak", "sabun", "roti", "susu", "telur" }
local templates = {
  "jual %d %s @%drb",
  "beli %d %s total %drb",
  "bayar listrik %drb",
  "stok %s tinggal berapa?",
  "harga %s berapa?",
  "untung bulan ini berapa?",
  "penjualan minggu ini",
  "barang paling laku bulan ini",
}

dofile(assert(os.getenv("BENCH_LIB"), "BENCH_LIB is required") .. "/wrk_statuses.lua")
count_statuses("turn", 200)

function init(args)
  math.randomseed(20250101 + (id or 0))
  statuses = {}
  turn = 0
end

function request()
  turn = turn + 1
  local t = templates[(turn - 1) % #templates + 1]
  local p = math.random(1, math.min(n_products, #names))
  local message
  if t:find("^jual") then
    message = string.format(t, math.random(1, 5), names[p], 5 * p)
  elseif t:find("^beli") then
    message = string.format(t, math.random(1, 5) * 10, names[p], 35 * p)
  elseif t:find("^bayar") then
    message = string.format(t, math.random(100, 500))
  elseif t:find("%%s") then
    message = string.format(t, names[p])
  else
    message = t
  end
  return wrk.format("POST", path, headers, string.format('{"message":"%s"}', message))
end
