// Customers. The phone number is personal data: it is stored sealed by the security service and
// found through its blind index, never in clear text.

#include "business_rows.hpp"
#include "business_service_impl.hpp"
#include "milkyhoop/core/ids.hpp"
#include "validation.hpp"

namespace milkyhoop::business {
namespace {

// Binds a sealed phone to its row: a value copied into another row does not open there.
std::string PhoneContext(const std::string& business_id, const std::string& customer_id) {
  return "business.customer.phone:" + business_id + ":" + customer_id;
}

Result<std::string> PhoneIndex(security::SecurityService& security, const std::string& phone) {
  security::v1::BlindIndexRequest req;
  req.set_purpose(security::kPurposePhone);
  req.set_value(phone);
  auto index = security.BlindIndex(req);
  if (!index.ok()) {
    if (index.status().code() == StatusCode::kInvalidArgument) {
      return InvalidField("phone", "is not a phone number");
    }
    return std::move(index).TakeStatus();
  }
  return index->index();
}

Status CheckEmail(const std::string& email) {
  const std::size_t at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string::npos || email.find('.', at) == std::string::npos ||
      email.find(' ') != std::string::npos) {
    return InvalidField("email", "is not an email address");
  }
  return Status::Ok();
}

}  // namespace

Result<v1::CreateCustomerResponse> BusinessServiceImpl::CreateCustomer(
    const v1::CreateCustomerRequest& request) {
  MH_TRY(RequireId("actor_id", request.actor_id()));
  MH_ASSIGN_OR_RETURN(const std::string name,
                      ValidateText("name", request.name(), kMaxNameChars, true));
  MH_ASSIGN_OR_RETURN(const std::string phone, ValidateText("phone", request.phone(), 32, false));
  MH_ASSIGN_OR_RETURN(const std::string email, ValidateText("email", request.email(), 254, false));
  if (!email.empty()) MH_TRY(CheckEmail(email));
  MH_ASSIGN_OR_RETURN(const std::string note,
                      ValidateText("note", request.note(), kMaxLongTextChars, false, true));
  // Check the business before spending security-service calls on it.
  MH_TRY(db_.Read([&](sql::Session& s) {
    return LoadScope(s, request.org_id(), request.business_id()).status();
  }));

  v1::CreateCustomerResponse out;
  v1::Customer& c = *out.mutable_customer();
  c.set_id(NewId("cus_"));
  c.set_business_id(request.business_id());
  c.set_name(name);
  c.set_phone(phone);
  c.set_email(email);
  c.set_note(note);
  c.set_created_at_ms(clock_.NowUnixMillis());
  std::string sealed, index;
  if (!phone.empty()) {
    MH_ASSIGN_OR_RETURN(index, PhoneIndex(security_, phone));
    security::v1::EncryptRequest enc;
    enc.set_plaintext(phone);
    enc.set_context(PhoneContext(request.business_id(), c.id()));
    MH_ASSIGN_OR_RETURN(security::v1::EncryptResponse encrypted, security_.Encrypt(enc));
    sealed = encrypted.sealed();
  }
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    // Again inside the transaction: the business may have been deleted meanwhile.
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(tx, request.org_id(), request.business_id()));
    return tx
        .Exec(
            "INSERT INTO customers (id, org_id, business_id, name, phone_sealed, "
            "phone_index, email, note, created_by, created_at_ms) VALUES ($1, $2, $3, $4, "
            "$5, $6, $7, $8, $9, $10)",
            {c.id(), scope.org_id, scope.business_id, c.name(), sealed, index, c.email(), c.note(),
             request.actor_id(), c.created_at_ms()})
        .status();
  }));
  return out;
}

Result<v1::ListCustomersResponse> BusinessServiceImpl::ListCustomers(
    const v1::ListCustomersRequest& request) {
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  std::string index;
  if (!request.phone().empty()) {
    MH_ASSIGN_OR_RETURN(index, PhoneIndex(security_, request.phone()));
  }
  sql::Rows rows;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(s, request.org_id(), request.business_id()));
    std::string sql =
        "SELECT id, business_id, name, phone_sealed, email, note, created_at_ms FROM customers "
        "WHERE org_id = $1 AND business_id = $2 AND id > $3";
    std::vector<sql::Value> params = {scope.org_id, scope.business_id, request.cursor(),
                                      std::int64_t{limit + 1}};
    if (!index.empty()) {
      params.emplace_back(index);
      sql += " AND phone_index = $5";
    }
    sql += " ORDER BY id LIMIT $4";
    MH_ASSIGN_OR_RETURN(rows, s.Query(sql, params));
    return Status::Ok();
  }));
  v1::ListCustomersResponse out;
  for (std::size_t r = 0; r < rows.size() && r < static_cast<std::size_t>(limit); ++r) {
    v1::Customer* c = out.add_items();
    c->set_id(rows.Text(r, 0));
    c->set_business_id(rows.Text(r, 1));
    c->set_name(rows.Text(r, 2));
    const std::string sealed = rows.Text(r, 3);
    if (!sealed.empty()) {
      security::v1::DecryptRequest dec;
      dec.set_sealed(sealed);
      dec.set_context(PhoneContext(c->business_id(), c->id()));
      MH_ASSIGN_OR_RETURN(security::v1::DecryptResponse opened, security_.Decrypt(dec));
      c->set_phone(opened.plaintext());
    }
    c->set_email(rows.Text(r, 4));
    c->set_note(rows.Text(r, 5));
    c->set_created_at_ms(rows.Int(r, 6));
  }
  if (rows.size() > static_cast<std::size_t>(limit)) {
    out.set_next_cursor(out.items(limit - 1).id());
  }
  return out;
}

}  // namespace milkyhoop::business
