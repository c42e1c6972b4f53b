// Businesses: create (with a unique slug), list, get, update, soft delete.

#include <charconv>

#include "business_rows.hpp"
#include "business_service_impl.hpp"
#include "local_time.hpp"
#include "milkyhoop/core/ids.hpp"
#include "outbox_events.hpp"
#include "text_fold.hpp"
#include "validation.hpp"

namespace milkyhoop::business {
namespace {

constexpr int kSlugAttempts = 5;

// The first free slug of `base`, base-2, base-3, ... among every business ever created (deleted
// ones keep theirs). Racing creators may pick the same one; the unique index refuses the loser,
// which retries.
Result<std::string> FreeSlug(sql::Session& s, const std::string& base) {
  // base holds only [a-z0-9-], so it has no LIKE wildcards.
  MH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      s.Query("SELECT slug FROM businesses WHERE slug = $1 OR slug LIKE $2", {base, base + "-%"}));
  bool base_taken = false;
  std::int64_t max_suffix = 1;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::string slug = rows.Text(r, 0);
    if (slug == base) {
      base_taken = true;
      continue;
    }
    const std::string_view tail = std::string_view(slug).substr(base.size() + 1);
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), n);
    if (ec == std::errc() && ptr == tail.data() + tail.size() && n > max_suffix) max_suffix = n;
  }
  if (!base_taken) return base;
  return base + "-" + std::to_string(max_suffix + 1);
}

struct BusinessFields {
  std::string name, description, category, address, phone, language;
};

// Checks the text fields shared by create and update; returns the trimmed values.
Status CheckText(const std::string& name, const std::string& description,
                 const std::string& category, const std::string& address, const std::string& phone,
                 BusinessFields* out) {
  MH_ASSIGN_OR_RETURN(out->name, ValidateText("name", name, kMaxNameChars, true));
  MH_ASSIGN_OR_RETURN(out->description,
                      ValidateText("description", description, kMaxLongTextChars, false, true));
  MH_ASSIGN_OR_RETURN(out->category, ValidateText("category", category, kMaxShortTextChars, false));
  MH_ASSIGN_OR_RETURN(out->address,
                      ValidateText("address", address, kMaxLongTextChars, false, true));
  MH_ASSIGN_OR_RETURN(out->phone, ValidateText("phone", phone, 32, false));
  return Status::Ok();
}

Result<v1::Business> SelectBusiness(sql::Session& s, const std::string& org_id,
                                    const std::string& business_id) {
  MH_ASSIGN_OR_RETURN(sql::Rows rows, s.Query(std::string("SELECT ") + kBusinessColumns +
                                                  " FROM businesses WHERE id = $1 AND org_id = $2 "
                                                  "AND deleted_at_ms IS NULL",
                                              {business_id, org_id}));
  if (rows.empty()) return NotFound("business not found");
  return BusinessFromRow(rows, 0);
}

}  // namespace

Result<v1::CreateBusinessResponse> BusinessServiceImpl::CreateBusiness(
    const v1::CreateBusinessRequest& request) {
  MH_TRY(RequireId("org_id", request.org_id()));
  MH_TRY(RequireId("actor_id", request.actor_id()));
  BusinessFields f;
  MH_TRY(CheckText(request.name(), request.description(), request.category(), request.address(),
                   request.phone(), &f));
  const std::string language = request.language().empty() ? "id" : request.language();
  MH_TRY(ValidateLanguage("language", language));
  const std::string currency = request.currency().empty() ? "IDR" : request.currency();
  MH_TRY(ValidateCurrency("currency", currency));
  const std::string zone = request.time_zone().empty() ? kDefaultTimeZone : request.time_zone();
  if (!UtcOffsetMinutes(zone)) {
    return InvalidField(
        "time_zone", "must be Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura or UTC");
  }
  MH_TRY(ValidateOpeningHours("opening_hours", request.opening_hours()));
  if (!request.slug().empty() && !IsValidSlug(request.slug())) {
    return InvalidField("slug",
                        "must be 3-63 characters of lower-case letters, digits and single hyphens");
  }

  v1::Business b;
  b.set_id(NewId("biz_"));
  b.set_org_id(request.org_id());
  b.set_name(f.name);
  b.set_description(f.description);
  b.set_category(f.category);
  b.set_address(f.address);
  b.set_phone(f.phone);
  *b.mutable_opening_hours() = request.opening_hours();
  b.set_language(language);
  b.set_currency(currency);
  b.set_time_zone(zone);
  b.set_allow_negative_stock(request.allow_negative_stock());
  b.set_created_by(request.actor_id());
  b.set_created_at_ms(clock_.NowUnixMillis());
  b.set_updated_at_ms(b.created_at_ms());

  const std::string base = request.slug().empty() ? SlugFromName(f.name) : request.slug();
  const Status st = RetryOnConflict(kSlugAttempts, [&]() -> Status {
    return db_.Transaction([&](sql::Session& tx) -> Status {
      if (request.slug().empty()) {
        MH_ASSIGN_OR_RETURN(std::string slug, FreeSlug(tx, base));
        b.set_slug(slug);
      } else {
        b.set_slug(base);
      }
      MH_TRY(tx.Exec("INSERT INTO businesses (id, org_id, name, slug, description, category, "
                     "address, phone, opening_hours, language, currency, time_zone, "
                     "allow_negative_stock, created_by, created_at_ms, updated_at_ms) VALUES "
                     "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                     {b.id(), b.org_id(), b.name(), b.slug(), b.description(), b.category(),
                      b.address(), b.phone(), EncodeOpeningHours(b.opening_hours()), b.language(),
                      b.currency(), b.time_zone(), std::int64_t{b.allow_negative_stock() ? 1 : 0},
                      b.created_by(), b.created_at_ms(), b.updated_at_ms()})
                 .status());
      return AppendBusinessChanged(tx, b, false, b.created_at_ms());
    });
  });
  if (st.code() == StatusCode::kAlreadyExists) {
    Status taken(StatusCode::kAlreadyExists, "slug: is already taken");
    taken.WithField("slug", "is already taken");
    return taken;
  }
  MH_TRY(st);
  v1::CreateBusinessResponse out;
  *out.mutable_business() = std::move(b);
  return out;
}

