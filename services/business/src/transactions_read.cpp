// Reading transactions: one with its items, or a page of a business's.

#include <charconv>
#include <limits>

#include "business_rows.hpp"
#include "business_service_impl.hpp"
#include "validation.hpp"

namespace milkyhoop::business {
namespace {

struct TransactionCursor {
  std::int64_t occurred_at_ms = 0;
  std::string id;  // "" → the first page
};

Result<TransactionCursor> ParseCursor(const std::string& text) {
  TransactionCursor c;
  if (text.empty()) return c;
  const std::size_t sep = text.find('_');
  if (sep != std::string::npos) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + sep, c.occurred_at_ms);
    if (ec == std::errc() && ptr == text.data() + sep && sep + 1 < text.size()) {
      c.id = text.substr(sep + 1);
      return c;
    }
  }
  return InvalidField("cursor", "is not a cursor of this list");
}

}  // namespace

Result<v1::GetTransactionResponse> BusinessServiceImpl::GetTransaction(
    const v1::GetTransactionRequest& request) {
  v1::GetTransactionResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(*out.mutable_transaction(),
                        LoadTransaction(s, request.org_id(), request.transaction_id()));
    return Status::Ok();
  }));
  return out;
}

Result<v1::ListTransactionsResponse> BusinessServiceImpl::ListTransactions(
    const v1::ListTransactionsRequest& request) {
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  const std::string& type = request.type();
  if (!type.empty() && type != "sale" && type != "purchase" && type != "expense" &&
      type != "void") {
    return InvalidField("type", "must be sale, purchase, expense or void");
  }
  if (request.from_ms() != 0 && request.to_ms() != 0 && request.to_ms() < request.from_ms()) {
    return InvalidField("to", "must not be before from");
  }
  MH_ASSIGN_OR_RETURN(const TransactionCursor cursor, ParseCursor(request.cursor()));
  v1::ListTransactionsResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(s, request.org_id(), request.business_id()));
    // Newest first by occurrence (ties by id); the cursor is "<occurred_at_ms>_<id>" of the
    // last transaction of the previous page.
    std::string sql =
        "SELECT id, occurred_at_ms FROM transactions WHERE org_id = $1 AND business_id = $2 AND "
        "($3 = '' OR occurred_at_ms < $8 OR (occurred_at_ms = $8 AND id < $3)) AND "
        "($4 = '' OR type = $4) AND occurred_at_ms >= $5 AND occurred_at_ms < $6 "
        "ORDER BY occurred_at_ms DESC, id DESC LIMIT $7";
    MH_ASSIGN_OR_RETURN(
        sql::Rows ids,
        s.Query(sql,
                {scope.org_id, scope.business_id, cursor.id, type, request.from_ms(),
                 request.to_ms() == 0 ? std::numeric_limits<std::int64_t>::max() : request.to_ms(),
                 std::int64_t{limit + 1}, cursor.occurred_at_ms}));
    for (std::size_t r = 0; r < ids.size() && r < static_cast<std::size_t>(limit); ++r) {
      MH_ASSIGN_OR_RETURN(*out.add_items(), LoadTransaction(s, scope.org_id, ids.Text(r, 0)));
    }
    if (ids.size() > static_cast<std::size_t>(limit)) {
      const v1::Transaction& last = out.items(limit - 1);
      out.set_next_cursor(std::to_string(last.occurred_at_ms()) + "_" + last.id());
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace milkyhoop::business
