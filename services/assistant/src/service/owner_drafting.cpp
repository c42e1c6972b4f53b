// Turning a sale, purchase, expense or "void the last one" into a draft; filling what it lacks
// from the catalogue or from the owner's answer to a question.
#include <cctype>
#include <charconv>

#include "milkyhoop/assistant/assistant_service.hpp"
#include "milkyhoop/assistant/rupiah.hpp"
#include "milkyhoop/core/ids.hpp"
#include "owner_assistant.hpp"
#include "owner_context.hpp"

namespace milkyhoop::assistant::owner {
namespace bv1 = business::v1;

namespace {

constexpr int kCataloguePage = 200;
constexpr int kMaxTransactionPages = 10;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Problems the assistant can resolve itself (a sale's price from the catalogue) or ask about
// (a missing price or amount); any other problem means the message cannot become a draft.
bool Askable(const ParsedUtterance& p, const std::string& problem) {
  if (p.intent == Intent::kRecordExpense) {
    return !p.entities.amount && StartsWith(problem, "jumlah belum disebut");
  }
  return StartsWith(problem, "harga belum disebut untuk ");
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The first rupiah amount in the text: a word or two adjacent words ("45rb", "45 ribu").
std::optional<std::int64_t> FindAmount(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char ch : text) {
    if (std::isspace(static_cast<unsigned char>(ch))) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else if (words.size() < 64) {
      word += ch;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i + 1 < words.size()) {
      if (auto v = ParseRupiah(words[i] + " " + words[i + 1])) return v;
    }
    if (auto v = ParseRupiah(words[i])) return v;
  }
  return std::nullopt;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string KindLabel(const std::string& type, bool en) {
  if (type == "sale") return en ? "sale" : "penjualan";
  if (type == "purchase") return en ? "purchase" : "pembelian";
  if (type == "expense") return en ? "expense" : "pengeluaran";
  return type;
}

}  // namespace

std::string DraftEntitiesJson(const Draft& draft) {
  Entities e;
  Intent intent = Intent::kRecordSale;
  switch (draft.kind) {
    case DraftKind::kSale:
    case DraftKind::kPurchase:
      intent = draft.kind == DraftKind::kSale ? Intent::kRecordSale : Intent::kRecordPurchase;
      for (const DraftLine& line : draft.lines) {
        e.items.push_back({line.spoken, line.quantity, line.unit_price, line.unit});
      }
      break;
    case DraftKind::kExpense:
      intent = Intent::kRecordExpense;
      e.category = draft.category;
      e.amount = draft.amount;
      break;
    case DraftKind::kVoid:
      intent = Intent::kVoidLast;
      break;
  }
  return EntitiesJson(intent, e);
}

Result<std::vector<bv1::Product>> OwnerAssistant::Catalogue(Context& c) const {
  if (c.catalogue) return *c.catalogue;
  std::vector<bv1::Product> products;
  bv1::ListProductsRequest req;
  req.set_org_id(c.session.org_id);
  req.set_business_id(c.session.business_id);
  req.set_limit(kCataloguePage);
  while (static_cast<int>(products.size()) < kMaxCatalogueProducts) {
    MH_ASSIGN_OR_RETURN(bv1::ListProductsResponse page, businesses_.ListProducts(req));
    for (auto& p : *page.mutable_items()) {
      if (p.active()) products.push_back(std::move(p));
    }
    if (page.next_cursor().empty()) break;
    req.set_cursor(page.next_cursor());
  }
  c.catalogue = std::move(products);
  return *c.catalogue;
}

Result<bv1::Business> OwnerAssistant::Business(Context& c) const {
  if (c.business) return *c.business;
  bv1::GetBusinessRequest req;
  req.set_org_id(c.session.org_id);
  req.set_business_id(c.session.business_id);
  MH_ASSIGN_OR_RETURN(bv1::GetBusinessResponse got, businesses_.GetBusiness(req));
  c.business = got.business();
  return *c.business;
}

TurnOutcome OwnerAssistant::Present(Context& c, Draft draft) const {
  TurnOutcome out = c.Outcome("");
  const std::string language = c.parsed.language;
  draft.expires_at_ms = c.now_ms + kDraftTtlMs;
  c.Keep(draft);
  if (FirstNeed(draft).what != Need::What::kNothing) {
    // Not a draft yet: a question, and the partial transaction waits for its answer.
    out.reply = NeedQuestion(draft, language);
    return out;
  }
  out.reply = DraftSummary(draft, language);
  out.action_type = "transaction_draft";
  out.action_data = DraftActionJson(draft);
  return out;
}

Result<TurnOutcome> OwnerAssistant::DraftTransaction(Context& c) const {
  const ParsedUtterance& p = c.parsed;
  std::vector<std::string> blocking;
  for (const std::string& problem : p.problems) {
    if (!Askable(p, problem)) blocking.push_back(problem);
  }
  if (!blocking.empty()) {
    std::string reply = c.Say("Maaf, belum bisa dicatat: ", "Sorry, I cannot record that yet: ");
    for (std::size_t i = 0; i < blocking.size() && i < 3; ++i) {
      reply += (i > 0 ? "; " : "") + blocking[i];
    }
    reply += c.Say(". Contoh: \"jual 10 kaos @45rb\".", ". Example: \"sold 10 shirts at 45k\".");
    if (c.pending)
      reply += c.Say(" (Draf sebelumnya tetap menunggu.)", " (The earlier draft still waits.)");
    return c.Outcome(std::move(reply));
  }

  Draft draft;
  draft.id = NewId("adr_");
  draft.source_text = std::string(c.message);
  if (p.intent == Intent::kRecordExpense) {
    draft.kind = DraftKind::kExpense;
    draft.category = p.entities.category;
    draft.amount = p.entities.amount;
    return Present(c, std::move(draft));
  }
  draft.kind = p.intent == Intent::kRecordSale ? DraftKind::kSale : DraftKind::kPurchase;
  MH_ASSIGN_OR_RETURN(const std::vector<bv1::Product> catalogue, Catalogue(c));
  const std::vector<CatalogueProduct> names = ForMatching(catalogue);
  for (const ItemEntity& item : p.entities.items) {
    DraftLine line;
    line.spoken = item.name;
    line.name = item.name;
    line.unit = item.unit;
    line.quantity = item.quantity;
    line.unit_price = item.unit_price;
    const ProductMatch match = MatchProduct(item.name, names);
    switch (match.kind) {
      case ProductMatch::Kind::kExact:
      case ProductMatch::Kind::kUnique: {
        const bv1::Product* product = FindProduct(catalogue, match.candidates.front().id);
        line.product_id = product->id();
        line.name = product->name();
        // A sale without a price sells at the catalogue price.
        if (!line.unit_price && draft.kind == DraftKind::kSale && product->price().amount() > 0) {
          line.unit_price = product->price().amount();
        }
        break;
      }
      case ProductMatch::Kind::kAmbiguous:
        line.choices = match.candidates;
        break;
      case ProductMatch::Kind::kNone:
        line.not_in_catalogue = true;
        break;
    }
    draft.lines.push_back(std::move(line));
  }
  return Present(c, std::move(draft));
}

std::optional<TurnOutcome> OwnerAssistant::Answer(Context& c) const {
  if (!c.pending) return std::nullopt;
  Draft draft = *c.pending;
  const Need need = FirstNeed(draft);
  const std::string text = Trim(c.message);
  switch (need.what) {
    case Need::What::kNothing:
      return std::nullopt;
    case Need::What::kAmount:
    case Need::What::kPrice: {
      const auto amount = FindAmount(text);
      if (!amount || *amount <= 0) return std::nullopt;
      if (need.what == Need::What::kAmount) {
        draft.amount = *amount;
      } else {
        draft.lines[need.line].unit_price = *amount;
      }
      break;
    }
    case Need::What::kProductChoice: {
      DraftLine& line = draft.lines[need.line];
      std::optional<CatalogueProduct> chosen;
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
      if (ec == std::errc() && end == text.data() + text.size() && index >= 1 &&
          index <= line.choices.size()) {
        chosen = line.choices[index - 1];
      } else {
        const ProductMatch match = MatchProduct(Lower(text), line.choices);
        if (match.kind == ProductMatch::Kind::kExact || match.kind == ProductMatch::Kind::kUnique) {
          chosen = match.candidates.front();
        }
      }
      if (!chosen) return std::nullopt;
      line.product_id = chosen->id;
      line.name = chosen->name;
      line.choices.clear();
      if (!line.unit_price && draft.kind == DraftKind::kSale) {
        auto catalogue = Catalogue(c);
        if (catalogue.ok()) {
          const bv1::Product* product = FindProduct(*catalogue, chosen->id);
          if (product && product->price().amount() > 0) {
            line.unit_price = product->price().amount();
          }
        }
      }
      break;
    }
  }
  // The answer completes (part of) the draft: the turn speaks for the draft, not for "45rb".
  const std::string intent = draft.kind == DraftKind::kSale       ? "record_sale"
                             : draft.kind == DraftKind::kPurchase ? "record_purchase"
                                                                  : "record_expense";
  const std::string entities = DraftEntitiesJson(draft);
  TurnOutcome out = Present(c, std::move(draft));
  out.intent = intent;
  out.entities_json = entities;
  return out;
}

Result<TurnOutcome> OwnerAssistant::DraftVoid(Context& c) const {
  const bool en = c.English();
  std::string id = c.session.last_transaction_id;
  if (id.empty()) {
    // Nothing posted in this session: the business's latest posted transaction of the day.
    bv1::ListTransactionsRequest req;
    req.set_org_id(c.session.org_id);
    req.set_business_id(c.session.business_id);
    req.set_from_ms(c.now_ms - 24 * 3600 * 1000);
    req.set_limit(200);
    for (int page = 0; page < kMaxTransactionPages; ++page) {
      MH_ASSIGN_OR_RETURN(bv1::ListTransactionsResponse got, businesses_.ListTransactions(req));
      for (const auto& t : got.items()) {
        if (t.status() == "posted" && t.type() != "void") id = t.id();
      }
      if (got.next_cursor().empty()) break;
      req.set_cursor(got.next_cursor());
    }
  }
  if (id.empty()) {
    return c.Outcome(c.Say("Belum ada transaksi yang bisa dibatalkan.",
                           "There is no recent transaction to void."));
  }
  bv1::GetTransactionRequest get;
  get.set_org_id(c.session.org_id);
  get.set_transaction_id(id);
  auto got = businesses_.GetTransaction(get);
  if (!got.ok() && got.status().code() != StatusCode::kNotFound) return got.status();
  if (!got.ok() || got->transaction().status() != "posted") {
    return c.Outcome(
        c.Say("Transaksi terakhir sudah dibatalkan.", "The last transaction is already voided."));
  }
  const bv1::Transaction& t = got->transaction();
  Draft draft;
  draft.id = NewId("adr_");
  draft.kind = DraftKind::kVoid;
  draft.source_text = std::string(c.message);
  draft.void_transaction_id = t.id();
  draft.void_summary = KindLabel(t.type(), en) + " " + FormatRupiah(t.total().amount());
  std::string items;
  for (int i = 0; i < t.items_size() && i < 3; ++i) {
    items += (i > 0 ? ", " : "") + std::to_string(t.items(i).quantity()) + " " + t.items(i).name();
  }
  if (t.items_size() > 3) items += ", …";
  if (!items.empty()) draft.void_summary += " (" + items + ")";
  TurnOutcome out = Present(c, std::move(draft));
  return out;
}

}  // namespace milkyhoop::assistant::owner
