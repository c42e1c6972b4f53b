#pragma once
// The parser's word knowledge, read once from the data files compiled into the library
// (services/assistant/data/*.txt): phrases by group, slang, units, number words, expense
// categories and product synonyms. Immutable after construction, so shared by all threads.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace milkyhoop::assistant::intent_internal {

// Groups a phrase can belong to (lexicon.txt's "group:" names, plus categories.txt).
enum Group : int {
  kSale,
  kPurchase,
  kExpense,
  kPos,
  kStock,
  kStockAdd,
  kStockSub,
  kPrice,
  kProfit,
  kSalesReport,
  kTop,
  kSlow,
  kLowStock,
  kVoid,
  kVoidRef,
  kConfirm,
  kCancel,
  kFiller,
  kQuestion,
  kPeriodToday,
  kPeriodYesterday,
  kPeriodThisWeek,
  kPeriodLastWeek,
  kPeriodThisMonth,
  kPeriodLastMonth,
  kUnitPriceMark,
  kEachMark,
  kPerMark,
  kTotalMark,
  kSeparator,
  kStop,
  kEnglish,
  kIndonesian,
  kCategory,
  kGroupCount
};
using GroupMask = std::uint64_t;
constexpr GroupMask Bit(Group g) { return GroupMask{1} << g; }
constexpr GroupMask kPeriodGroups = Bit(kPeriodToday) | Bit(kPeriodYesterday) |
                                    Bit(kPeriodThisWeek) | Bit(kPeriodLastWeek) |
                                    Bit(kPeriodThisMonth) | Bit(kPeriodLastMonth);
// Groups that only say which language a word is; they never stop a word being a name.
constexpr GroupMask kLanguageGroups = Bit(kEnglish) | Bit(kIndonesian);

struct Phrase {
  std::vector<std::string> words;
  GroupMask groups = 0;
  std::string category;  // canonical expense category when kCategory is set
};

struct Unit {
  std::string canonical;  // "kg", "pcs", "lusin"
  std::int64_t multiplier = 1;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using WordMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

class Lexicon {
 public:
  // Parses the embedded data; malformed lines are skipped and listed in errors().
  Lexicon();

  // The longest phrase starting at words[start] (words are normalised tokens), or nullptr.
  // `length` receives its word count.
  const Phrase* LongestPhraseAt(const std::vector<std::string_view>& words, std::size_t start,
                                std::size_t& length) const;
  // Groups of a single word taken alone (for language detection), 0 if unknown.
  GroupMask SingleWordGroups(std::string_view word) const;
  // True if the word starts some phrase, is a unit, or a number word (for suffix stripping).
  bool IsKnownWord(std::string_view word) const;

  const std::vector<std::string>* Slang(std::string_view word) const;
  const Unit* FindUnit(std::string_view word) const;
  const std::int64_t* NumberWord(std::string_view word) const;
  // Catalogue words a spoken product word may stand for ("eggs" → "telur").
  const std::vector<std::string>* ProductSynonyms(std::string_view word) const;

  const std::vector<std::string>& errors() const { return errors_; }

 private:
  void LoadPhrases(std::string_view text);
  void LoadCategories(std::string_view text);
  void LoadSlang(std::string_view text);
  void LoadUnits(std::string_view text);
  void LoadNumbers(std::string_view text);
  void LoadSynonyms(std::string_view text);
  void AddPhrase(std::string_view phrase, GroupMask groups, std::string_view category);

  std::vector<Phrase> phrases_;
  WordMap<std::vector<std::size_t>> phrases_by_first_word_;  // longest first
  WordMap<GroupMask> single_words_;
  WordMap<std::vector<std::string>> slang_;
  WordMap<Unit> units_;
  WordMap<std::int64_t> numbers_;
  WordMap<std::vector<std::string>> synonyms_;
  std::vector<std::string> errors_;
};

// The one lexicon, built on first use (thread-safe static initialisation) from embedded data.
const Lexicon& TheLexicon();

// Splits "a, b c, d" into trimmed non-empty items; used by the data file readers.
std::vector<std::string_view> SplitList(std::string_view text, char separator);

}  // namespace milkyhoop::assistant::intent_internal
