// PostTransaction: totals, stock, COGS, aggregates, the outbox event and the idempotency record,
// all in one database transaction.

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <openssl/evp.h>

#include <algorithm>
#include <numeric>

#include "aggregates.hpp"
#include "business_rows.hpp"
#include "business_service_impl.hpp"
#include "local_time.hpp"
#include "milkyhoop/business/business_events.hpp"
#include "milkyhoop/business/v1/events.pb.h"
#include "milkyhoop/core/ids.hpp"
#include "money.hpp"
#include "outbox_events.hpp"
#include "transaction_math.hpp"
#include "validation.hpp"

namespace milkyhoop::business {
namespace {

constexpr std::size_t kMaxIdempotencyKeyBytes = 200;

// SHA-256 (hex) of the request as the service sees it, without the key itself: equal for the
// same request whatever JSON spelling carried it.
std::string RequestHash(const v1::PostTransactionRequest& request) {
  v1::PostTransactionRequest copy = request;
  copy.clear_idempotency_key();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy.SerializeToCodedStream(&coded);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

Status KeyReused() {
  return FailedPrecondition("Idempotency-Key was already used with a different request");
}

}  // namespace

// Shared with transactions_void.cpp.
Status InsertTransaction(sql::Session& tx, const BusinessScope& scope, const v1::Transaction& t,
                         const std::vector<std::int64_t>& unit_costs);
Status AppendTransactionEvent(sql::Session& tx, const BusinessScope& scope,
                              const v1::Transaction& t, std::int64_t now_ms);
Status AppendVoidedEvent(sql::Session& tx, const BusinessScope& scope, const v1::Transaction& t,
                         std::int64_t now_ms);

Status InsertTransaction(sql::Session& tx, const BusinessScope& scope, const v1::Transaction& t,
                         const std::vector<std::int64_t>& unit_costs) {
  MH_TRY(tx.Exec("INSERT INTO transactions (id, org_id, business_id, type, status, currency, "
                 "subtotal, discount, tax, total, cogs, payment_method, paid, note, customer_id, "
                 "occurred_at_ms, local_day, reversal_id, reverses_id, created_by, "
                 "created_at_ms, voided_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                 "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 0)",
                 {t.id(),
                  scope.org_id,
                  scope.business_id,
                  t.type(),
                  t.status(),
                  scope.currency,
                  t.subtotal().amount(),
                  t.discount().amount(),
                  t.tax().amount(),
                  t.total().amount(),
                  t.cost_of_goods_sold().amount(),
                  t.payment_method(),
                  std::int64_t{t.paid() ? 1 : 0},
                  t.note(),
                  t.customer_id(),
                  t.occurred_at_ms(),
                  LocalDay(t.occurred_at_ms(), scope.utc_offset_minutes),
                  t.reversal_id(),
                  t.reverses_id(),
                  t.created_by(),
                  t.created_at_ms()})
             .status());
  for (int i = 0; i < t.items_size(); ++i) {
    const v1::TransactionItem& item = t.items(i);
    MH_TRY(tx.Exec("INSERT INTO transaction_items (transaction_id, position, org_id, "
                   "business_id, product_id, name, quantity, unit_price, line_total, unit_cost) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                   {t.id(), std::int64_t{i}, scope.org_id, scope.business_id, item.product_id(),
                    item.name(), item.quantity(), item.unit_price().amount(),
                    item.line_total().amount(), unit_costs[static_cast<std::size_t>(i)]})
               .status());
  }
  return Status::Ok();
}

Status AppendTransactionEvent(sql::Session& tx, const BusinessScope& scope,
                              const v1::Transaction& t, std::int64_t now_ms) {
  v1::TransactionPosted posted;
  posted.set_org_id(scope.org_id);
  posted.set_business_id(scope.business_id);
  *posted.mutable_transaction() = t;
  return AppendEvent(tx, kTransactionPostedEvent, scope.org_id, posted, now_ms);
}

Status AppendVoidedEvent(sql::Session& tx, const BusinessScope& scope, const v1::Transaction& t,
                         std::int64_t now_ms) {
  v1::TransactionVoided voided;
  voided.set_org_id(scope.org_id);
  voided.set_business_id(scope.business_id);
  voided.set_transaction_id(t.id());
  voided.set_reversal_id(t.reversal_id());
  voided.set_voided_at_ms(t.voided_at_ms());
  return AppendEvent(tx, kTransactionVoidedEvent, scope.org_id, voided, now_ms);
}

