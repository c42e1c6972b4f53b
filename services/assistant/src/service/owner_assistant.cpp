// The owner turn's dispatch, and what "ya" and "batal" do to the pending draft.
#include "owner_assistant.hpp"

#include <nlohmann/json.hpp>

#include "milkyhoop/assistant/assistant_service.hpp"
#include "milkyhoop/assistant/rupiah.hpp"
#include "owner_context.hpp"

namespace milkyhoop::assistant::owner {
namespace bv1 = business::v1;

namespace {

constexpr std::size_t kMaxNoteBytes = 400;

std::string Note(const Draft& draft) {
  std::string note = "asisten: " + draft.source_text;
  if (note.size() > kMaxNoteBytes) {
    note.resize(kMaxNoteBytes);
    // Do not cut a UTF-8 sequence in half.
    while (!note.empty() && (static_cast<unsigned char>(note.back()) & 0xC0) == 0x80) {
      note.pop_back();
    }
    if (!note.empty() && (static_cast<unsigned char>(note.back()) & 0x80)) note.pop_back();
  }
  return note;
}

std::string PostedLabel(DraftKind kind, bool en) {
  switch (kind) {
    case DraftKind::kSale:
      return en ? "sale" : "penjualan";
    case DraftKind::kPurchase:
      return en ? "purchase" : "pembelian";
    case DraftKind::kExpense:
      return en ? "expense" : "pengeluaran";
    case DraftKind::kVoid:
      return en ? "void" : "pembatalan";
  }
  return "";
}

}  // namespace

std::vector<CatalogueProduct> ForMatching(const std::vector<bv1::Product>& products) {
  std::vector<CatalogueProduct> out;
  out.reserve(products.size());
  for (const auto& p : products) out.push_back({p.id(), p.name()});
  return out;
}

const bv1::Product* FindProduct(const std::vector<bv1::Product>& products, const std::string& id) {
  for (const auto& p : products) {
    if (p.id() == id) return &p;
  }
  return nullptr;
}

std::string HelpReply(std::string_view language) {
  if (language == "en") {
    return "Sorry, I did not understand. Try: \"sold 10 shirts at 45k\", \"paid electricity "
           "350k\", \"stock of rice?\", \"profit this month\", \"top products this week\".";
  }
  return "Maaf, saya belum paham. Contoh: \"jual 10 kaos @45rb\", \"beli 50 kg beras @12.500\", "
         "\"bayar listrik 350rb\", \"stok kaos berapa?\", \"untung bulan ini berapa?\", "
         "\"barang paling laku minggu ini\", \"batalkan transaksi terakhir\".";
}

Result<TurnOutcome> OwnerAssistant::Turn(OwnerSession& session, std::string_view message) const {
  Context c(session, message, clock_.NowUnixMillis());
  if (!session.pending.empty()) {
    c.pending = DraftFromJson(session.pending);
    if (c.pending && c.pending->expires_at_ms <= c.now_ms) {
      c.pending.reset();
      c.pending_expired = true;
    }
    if (!c.pending) session.pending.clear();
  }
  return Dispatch(c);
}

bool OwnerAssistant::ReadWithFallback(Context& c) const {
  if (!fallback_ || c.parsed_by != "rules") return false;
  std::optional<ParsedUtterance> read = fallback_->Parse(c.message);
  if (!read) return false;
  read->language = c.parsed.language;  // the rules' reading of the language stands
  c.parsed = std::move(*read);
  c.parsed_by = "llm";
  return true;
}

Result<TurnOutcome> OwnerAssistant::Dispatch(Context& c) const {
  switch (c.parsed.intent) {
    case Intent::kConfirm:
      return Confirm(c);
    case Intent::kCancel:
      return Cancel(c);
    case Intent::kRecordSale:
    case Intent::kRecordPurchase:
    case Intent::kRecordExpense:
      if (c.parsed.open_pos) {
        TurnOutcome out = c.Outcome(c.Say("Membuka kasir (POS).", "Opening the POS."));
        out.action_type = "open_pos";
        out.action_data = "{}";
        return out;
      }
      return DraftTransaction(c);
    case Intent::kStockQuery:
    case Intent::kPriceQuery:
      if (auto answered = Answer(c)) return *answered;
      return StockOrPrice(c);
    case Intent::kStockAdjust:
      return AdjustStock(c);
    case Intent::kReportProfit:
    case Intent::kReportSales:
    case Intent::kReportTopProducts:
    case Intent::kReportSlowProducts:
      return Report(c);
    case Intent::kReportLowStock:
      return LowStock(c);
    case Intent::kVoidLast:
      return DraftVoid(c);
    case Intent::kUnknown:
      if (auto answered = Answer(c)) return *answered;
      if (ReadWithFallback(c)) return Dispatch(c);
      break;
  }
  std::string reply = HelpReply(c.parsed.language);
  if (c.pending) {
    reply += c.Say("\nMasih menunggu: ", "\nStill waiting: ") +
             NeedQuestion(*c.pending, c.parsed.language);
  }
  return c.Outcome(std::move(reply));
}

Result<TurnOutcome> OwnerAssistant::Confirm(Context& c) const {
  if (!c.pending) {
    if (c.pending_expired) {
      return c.Outcome(c.Say(
          "Draf tadi sudah kedaluwarsa (lebih dari 30 menit), jadi tidak dicatat. Silakan kirim "
          "ulang transaksinya.",
          "That draft expired (over 30 minutes old), so nothing was recorded. Please send the "
          "transaction again."));
    }
    return c.Outcome(c.Say("Tidak ada transaksi yang menunggu konfirmasi.",
                           "There is no transaction waiting for confirmation."));
  }
  const Draft& draft = *c.pending;
  if (FirstNeed(draft).what != Need::What::kNothing) {
    return c.Outcome(NeedQuestion(draft, c.parsed.language));
  }
  if (draft.kind == DraftKind::kVoid) return Void(c, draft);
  return Post(c, draft);
}

Result<TurnOutcome> OwnerAssistant::Post(Context& c, const Draft& draft) const {
  const bool en = c.English();
  bv1::PostTransactionRequest req;
  req.set_org_id(c.session.org_id);
  req.set_business_id(c.session.business_id);
  req.set_actor_id(c.session.user_id);
  // Derived from the draft alone: a second "ya", or a retry after a lost answer, replays the
  // first posting instead of posting twice.
  req.set_idempotency_key("assistant:" + draft.id);
  req.set_type(std::string(DraftKindName(draft.kind)));
  req.set_note(Note(draft));
  if (draft.kind == DraftKind::kExpense) {
    bv1::TransactionItem* item = req.add_items();
    item->set_name(draft.category);
    item->set_quantity(1);
    item->mutable_unit_price()->set_amount(draft.amount.value_or(0));
    item->mutable_unit_price()->set_currency("IDR");
  } else {
    for (const DraftLine& line : draft.lines) {
      bv1::TransactionItem* item = req.add_items();
      item->set_product_id(line.product_id);
      item->set_name(line.name);
      item->set_quantity(line.quantity);
      item->mutable_unit_price()->set_amount(line.unit_price.value_or(0));
      item->mutable_unit_price()->set_currency("IDR");
    }
  }
  auto posted = businesses_.PostTransaction(req);
  if (!posted.ok()) {
    const Status& s = posted.status();
    if (s.code() == StatusCode::kFailedPrecondition) {
      // Not enough stock: the draft waits, so the owner can restock and confirm again.
      return c.Outcome(c.Say("Belum bisa dicatat: stok tidak cukup (" + s.message() +
                                 "). Tambah stoknya lalu balas \"ya\", atau \"batal\".",
                             "Not recorded: not enough stock (" + s.message() +
                                 "). Add stock and reply \"yes\", or \"cancel\"."));
    }
    if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound) {
      c.Drop();
      return c.Outcome(c.Say("Gagal mencatat: " + s.message() + ". Draf dibuang.",
                             "Could not record it: " + s.message() + ". The draft is dropped."));
    }
    return s;
  }
  const bv1::Transaction& t = posted->transaction();
  c.Drop();
  c.session.last_transaction_id = t.id();
  TurnOutcome out = c.Outcome((en ? "Recorded: " : "Tercatat: ") + PostedLabel(draft.kind, en) +
                              " " + FormatRupiah(t.total().amount()) +
                              (en ? ". Reply \"undo last transaction\" to void it."
                                  : ". Balas \"batalkan transaksi terakhir\" bila salah."));
  nlohmann::json items = nlohmann::json::array();
  for (const bv1::TransactionItem& it : t.items()) {
    items.push_back({{"product_id", it.product_id().empty() ? nlohmann::json(nullptr)
                                                            : nlohmann::json(it.product_id())},
                     {"name", it.name()},
                     {"quantity", it.quantity()},
                     {"unit_price", it.unit_price().amount()},
                     {"line_total", it.line_total().amount()}});
  }
  out.action_type = "transaction_posted";
  out.action_data = nlohmann::json{{"transaction_id", t.id()},
                                   {"draft_id", draft.id},
                                   {"type", t.type()},
                                   {"total", t.total().amount()},
                                   {"currency", t.total().currency()},
                                   {"items", std::move(items)},
                                   {"replayed", posted->replayed()}}
                        .dump();
  return out;
}