Result<v1::ListBusinessesResponse> BusinessServiceImpl::ListBusinesses(
    const v1::ListBusinessesRequest& request) {
  MH_TRY(RequireId("org_id", request.org_id()));
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  v1::ListBusinessesResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(sql::Rows rows,
                        s.Query(std::string("SELECT ") + kBusinessColumns +
                                    " FROM businesses WHERE org_id = $1 AND deleted_at_ms IS NULL "
                                    "AND id > $2 ORDER BY id LIMIT $3",
                                {request.org_id(), request.cursor(), std::int64_t{limit + 1}}));
    for (std::size_t r = 0; r < rows.size() && r < static_cast<std::size_t>(limit); ++r) {
      *out.add_items() = BusinessFromRow(rows, r);
    }
    if (rows.size() > static_cast<std::size_t>(limit)) {
      out.set_next_cursor(out.items(limit - 1).id());
    }
    return Status::Ok();
  }));
  return out;
}

Result<v1::GetBusinessResponse> BusinessServiceImpl::GetBusiness(
    const v1::GetBusinessRequest& request) {
  MH_TRY(RequireId("org_id", request.org_id()));
  MH_TRY(RequireId("business_id", request.business_id()));
  v1::GetBusinessResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(*out.mutable_business(),
                        SelectBusiness(s, request.org_id(), request.business_id()));
    return Status::Ok();
  }));
  return out;
}

Result<v1::UpdateBusinessResponse> BusinessServiceImpl::UpdateBusiness(
    const v1::UpdateBusinessRequest& request) {
  MH_TRY(RequireId("org_id", request.org_id()));
  MH_TRY(RequireId("business_id", request.business_id()));
  if (request.replace_opening_hours()) {
    MH_TRY(ValidateOpeningHours("opening_hours", request.opening_hours()));
  }
  if (request.has_language()) MH_TRY(ValidateLanguage("language", request.language()));
  v1::UpdateBusinessResponse out;
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(v1::Business b,
                        SelectBusiness(tx, request.org_id(), request.business_id()));
    BusinessFields f;
    MH_TRY(CheckText(request.has_name() ? request.name() : b.name(),
                     request.has_description() ? request.description() : b.description(),
                     request.has_category() ? request.category() : b.category(),
                     request.has_address() ? request.address() : b.address(),
                     request.has_phone() ? request.phone() : b.phone(), &f));
    b.set_name(f.name);
    b.set_description(f.description);
    b.set_category(f.category);
    b.set_address(f.address);
    b.set_phone(f.phone);
    if (request.replace_opening_hours()) *b.mutable_opening_hours() = request.opening_hours();
    if (request.has_language()) b.set_language(request.language());
    if (request.has_allow_negative_stock()) {
      b.set_allow_negative_stock(request.allow_negative_stock());
    }
    b.set_updated_at_ms(clock_.NowUnixMillis());
    MH_TRY(tx.Exec("UPDATE businesses SET name = $1, description = $2, category = $3, "
                   "address = $4, phone = $5, opening_hours = $6, language = $7, "
                   "allow_negative_stock = $8, updated_at_ms = $9 WHERE id = $10 AND org_id = $11",
                   {b.name(), b.description(), b.category(), b.address(), b.phone(),
                    EncodeOpeningHours(b.opening_hours()), b.language(),
                    std::int64_t{b.allow_negative_stock() ? 1 : 0}, b.updated_at_ms(), b.id(),
                    b.org_id()})
               .status());
    MH_TRY(AppendBusinessChanged(tx, b, false, b.updated_at_ms()));
    *out.mutable_business() = std::move(b);
    return Status::Ok();
  }));
  return out;
}

Result<v1::DeleteBusinessResponse> BusinessServiceImpl::DeleteBusiness(
    const v1::DeleteBusinessRequest& request) {
  MH_TRY(RequireId("org_id", request.org_id()));
  MH_TRY(RequireId("business_id", request.business_id()));
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    const std::int64_t now = clock_.NowUnixMillis();
    MH_ASSIGN_OR_RETURN(const std::int64_t changed,
                        tx.Exec("UPDATE businesses SET deleted_at_ms = $1 WHERE id = $2 AND "
                                "org_id = $3 AND deleted_at_ms IS NULL",
                                {now, request.business_id(), request.org_id()}));
    if (changed == 0) return NotFound("business not found");
    v1::Business gone;
    gone.set_id(request.business_id());
    gone.set_org_id(request.org_id());
    return AppendBusinessChanged(tx, gone, true, now);
  }));
  return v1::DeleteBusinessResponse();
}

}  // namespace milkyhoop::business