Result<v1::PostTransactionResponse> BusinessServiceImpl::PostTransaction(
    const v1::PostTransactionRequest& request) {
  MH_TRY(RequireId("actor_id", request.actor_id()));
  if (request.idempotency_key().size() > kMaxIdempotencyKeyBytes) {
    return InvalidField("idempotency_key", "must be at most 200 bytes");
  }
  const std::string hash = request.idempotency_key().empty() ? "" : RequestHash(request);
  v1::PostTransactionResponse out;
  // A concurrent request with the same key may commit first (PostgreSQL): ours then fails on the
  // key's primary key and, retried, finds the stored response.
  MH_TRY(RetryOnConflict(2, [&]() -> Status {
    out.Clear();
    return db_.Transaction(
        [&](sql::Session& tx) { return PostInTransaction(tx, request, hash, &out); });
  }));
  return out;
}

Status BusinessServiceImpl::PostInTransaction(sql::Session& tx,
                                              const v1::PostTransactionRequest& request,
                                              const std::string& request_hash,
                                              v1::PostTransactionResponse* out) {
  MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                      LoadScope(tx, request.org_id(), request.business_id()));
  if (!request.idempotency_key().empty()) {
    MH_ASSIGN_OR_RETURN(sql::Rows seen,
                        tx.Query("SELECT request_hash, response_hex FROM idempotency_keys "
                                 "WHERE business_id = $1 AND idem_key = $2 AND org_id = $3",
                                 {scope.business_id, request.idempotency_key(), scope.org_id}));
    if (!seen.empty()) {
      if (seen.Text(0, 0) != request_hash) return KeyReused();
      const auto bytes = HexDecode(seen.Text(0, 1));
      if (!bytes || !out->ParseFromString(*bytes)) return Internal("stored response unreadable");
      out->set_replayed(true);
      return Status::Ok();
    }
  }
  MH_ASSIGN_OR_RETURN(const Totals totals, ComputeTotals(request, scope.currency));
  const std::int64_t now = clock_.NowUnixMillis();
  const std::int64_t occurred = request.occurred_at_ms() == 0 ? now : request.occurred_at_ms();
  if (occurred < kEarliestOccurredAtMs || occurred > now + kMaxFutureMs) {
    return InvalidField("occurred_at", "must be between 2000-01-01 and one day from now");
  }
  MH_ASSIGN_OR_RETURN(
      const std::string payment_method,
      ValidateText("payment_method", request.payment_method(), kMaxShortTextChars, false));
  MH_ASSIGN_OR_RETURN(const std::string note,
                      ValidateText("note", request.note(), kMaxLongTextChars, false, true));
  if (!request.customer_id().empty()) {
    MH_ASSIGN_OR_RETURN(sql::Rows c,
                        tx.Query("SELECT id FROM customers WHERE id = $1 AND "
                                 "org_id = $2 AND business_id = $3",
                                 {request.customer_id(), scope.org_id, scope.business_id}));
    if (c.empty()) return InvalidField("customer_id", "no such customer of this business");
  }

  v1::Transaction& t = *out->mutable_transaction();
  t.set_id(NewId("txn_"));
  t.set_business_id(scope.business_id);
  t.set_type(request.type());
  t.set_status("posted");
  t.set_payment_method(payment_method);
  t.set_paid(request.has_paid() ? request.paid() : true);
  t.set_note(note);
  t.set_customer_id(request.customer_id());
  t.set_occurred_at_ms(occurred);
  t.set_created_by(request.actor_id());
  t.set_created_at_ms(now);
  *t.mutable_subtotal() = MakeMoney(totals.subtotal, scope.currency);
  *t.mutable_discount() = MakeMoney(totals.discount, scope.currency);
  *t.mutable_tax() = MakeMoney(totals.tax, scope.currency);
  *t.mutable_total() = MakeMoney(totals.total, scope.currency);

  std::vector<std::int64_t> unit_costs(static_cast<std::size_t>(request.items_size()), 0);
  for (int i = 0; i < request.items_size(); ++i) {
    const v1::TransactionItem& in = request.items(i);
    v1::TransactionItem* item = t.add_items();
    item->set_product_id(in.product_id());
    item->set_quantity(in.quantity());
    *item->mutable_unit_price() = in.unit_price();
    *item->mutable_line_total() =
        MakeMoney(totals.line_totals[static_cast<std::size_t>(i)], scope.currency);
    std::string name = in.name();
    if (!in.product_id().empty()) {
      auto product = LoadProduct(tx, scope, in.product_id());
      if (product.status().code() == StatusCode::kNotFound) {
        return InvalidField("items[" + std::to_string(i) + "].product_id",
                            "no such product of this business");
      }
      MH_TRY(product.status());
      if (name.empty()) name = product->name();
    }
    MH_ASSIGN_OR_RETURN(
        const std::string checked,
        ValidateText("items[" + std::to_string(i) + "].name", name, kMaxNameChars, true));
    item->set_name(checked);
    if (request.type() == "purchase")
      unit_costs[static_cast<std::size_t>(i)] = in.unit_price().amount();
  }

  // Stock moves in product-id order: concurrent multi-product sales lock rows in one order and
  // cannot deadlock on PostgreSQL.
  std::vector<int> order(static_cast<std::size_t>(t.items_size()));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return t.items(a).product_id() < t.items(b).product_id(); });
  std::int64_t cogs = 0;
  for (const int i : order) {
    const v1::TransactionItem& item = t.items(i);
    if (item.product_id().empty()) continue;
    const std::string at = "items[" + std::to_string(i) + "]";
    const std::int64_t q = item.quantity();
    if (request.type() == "sale") {
      // The conditional UPDATE is the stock check: the database re-evaluates it under the row
      // lock, so racing sales can never take stock below zero, on SQLite or PostgreSQL.
      std::string sql =
          "UPDATE products SET stock = stock - $1, updated_at_ms = $2 WHERE id = $3 AND "
          "org_id = $4 AND business_id = $5 AND deleted_at_ms IS NULL";
      if (!scope.allow_negative_stock) sql += " AND stock >= $1";
      MH_ASSIGN_OR_RETURN(
          const std::int64_t changed,
          tx.Exec(sql, {q, now, item.product_id(), scope.org_id, scope.business_id}));
      if (changed == 0) {
        Status short_stock(StatusCode::kFailedPrecondition,
                           "not enough stock of " + item.name() + " to sell " + std::to_string(q));
        short_stock.WithField(at + ".quantity", "exceeds the stock");
        return short_stock;
      }
    } else {
      MH_ASSIGN_OR_RETURN(sql::Rows before,
                          tx.Query("SELECT stock FROM products WHERE id = $1 AND org_id = $2",
                                   {item.product_id(), scope.org_id}));
      if (before.empty() || !CheckedAdd(before.Int(0, 0), q) ||
          before.Int(0, 0) + q > 1'000'000'000'000) {
        return InvalidField(at + ".quantity", "the stock would exceed 1000000000000");
      }
      MH_TRY(tx.Exec("UPDATE products SET stock = stock + $1, updated_at_ms = $2 WHERE id = $3 "
                     "AND org_id = $4",
                     {q, now, item.product_id(), scope.org_id})
                 .status());
    }
    // Under the row lock taken by the UPDATE: no one moves this product until we commit.
    MH_ASSIGN_OR_RETURN(sql::Rows after,
                        tx.Query("SELECT stock, cost FROM products WHERE id = $1 AND org_id = $2",
                                 {item.product_id(), scope.org_id}));
    const std::int64_t stock_after = after.Int(0, 0);
    const std::int64_t avg = after.Int(0, 1);
    if (request.type() == "sale") {
      unit_costs[static_cast<std::size_t>(i)] = avg;
      const auto line_cogs = CheckedMul(q, avg);
      const auto sum = line_cogs ? CheckedAdd(cogs, *line_cogs) : std::nullopt;
      if (!sum) return InvalidField(at + ".quantity", "the cost of goods sold exceeds 64 bits");
      cogs = *sum;
    } else {
      const std::int64_t new_avg =
          MovingAverageCost(stock_after - q, avg, q, item.unit_price().amount());
      MH_TRY(tx.Exec("UPDATE products SET cost = $1 WHERE id = $2 AND org_id = $3",
                     {new_avg, item.product_id(), scope.org_id})
                 .status());
    }
    MH_TRY(AppendStockMovement(tx, scope, item.product_id(), request.type() == "sale" ? -q : q,
                               request.type(), t.id(), stock_after, request.actor_id(), now));
  }
  *t.mutable_cost_of_goods_sold() = MakeMoney(cogs, scope.currency);

  MH_TRY(InsertTransaction(tx, scope, t, unit_costs));
  const std::int64_t day = LocalDay(occurred, scope.utc_offset_minutes);
  MH_TRY(ApplyDayDelta(tx, scope, day, DeltaOf(t)));
  if (request.type() == "sale") {
    for (const v1::TransactionItem& item : t.items()) {
      if (item.product_id().empty()) continue;
      MH_TRY(ApplyProductDelta(tx, scope, item.product_id(), day, item.quantity(),
                               item.line_total().amount()));
    }
  }
  MH_TRY(AppendTransactionEvent(tx, scope, t, now));
  if (!request.idempotency_key().empty()) {
    std::string bytes;
    if (!out->SerializeToString(&bytes)) return Internal("cannot serialise the response");
    MH_TRY(tx.Exec("INSERT INTO idempotency_keys (org_id, business_id, idem_key, request_hash, "
                   "response_hex, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                   {scope.org_id, scope.business_id, request.idempotency_key(), request_hash,
                    HexEncode(bytes), now})
               .status());
  }
  return Status::Ok();
}

}  // namespace milkyhoop::business