Result<TurnOutcome> OwnerAssistant::Void(Context& c, const Draft& draft) const {
  bv1::VoidTransactionRequest req;
  req.set_org_id(c.session.org_id);
  req.set_transaction_id(draft.void_transaction_id);
  req.set_actor_id(c.session.user_id);
  req.set_reason(Note(draft));
  auto voided = businesses_.VoidTransaction(req);
  c.Drop();
  if (!voided.ok()) {
    const Status& s = voided.status();
    if (s.code() == StatusCode::kFailedPrecondition || s.code() == StatusCode::kNotFound) {
      return c.Outcome(c.Say("Transaksi itu sudah dibatalkan sebelumnya atau tidak ada lagi.",
                             "That transaction was already voided or no longer exists."));
    }
    c.Keep(draft);
    return s;
  }
  TurnOutcome out = c.Outcome(c.Say("Dibatalkan: " + draft.void_summary + ". Stok dikembalikan.",
                                    "Voided: " + draft.void_summary + ". Stock restored."));
  out.action_type = "transaction_posted";
  out.action_data = nlohmann::json{
      {"transaction_id", voided->reversal().id()},
      {"type", "void"},
      {"voided_transaction_id", voided->transaction().id()},
      {"total", voided->reversal().total().amount()},
      {"currency", voided->reversal().total().currency()},
      {"replayed",
       false}}.dump();
  return out;
}

TurnOutcome OwnerAssistant::Cancel(Context& c) const {
  if (!c.pending) {
    return c.Outcome(
        c.Say("Tidak ada draf yang perlu dibatalkan.", "There is no draft to cancel."));
  }
  c.Drop();
  return c.Outcome(
      c.Say("Oke, dibatalkan. Tidak ada yang dicatat.", "OK, cancelled. Nothing was recorded."));
}

}  // namespace milkyhoop::assistant::owner
