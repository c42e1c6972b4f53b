-- The business service's own tables. Every tenant-owned row carries org_id and every query
-- filters by it (and by business_id). Money columns are integer minor units; the currency is
-- the business's (a business has one currency, so rows do not repeat it except products, whose
-- Money values are returned as stored).

CREATE TABLE businesses (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  address TEXT NOT NULL,
  phone TEXT NOT NULL,
  opening_hours TEXT NOT NULL,
  language TEXT NOT NULL,
  currency TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  allow_negative_stock INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  deleted_at_ms BIGINT
);
-- Deleted businesses keep their slug: a public chat link never starts answering for another.
CREATE UNIQUE INDEX businesses_slug ON businesses (slug);
CREATE INDEX businesses_org ON businesses (org_id, id);

CREATE TABLE products (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  name TEXT NOT NULL,
  -- Lower-case, accents folded, punctuation as spaces: what search matches against.
  name_norm TEXT NOT NULL,
  sku TEXT,
  currency TEXT NOT NULL,
  price BIGINT NOT NULL,
  -- Moving average cost of one unit.
  cost BIGINT NOT NULL,
  stock BIGINT NOT NULL,
  unit TEXT NOT NULL,
  min_stock BIGINT NOT NULL,
  category TEXT NOT NULL,
  description TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  deleted_at_ms BIGINT
);
CREATE INDEX products_business ON products (org_id, business_id, id);
-- NULL skus are distinct on both databases.
CREATE UNIQUE INDEX products_sku ON products (business_id, sku);

-- The stock ledger: the stock of a product is always the sum of its deltas. seq numbers a
-- product's movements 1, 2, 3... (assigned under the product row's lock), the ledger's order.
CREATE TABLE stock_movements (
  id TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  delta BIGINT NOT NULL,
  reason TEXT NOT NULL,
  transaction_id TEXT,
  stock_after BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX stock_movements_product ON stock_movements (product_id, seq);

CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  name TEXT NOT NULL,
  -- Sealed by the security service; phone_index is its blind index (purpose "phone").
  phone_sealed TEXT NOT NULL,
  phone_index TEXT NOT NULL,
  email TEXT NOT NULL,
  note TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX customers_business ON customers (org_id, business_id, id);
CREATE INDEX customers_phone ON customers (org_id, business_id, phone_index);

CREATE TABLE transactions (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  currency TEXT NOT NULL,
  subtotal BIGINT NOT NULL,
  discount BIGINT NOT NULL,
  tax BIGINT NOT NULL,
  total BIGINT NOT NULL,
  cogs BIGINT NOT NULL,
  payment_method TEXT NOT NULL,
  paid INTEGER NOT NULL,
  note TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  occurred_at_ms BIGINT NOT NULL,
  -- Days since 1970-01-01 in the business's time zone: the aggregates' key.
  local_day INTEGER NOT NULL,
  reversal_id TEXT NOT NULL,
  reverses_id TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  voided_at_ms BIGINT NOT NULL
);
CREATE INDEX transactions_business ON transactions (org_id, business_id, id);
CREATE INDEX transactions_occurred ON transactions (org_id, business_id, occurred_at_ms);

CREATE TABLE transaction_items (
  transaction_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  name TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_price BIGINT NOT NULL,
  line_total BIGINT NOT NULL,
  -- Sales: the product's moving average cost when sold; purchases: unit_price.
  unit_cost BIGINT NOT NULL,
  PRIMARY KEY (transaction_id, position)
);

-- Idempotency-Key: the first response is kept so a replay answers it byte for byte.
CREATE TABLE idempotency_keys (
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response_hex TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (business_id, idem_key)
);

-- Aggregates maintained in the same transaction as every posting and void, so reports read a
-- few hundred rows a year whatever the number of transactions.
CREATE TABLE daily_totals (
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  local_day INTEGER NOT NULL,
  revenue BIGINT NOT NULL,
  cogs BIGINT NOT NULL,
  tax BIGINT NOT NULL,
  purchases BIGINT NOT NULL,
  expenses BIGINT NOT NULL,
  sales_count BIGINT NOT NULL,
  PRIMARY KEY (business_id, local_day)
);

CREATE TABLE product_daily (
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  local_day INTEGER NOT NULL,
  quantity BIGINT NOT NULL,
  revenue BIGINT NOT NULL,
  PRIMARY KEY (business_id, product_id, local_day)
);
CREATE INDEX product_daily_day ON product_daily (business_id, local_day);
