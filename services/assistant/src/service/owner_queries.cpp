// Stock and price questions, stock adjustments and low stock, answered from the catalogue.
#include <nlohmann/json.hpp>

#include "milkyhoop/assistant/rupiah.hpp"
#include "owner_assistant.hpp"
#include "owner_context.hpp"

namespace milkyhoop::assistant::owner {
namespace bv1 = business::v1;

namespace {

constexpr int kLowStockLimit = 10;

std::string Quantity(std::int64_t n, const std::string& unit) {
  return std::to_string(n) + (unit.empty() ? "" : " " + unit);
}

// The products a spoken name means: one when it is clear, several when ambiguous, none.
std::vector<const bv1::Product*> Resolve(const std::vector<bv1::Product>& catalogue,
                                         const std::string& spoken) {
  std::vector<const bv1::Product*> out;
  const ProductMatch match = MatchProduct(spoken, ForMatching(catalogue));
  for (const auto& candidate : match.candidates) {
    if (const bv1::Product* p = FindProduct(catalogue, candidate.id)) out.push_back(p);
  }
  return out;
}

}  // namespace

Result<TurnOutcome> OwnerAssistant::StockOrPrice(Context& c) const {
  const std::string& spoken = c.parsed.entities.product;
  if (spoken.empty()) {
    return c.Outcome(c.Say("Barang apa yang mau dicek? Contoh: \"stok kaos berapa?\"",
                           "Which product? Example: \"stock of rice?\""));
  }
  MH_ASSIGN_OR_RETURN(const std::vector<bv1::Product> catalogue, Catalogue(c));
  const std::vector<const bv1::Product*> found = Resolve(catalogue, spoken);
  if (found.empty()) {
    return c.Outcome(c.Say("Produk \"" + spoken + "\" tidak ada di katalog.",
                           "\"" + spoken + "\" is not in your catalogue."));
  }
  const bool stock = c.parsed.intent == Intent::kStockQuery;
  std::string reply;
  nlohmann::json products = nlohmann::json::array();
  for (std::size_t i = 0; i < found.size(); ++i) {
    const bv1::Product& p = *found[i];
    if (i > 0) reply += "; ";
    if (stock) {
      reply +=
          (found.size() == 1 ? c.Say("Stok " + p.name() + " tinggal ", p.name() + " in stock: ")
                             : p.name() + ": ") +
          Quantity(p.stock(), p.unit());
    } else {
      reply += c.Say("Harga " + p.name() + " ", "Price of " + p.name() + ": ") +
               FormatRupiah(p.price().amount()) + (p.unit().empty() ? "" : " / " + p.unit());
    }
    products.push_back({{"product_id", p.id()},
                        {"name", p.name()},
                        {"stock", p.stock()},
                        {"unit", p.unit()},
                        {"price", p.price().amount()}});
  }
  if (found.size() > 1) {
    reply = c.Say("Ada beberapa yang cocok: ", "Several match: ") + reply;
  }
  TurnOutcome out = c.Outcome(reply + ".");
  out.action_type = "report";
  out.action_data =
      nlohmann::json{{"report", stock ? "stock" : "price"}, {"products", std::move(products)}}
          .dump();
  return out;
}

Result<TurnOutcome> OwnerAssistant::AdjustStock(Context& c) const {
  const ParsedUtterance& p = c.parsed;
  if (!p.problems.empty() || !p.entities.delta || p.entities.product.empty()) {
    std::string reply = c.Say("Maaf, belum bisa mengubah stok", "Sorry, I cannot adjust the stock");
    if (!p.problems.empty()) reply += ": " + p.problems.front();
    return c.Outcome(reply + c.Say(". Contoh: \"tambah stok gula 20\".",
                                   ". Example: \"add 20 sugar to stock\"."));
  }
  MH_ASSIGN_OR_RETURN(const std::vector<bv1::Product> catalogue, Catalogue(c));
  const std::vector<const bv1::Product*> found = Resolve(catalogue, p.entities.product);
  if (found.empty()) {
    return c.Outcome(c.Say("Produk \"" + p.entities.product + "\" tidak ada di katalog.",
                           "\"" + p.entities.product + "\" is not in your catalogue."));
  }
  if (found.size() > 1) {
    std::string names;
    for (std::size_t i = 0; i < found.size(); ++i) names += (i > 0 ? ", " : "") + found[i]->name();
    return c.Outcome(c.Say("Produk mana? Ada beberapa yang cocok: " + names +
                               ". Sebutkan lebih "
                               "lengkap, mis. \"tambah stok " +
                               found[0]->name() + " 20\".",
                           "Which product? Several match: " + names + "."));
  }
  bv1::AdjustStockRequest req;
  req.set_org_id(c.session.org_id);
  req.set_business_id(c.session.business_id);
  req.set_product_id(found[0]->id());
  req.set_actor_id(c.session.user_id);
  req.set_delta(*p.entities.delta);
  std::string reason = "asisten: " + std::string(c.message);
  if (reason.size() > 200) reason = reason.substr(0, 200);
  while (!reason.empty() && (static_cast<unsigned char>(reason.back()) & 0x80)) reason.pop_back();
  req.set_reason(reason);
  auto adjusted = businesses_.AdjustStock(req);
  if (!adjusted.ok()) {
    const Status& s = adjusted.status();
    if (s.code() == StatusCode::kFailedPrecondition || s.code() == StatusCode::kInvalidArgument) {
      return c.Outcome(c.Say("Stok tidak diubah: " + s.message() + ".",
                             "Stock not changed: " + s.message() + "."));
    }
    return s;
  }
  const bv1::Product& after = adjusted->product();
  const std::int64_t delta = *p.entities.delta;
  const std::string amount = Quantity(delta < 0 ? -delta : delta, after.unit());
  TurnOutcome out =
      c.Outcome(c.Say("Stok " + after.name() + (delta < 0 ? " dikurangi " : " ditambah ") + amount +
                          ", sekarang " + Quantity(after.stock(), after.unit()) + ".",
                      after.name() + " stock " + (delta < 0 ? "reduced by " : "increased by ") +
                          amount + ", now " + Quantity(after.stock(), after.unit()) + "."));
  out.action_type = "report";
  out.action_data = nlohmann::json{
      {"report", "stock_adjustment"},
      {"product_id", after.id()},
      {"delta", delta},
      {"stock",
       after.stock()}}.dump();
  return out;
}

Result<TurnOutcome> OwnerAssistant::LowStock(Context& c) const {
  bv1::LowStockRequest req;
  req.set_org_id(c.session.org_id);
  req.set_business_id(c.session.business_id);
  req.set_limit(kLowStockLimit);
  MH_ASSIGN_OR_RETURN(const bv1::LowStockResponse low, businesses_.LowStock(req));
  nlohmann::json items = nlohmann::json::array();
  std::string list;
  for (int i = 0; i < low.items_size(); ++i) {
    const bv1::Product& p = low.items(i);
    list += (i > 0 ? ", " : "") + p.name() + " " + Quantity(p.stock(), p.unit()) + " (min " +
            std::to_string(p.min_stock()) + ")";
    items.push_back({{"product_id", p.id()},
                     {"name", p.name()},
                     {"stock", p.stock()},
                     {"min_stock", p.min_stock()}});
  }
  TurnOutcome out = c.Outcome(
      low.items().empty() ? c.Say("Tidak ada stok yang menipis.", "No product is running low.")
                          : c.Say("Stok menipis: ", "Running low: ") + list + ".");
  out.action_type = "report";
  out.action_data = nlohmann::json{{"report", "low_stock"}, {"items", std::move(items)}}.dump();
  return out;
}

}  // namespace milkyhoop::assistant::owner
