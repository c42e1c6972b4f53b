// The business's products and profile as searchable sources, kept current from the business
// service's events ("business.product.changed", "business.business.changed"). Each event
// replaces the source's one passage (or removes it) in the same transaction that records the
// event as processed, so a redelivered event changes nothing.
#include <array>
#include <string>

#include "embedding_codec.hpp"
#include "milkyhoop/business/business_events.hpp"
#include "milkyhoop/business/v1/events.pb.h"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/sql/outbox.hpp"
#include "passage_rows.hpp"
#include "rag_service_impl.hpp"

namespace milkyhoop::rag {
namespace {

constexpr char kConsumer[] = "rag";

// "Rp 15.000" for IDR (no minor unit in use); "USD 12.50" for currencies with cents.
std::string FormatMoney(std::int64_t amount, const std::string& currency) {
  const bool negative = amount < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(amount) : static_cast<std::uint64_t>(amount);
  const bool whole = currency == "IDR" || currency == "JPY" || currency == "VND";
  const std::uint64_t units = whole ? magnitude : magnitude / 100;
  std::string digits = std::to_string(units);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += whole ? '.' : ',';
    grouped += digits[i];
  }
  if (!whole) {
    const std::uint64_t cents = magnitude % 100;
    grouped += (cents < 10 ? ".0" : ".") + std::to_string(cents);
  }
  std::string prefix = currency == "IDR" ? "Rp " : currency + " ";
  return (negative ? "-" : "") + prefix + grouped;
}

std::string WeekdayName(int weekday, bool english) {
  static constexpr std::array<const char*, 7> kId = {"Senin", "Selasa", "Rabu",  "Kamis",
                                                     "Jumat", "Sabtu",  "Minggu"};
  static constexpr std::array<const char*, 7> kEn = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                     "Friday", "Saturday", "Sunday"};
  if (weekday < 1 || weekday > 7) return "?";
  return english ? kEn[weekday - 1] : kId[weekday - 1];
}

Passage ProductPassage(const business::v1::Product& p) {
  Passage out;
  out.entry_id = "chunk:src_" + p.id();
  out.source_type = "product";
  out.source_id = p.id();
  out.title = p.name();
  out.text = p.name() + ": " + FormatMoney(p.price().amount(), p.price().currency()) + " per " +
             (p.unit().empty() ? "pcs" : p.unit()) + ".";
  if (!p.category().empty()) out.text += " Kategori: " + p.category() + ".";
  if (!p.description().empty()) out.text += " " + p.description();
  out.boost = kCatalogueBoost;
  return out;
}

Passage ProfilePassage(const business::v1::Business& b) {
  const bool en = b.language() == "en";
  Passage out;
  out.entry_id = "chunk:src_" + b.id();
  out.source_type = "profile";
  out.source_id = b.id();
  out.title = b.name();
  std::string text = b.name();
  if (!b.category().empty()) text += " (" + b.category() + ")";
  text += ".";
  if (!b.description().empty()) text += " " + b.description();
  if (!b.address().empty()) text += (en ? " Address: " : " Alamat: ") + b.address() + ".";
  if (!b.phone().empty()) text += (en ? " Phone: " : " Telepon/WhatsApp: ") + b.phone() + ".";
  if (b.opening_hours_size() > 0) {
    text += en ? " Opening hours: " : " Jam buka: ";
    for (int i = 0; i < b.opening_hours_size(); ++i) {
      const auto& h = b.opening_hours(i);
      if (i > 0) text += ", ";
      text += WeekdayName(h.weekday(), en) + " " + h.open() + "–" + h.close();
    }
    text += ".";
  }
  out.text = std::move(text);
  out.boost = kCatalogueBoost;
  return out;
}

}  // namespace

Status RagServiceImpl::SubscribeToBusinessEvents(events::EventBus& bus) {
  MH_TRY(bus.Subscribe(kConsumer, {business::kProductChangedEvent}, [this](const events::Event& e) {
    return OnProductChanged(e.id, e.payload);
  }));
  return bus.Subscribe(
      kConsumer, {business::kBusinessChangedEvent},
      [this](const events::Event& e) { return OnBusinessChanged(e.id, e.payload); });
}

Status RagServiceImpl::OnProductChanged(const std::string& event_id, const std::string& payload) {
  business::v1::ProductChanged changed;
  if (!changed.ParseFromString(payload) || changed.org_id().empty() ||
      changed.business_id().empty() || changed.product().id().empty()) {
    // Retrying cannot make it parse: record and move on rather than block the stream.
    MH_LOG_WARN("malformed business.product.changed ignored", {"event_id", event_id});
    return Status::Ok();
  }
  const business::v1::Product& p = changed.product();
  std::optional<Passage> passage;
  if (!changed.deleted() && p.active()) passage = ProductPassage(p);
  return ReplaceSource(event_id, changed.org_id(), changed.business_id(), "product", p.id(),
                       std::move(passage));
}

Status RagServiceImpl::OnBusinessChanged(const std::string& event_id, const std::string& payload) {
  business::v1::BusinessChanged changed;
  if (!changed.ParseFromString(payload) || changed.org_id().empty() ||
      changed.business().id().empty()) {
    MH_LOG_WARN("malformed business.business.changed ignored", {"event_id", event_id});
    return Status::Ok();
  }
  const business::v1::Business& b = changed.business();
  std::optional<Passage> passage;
  if (!changed.deleted()) passage = ProfilePassage(b);
  MH_TRY(ReplaceSource(event_id, changed.org_id(), b.id(), "profile", b.id(), std::move(passage)));
  // A deleted business is never searched again (the gateway no longer finds it): free its index.
  if (changed.deleted()) indexes_.Forget(changed.org_id(), b.id());
  return Status::Ok();
}

Status RagServiceImpl::ReplaceSource(const std::string& event_id, const std::string& org_id,
                                     const std::string& business_id, const std::string& source_type,
                                     const std::string& source_id, std::optional<Passage> passage) {
  std::vector<float> embedding;
  if (passage)
    embedding = std::move(EmbedOrEmpty({EmbeddingInput(passage->title, passage->text)})[0]);
  bool applied = false;
  const std::int64_t now = clock_.NowUnixMillis();
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(const bool first_time, sql::MarkEventProcessed(tx, kConsumer, event_id));
    if (!first_time) return Status::Ok();
    applied = true;
    MH_TRY(tx.Exec("DELETE FROM chunks WHERE source_id = $1 AND source_type = $2 AND org_id = $3",
                   {source_id, source_type, org_id})
               .status());
    if (passage) {
      MH_TRY(tx.Exec("INSERT INTO chunks (id, org_id, business_id, source_type, source_id, "
                     "ordinal, title, body, embedding, embedding_model, updated_at_ms) VALUES "
                     "($1, $2, $3, $4, $5, 0, $6, $7, $8, $9, $10)",
                     {passage->entry_id.substr(6), org_id, business_id, source_type, source_id,
                      passage->title, passage->text, EncodeEmbedding(embedding),
                      embedding.empty() ? std::string() : options_.embeddings->model(), now})
                 .status());
    }
    return RecordChange(tx, org_id, business_id, {{source_type, source_id}});
  }));
  if (applied) ApplyCommitted(org_id, business_id);
  return Status::Ok();
}

}  // namespace milkyhoop::rag
