#include "entities.hpp"

#include "item_grammar.hpp"
#include "milkyhoop/assistant/rupiah.hpp"

namespace milkyhoop::assistant::intent_internal {
namespace {

constexpr std::size_t kMaxProductChars = 100;

bool IsUnitAfterNumber(const std::vector<Token>& tokens, std::size_t i) {
  return tokens[i].unit != nullptr && i > 0 && tokens[i - 1].kind == TokenKind::kNumber;
}

// Reads tokens[i] (a number) with the unit after it as pieces; nullopt and a problem if unusable.
std::optional<std::int64_t> WholePieces(const std::vector<Token>& tokens, std::size_t i,
                                        std::vector<std::string>& problems) {
  const Token& t = tokens[i];
  std::int64_t multiplier = 1;
  if (i + 1 < tokens.size() && tokens[i + 1].unit != nullptr) {
    multiplier = tokens[i + 1].unit->multiplier;
  }
  const auto pieces = t.overflow ? std::nullopt : Multiply(t.value, multiplier);
  if (!pieces || pieces->units > kMaxQuantity * 1000) {
    problems.push_back("jumlah terlalu besar");
    return std::nullopt;
  }
  const auto whole = ExactInteger(*pieces);
  if (!whole) {
    problems.push_back("jumlah harus bilangan bulat");
    return std::nullopt;
  }
  if (*whole > kMaxQuantity) {
    problems.push_back("jumlah terlalu besar");
    return std::nullopt;
  }
  return t.negative ? -*whole : *whole;
}

}  // namespace

std::string FirstProductName(const std::vector<Token>& tokens) {
  std::string first_units_only;
  std::string run;
  bool run_has_name = false;
  auto finish_run = [&]() -> bool {
    if (run.empty()) return false;
    if (run_has_name) return true;
    if (first_units_only.empty()) first_units_only = run;
    run.clear();
    return false;
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (IsNameWord(tokens, i) && !IsUnitAfterNumber(tokens, i)) {
      if (run.size() + tokens[i].text.size() + 1 > kMaxProductChars) continue;
      if (!run.empty()) run.push_back(' ');
      run += tokens[i].text;
      run_has_name = run_has_name || tokens[i].unit == nullptr;
    } else if (finish_run()) {
      return run;
    } else {
      run_has_name = false;
    }
  }
  if (finish_run()) return run;
  return first_units_only;
}

std::optional<Period> FindPeriod(const std::vector<Token>& tokens) {
  static constexpr std::pair<Group, Period> kPeriods[] = {
      {kPeriodToday, Period::kToday},         {kPeriodYesterday, Period::kYesterday},
      {kPeriodThisWeek, Period::kThisWeek},   {kPeriodLastWeek, Period::kLastWeek},
      {kPeriodThisMonth, Period::kThisMonth}, {kPeriodLastMonth, Period::kLastMonth}};
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::kWord || (t.groups & kPeriodGroups) == 0) continue;
    for (const auto& [group, period] : kPeriods) {
      if (t.groups & Bit(group)) return period;
    }
  }
  return std::nullopt;
}

void ReadStockAdjust(const std::vector<Token>& tokens, Entities& entities,
                     std::vector<std::string>& problems) {
  entities.product = FirstProductName(tokens);
  if (entities.product.empty()) problems.push_back("nama barang belum disebut");
  bool subtract = false;
  for (const Token& t : tokens) subtract = subtract || (t.groups & Bit(kStockSub)) != 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind != TokenKind::kNumber) continue;
    const auto pieces = WholePieces(tokens, i, problems);
    if (!pieces) return;
    std::int64_t delta = *pieces;
    if (subtract) delta = delta > 0 ? -delta : delta;
    if (delta == 0) {
      problems.push_back("jumlah harus lebih dari 0");
      return;
    }
    entities.delta = delta;
    return;
  }
  problems.push_back("jumlah belum disebut untuk " +
                     (entities.product.empty() ? std::string("stok") : entities.product));
}

void ReadExpense(const std::vector<Token>& tokens, Entities& entities,
                 std::vector<std::string>& problems) {
  // Category: a known category phrase, else the first name word after the verb.
  bool after_verb = false;
  std::string first_word;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind != TokenKind::kWord) continue;
    if ((t.groups & Bit(kCategory)) && t.phrase != nullptr && !t.phrase->category.empty()) {
      entities.category = t.phrase->category;
      break;
    }
    if (t.groups & Bit(kExpense)) after_verb = true;
    if (first_word.empty() && after_verb && IsNameWord(tokens, i) &&
        !IsUnitAfterNumber(tokens, i) && t.text.size() <= 50) {
      first_word = t.text;
    }
  }
  if (entities.category.empty()) entities.category = first_word;
  if (entities.category.empty()) problems.push_back("kategori pengeluaran belum disebut");

  // Amount: the first number written as money, else the largest number.
  const Token* amount = nullptr;
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::kNumber) continue;
    if (t.money || t.overflow) {
      amount = &t;
      break;
    }
    if (amount == nullptr || t.value.units > amount->value.units) amount = &t;
  }
  if (amount == nullptr) {
    problems.push_back("jumlah belum disebut untuk " + (entities.category.empty()
                                                            ? std::string("pengeluaran")
                                                            : entities.category));
    return;
  }
  const auto rupiah = amount->overflow ? std::nullopt : ExactInteger(amount->value);
  if (!rupiah || *rupiah > kMaxRupiah) {
    problems.push_back(rupiah || amount->overflow ? "jumlah terlalu besar"
                                                  : "jumlah harus dalam rupiah bulat");
    return;
  }
  entities.amount = amount->negative ? -*rupiah : *rupiah;
  if (*entities.amount <= 0) problems.push_back("jumlah harus lebih dari 0");
}

}  // namespace milkyhoop::assistant::intent_internal
