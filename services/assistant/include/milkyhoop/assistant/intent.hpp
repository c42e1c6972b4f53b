#pragma once
// The owner assistant's rule-based parser: one chat message of a shop owner ("jual 10 kaos
// @45rb", "bayar listrik 350rb", "untung bulan ini berapa?") to an intent and its entities,
// with no LLM and no I/O. The keyword lexicon, units, slang and categories are data files
// (services/assistant/data) compiled into the library.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace milkyhoop::assistant {

enum class Intent {
  kRecordSale,
  kRecordPurchase,
  kRecordExpense,
  kStockQuery,
  kStockAdjust,
  kPriceQuery,
  kReportProfit,
  kReportSales,
  kReportTopProducts,
  kReportSlowProducts,
  kReportLowStock,
  kVoidLast,
  kConfirm,
  kCancel,
  kUnknown
};
std::string_view IntentName(Intent intent);  // "record_sale", … exactly as in the eval file

enum class Period { kToday, kYesterday, kThisWeek, kLastWeek, kThisMonth, kLastMonth };
std::string_view PeriodName(Period period);  // "today", "yesterday", "this_week", "last_week",
                                             // "this_month", "last_month"

struct ItemEntity {
  std::string name;           // as the owner wrote it, normalised (lower-case, trimmed)
  std::int64_t quantity = 0;  // in units (lusin → ×12, kodi → ×20, …)
  std::optional<std::int64_t> unit_price;  // rupiah; a "total" is divided by quantity
  std::string unit;                        // "kg", "pcs", "gelas"… when given, else ""
};

struct Entities {
  std::vector<ItemEntity> items;       // sale / purchase
  std::string category;                // expense ("listrik", "gaji", "bensin", "sewa", …)
  std::optional<std::int64_t> amount;  // expense
  std::string product;                 // stock/price query, stock adjust
  std::optional<std::int64_t> delta;   // stock adjust (negative for "kurangi")
  std::optional<Period> period;        // reports (default this_month where the eval says so)
};

struct ParsedUtterance {
  Intent intent = Intent::kUnknown;
  Entities entities;
  std::string language;  // "id" or "en" (for the reply)
  // What is wrong or missing, in Indonesian, for the reply ("jumlah harus lebih dari 0",
  // "harga belum disebut untuk kaos"); empty when the intent can proceed.
  std::vector<std::string> problems;
  bool open_pos = false;  // a bare "jual"/"kasir" with no items → open the POS
};

// Inputs longer than this many characters (code points) are rejected as unknown.
inline constexpr std::size_t kMaxUtteranceChars = 2000;

// Pure and thread-safe. Bounded work: inputs over 2,000 characters are rejected as unknown with a
// problem (the route also caps length). Never throws; any UTF-8 (emoji, mixed scripts) is fine.
ParsedUtterance ParseOwnerUtterance(std::string_view text);

// The eval file's entity JSON shape ({"items":[{"name","quantity","unit_price"}]}, {"category",
// "amount"}, {"product"}, {"product","delta"}, {"period"}, {}) — as a JSON string, so callers need
// not include a JSON library. Only the keys the intent uses. A value not given is null.
std::string EntitiesJson(Intent intent, const Entities& entities);

}  // namespace milkyhoop::assistant
