// Whatever an owner (or anyone holding the owner's session) sends, the parser answers with an
// intent and a reason, within bounded work, never a crash or a postable transaction built from
// nonsense.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

#include "milkyhoop/assistant/intent.hpp"

namespace milkyhoop::assistant {
namespace {

bool HasProblem(const ParsedUtterance& p, std::string_view text) {
  return std::find(p.problems.begin(), p.problems.end(), text) != p.problems.end();
}

// A transaction the assistant could post: the right intent and no problems.
bool Postable(const ParsedUtterance& p) {
  return (p.intent == Intent::kRecordSale || p.intent == Intent::kRecordPurchase ||
          p.intent == Intent::kRecordExpense) &&
         p.problems.empty();
}

// What must hold for any input: valid entity JSON, a language, and nothing postable that breaks
// the bookkeeping (non-positive or oversized quantities, missing prices, huge totals).
void ExpectSane(const ParsedUtterance& p, const std::string& input) {
  const std::string json = EntitiesJson(p.intent, p.entities);
  EXPECT_TRUE(nlohmann::json::accept(json)) << json;
  EXPECT_TRUE(p.language == "id" || p.language == "en");
  if (p.intent == Intent::kUnknown) {
    EXPECT_FALSE(p.problems.empty());
  }
  if (!Postable(p)) return;
  for (const ItemEntity& item : p.entities.items) {
    EXPECT_GT(item.quantity, 0) << input;
    EXPECT_LE(item.quantity, 1'000'000) << input;
    ASSERT_TRUE(item.unit_price.has_value()) << input;
    EXPECT_GE(*item.unit_price, 0) << input;
    EXPECT_FALSE(item.name.empty()) << input;
  }
  if (p.intent == Intent::kRecordExpense) {
    ASSERT_TRUE(p.entities.amount.has_value()) << input;
    EXPECT_GT(*p.entities.amount, 0) << input;
  }
}

TEST(Robustness, GibberishIsUnknownWithAReason) {
  for (const std::string text : {"asdkjh qwe zzz", "!!!???", "", "   ", "xxxxxxxxxxxxxxxxxxxx"}) {
    const auto p = ParseOwnerUtterance(text);
    EXPECT_EQ(p.intent, Intent::kUnknown) << text;
    EXPECT_FALSE(p.problems.empty()) << text;
  }
}

TEST(Robustness, TenThousandCharactersAreRejectedQuickly) {
  std::string text;
  while (text.size() < 10'000) text += "jual 10 kaos @45rb ";
  text.resize(10'000);
  const auto start = std::chrono::steady_clock::now();
  const auto p = ParseOwnerUtterance(text);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(p.intent, Intent::kUnknown);
  EXPECT_TRUE(HasProblem(p, "pesan terlalu panjang (maks 2.000 karakter)"));
  EXPECT_LT(elapsed, std::chrono::milliseconds(50));
  // 2,000 emoji are 2,000 characters (8,000 bytes): accepted, as the limit is in characters.
  std::string emoji;
  for (int i = 0; i < 2000; ++i) emoji += "\xF0\x9F\x98\x80";
  EXPECT_FALSE(
      HasProblem(ParseOwnerUtterance(emoji), "pesan terlalu panjang (maks 2.000 karakter)"));
}

TEST(Robustness, EmojiAndMixedScriptsDoNotDisturbTheParse) {
  auto p = ParseOwnerUtterance("jual 10 kaos @45rb 🙏😀");
  EXPECT_EQ(p.intent, Intent::kRecordSale);
  ASSERT_EQ(p.entities.items.size(), 1u);
  EXPECT_EQ(p.entities.items[0].name, "kaos");
  EXPECT_TRUE(p.problems.empty());
  p = ParseOwnerUtterance("jual 2 咖啡 @20rb");
  ASSERT_EQ(p.entities.items.size(), 1u);
  EXPECT_EQ(p.entities.items[0].name, "咖啡");
  EXPECT_EQ(p.entities.items[0].quantity, 2);
  p = ParseOwnerUtterance("مرحبا كيف حالك 你好");
  EXPECT_EQ(p.intent, Intent::kUnknown);
  ExpectSane(p, "arabic");
}

TEST(Robustness, NegativeZeroAndHugeQuantitiesAreProblems) {
  auto p = ParseOwnerUtterance("jual -5 kaos");
  EXPECT_EQ(p.intent, Intent::kRecordSale);
  EXPECT_TRUE(HasProblem(p, "jumlah harus lebih dari 0"));
  p = ParseOwnerUtterance("jual -5 kaos @45rb");
  EXPECT_TRUE(HasProblem(p, "jumlah harus lebih dari 0"));
  EXPECT_FALSE(Postable(p));
  p = ParseOwnerUtterance("jual 0 kaos @45rb");
  EXPECT_TRUE(HasProblem(p, "jumlah harus lebih dari 0"));
  p = ParseOwnerUtterance("jual 99999999999999 kaos");
  EXPECT_EQ(p.intent, Intent::kRecordSale);
  EXPECT_FALSE(p.problems.empty());
  p = ParseOwnerUtterance("jual 99999999999999 kaos @45rb");
  EXPECT_FALSE(Postable(p));
  p = ParseOwnerUtterance("jual 999999999999999999999999 kaos @45rb");
  EXPECT_FALSE(Postable(p));
  p = ParseOwnerUtterance("jual 1000 kaos @999999999jt");
  EXPECT_FALSE(Postable(p));
  p = ParseOwnerUtterance("bayar listrik 5000000jt");
  EXPECT_EQ(p.intent, Intent::kRecordExpense);
  EXPECT_FALSE(Postable(p));
}

TEST(Robustness, MissingPriceAndBareVerb) {
  auto p = ParseOwnerUtterance("jual kaos");
  EXPECT_EQ(p.intent, Intent::kRecordSale);
  EXPECT_TRUE(HasProblem(p, "harga belum disebut untuk kaos"));
  EXPECT_FALSE(p.open_pos);
  p = ParseOwnerUtterance("jual");
  EXPECT_EQ(p.intent, Intent::kRecordSale);
  EXPECT_TRUE(p.open_pos);
  EXPECT_TRUE(p.entities.items.empty());
  EXPECT_FALSE(p.problems.empty());
  EXPECT_TRUE(ParseOwnerUtterance("buka kasir").open_pos);
  p = ParseOwnerUtterance("beli");
  EXPECT_EQ(p.intent, Intent::kRecordPurchase);
  EXPECT_FALSE(p.open_pos);
  EXPECT_FALSE(p.problems.empty());
}

// Random bytes, random UTF-8 and random soups of lexicon words and numbers: a few thousand
// inputs, each must parse sanely and within a small time.
TEST(Robustness, FuzzedInputsNeverCrashOrPostNonsense) {
  std::mt19937 rng(20240607);
  const std::vector<std::string> vocabulary = {
      "jual",   "beli",    "bayar",    "stok",    "harga",  "@",     ",",     "sama",
      "dan",    "total",   "per",      "kg",      "lusin",  "kodi",  "-",     "+",
      "/",      "?",       "45rb",     "1,5jt",   "12.500", "0",     "-3",    "99999999999999",
      "1.2.3",  "kaos",    "ya",       "batal",   "untung", "bulan", "lalu",  "each",
      "at",     "for",     "rp",       "selusin", "dua",    "puluh", "juta",  "ribu",
      "😀",      "咖啡",    "مرحبا",    "\xff",    "\xc3",   "nya",   "hapus", "terakhir",
      "tambah", "kurangi", "setengah", "1,5",     ".",      "k",     "x"};
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> word(0, vocabulary.size() - 1);
  std::uniform_int_distribution<std::uint32_t> code_point(1, 0x10FFFF);
  ParseOwnerUtterance("jual");  // builds the lexicon, so the timings below are parses only
  auto slowest = std::chrono::nanoseconds(0);
  for (int round = 0; round < 4000; ++round) {
    std::string input;
    const int n = length(rng);
    switch (round % 3) {
      case 0:
        for (int i = 0; i < n * 3; ++i) input.push_back(static_cast<char>(byte(rng)));
        break;
      case 1:
        for (int i = 0; i < n; ++i) {
          std::uint32_t cp = code_point(rng);
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'a';
          if (cp < 0x80) {
            input.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            input.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            input.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else if (cp < 0x10000) {
            input.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            input.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            input.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            input.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            input.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            input.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            input.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
        }
        break;
      default:
        for (int i = 0; i < n; ++i) input += vocabulary[word(rng)] + (i % 4 == 3 ? "" : " ");
        break;
    }
    const auto start = std::chrono::steady_clock::now();
    const ParsedUtterance p = ParseOwnerUtterance(input);
    slowest = std::max(slowest, std::chrono::steady_clock::now() - start);
    ExpectSane(p, input);
    if (HasFailure()) {
      ADD_FAILURE() << "first failing input (round " << round << "): " << input;
      return;
    }
  }
  // Generous (sanitizer builds, a shared machine): it catches runaway work, not microseconds.
  EXPECT_LT(slowest, std::chrono::milliseconds(100));
}

// The costliest messages under the length limit: as many tokens, items, numbers and phrase
// starts as 2,000 characters allow.
TEST(Robustness, WorstCaseMessagesUnderTheLimitStayFast) {
  ParseOwnerUtterance("jual");
  for (const std::string unit : {"1 a,", "jual 1 k @1,", "berapa ", "9 ", "@", "se", "x"}) {
    std::string text;
    while (text.size() + unit.size() <= kMaxUtteranceChars) text += unit;
    const auto start = std::chrono::steady_clock::now();
    const ParsedUtterance p = ParseOwnerUtterance(text);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100)) << unit;
    ExpectSane(p, text);
    EXPECT_LE(p.entities.items.size(), 50u);
  }
}

TEST(Robustness, ParsesConcurrently) {
  // Pure and thread-safe: the lexicon is built once and shared read-only.
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&wrong] {
      for (int i = 0; i < 500; ++i) {
        const auto p = ParseOwnerUtterance("jual 5 es teh 4000 sama 2 nasi goreng 15000");
        if (p.entities.items.size() != 2) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace milkyhoop::assistant
