#include "milkyhoop/rag/text_analyzer.hpp"

#include <algorithm>
#include <atomic>
#include <sstream>

#include "embedded_tables.hpp"
#include "snowball_stemmer.hpp"
#include "text_tokenizer.hpp"

namespace milkyhoop::rag {
namespace {

// Inflections that may follow a protected root ("kemejanya", "kecilkan").
constexpr std::string_view kRootSuffixes[] = {"",    "nya", "kan", "an",    "i",     "lah",
                                              "kah", "ku",  "mu",  "annya", "kannya"};
// Particles and possessives the stem may keep when the full stem would be too short.
constexpr std::string_view kParticles[] = {"nya", "lah", "kah", "tah", "pun", "ku", "mu"};
// A stem shorter than this is distrusted: "berapa" -> "apa", "terima" -> "ima".
constexpr std::size_t kMinStemLength = 4;
constexpr std::size_t kStemCacheLimit = 1 << 16;

std::string_view StripComment(std::string_view line) {
  const auto hash = line.find('#');
  return hash == std::string_view::npos ? line : line.substr(0, hash);
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream in{std::string(text)};
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

// Lines without comments, each split into words.
std::vector<std::vector<std::string>> WordLines(std::string_view text) {
  std::vector<std::vector<std::string>> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto words = SplitWords(StripComment(text.substr(start, end - start)));
    if (!words.empty()) lines.push_back(std::move(words));
    start = end + 1;
  }
  return lines;
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }
bool HasDigit(std::string_view w) {
  return std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void AddUnique(std::vector<std::string>& v, std::string s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

std::atomic<std::uint64_t> next_instance_id{1};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Stems of recent words, per thread (the stemmer dominates the cost of indexing text).
struct StemCache {
  std::uint64_t owner = 0;
  std::unordered_map<std::string, std::vector<std::string>, StringHash, std::equal_to<>> stems;
};

// What one token of indexed text becomes (after normalisation, stop words and stemming), per
// thread: indexing looks each token up once instead of once per table.
struct TokenTerms {
  bool starts_pair = false;  // may begin a two-word form: take the full path
  std::vector<std::string> terms;
};
struct TokenCache {
  std::uint64_t owner = 0;
  std::unordered_map<std::string, TokenTerms, StringHash, std::equal_to<>> tokens;
};

}  // namespace

std::shared_ptr<const TextAnalyzer> TextAnalyzer::Default() {
  static const std::shared_ptr<const TextAnalyzer> kDefault = std::make_shared<const TextAnalyzer>(
      Tables{NormalizationText(), StopwordsText(), GenericWordsText(), EnglishWordsText(),
             SynonymsText(), StemOverridesText()});
  return kDefault;
}

TextAnalyzer::TextAnalyzer(const Tables& tables) : instance_id_(next_instance_id++) {
  for (const auto& line : WordLines(tables.normalization)) {
    // "form = replacement words", or "first second = replacement words" for a two-word form.
    const auto eq = std::find(line.begin(), line.end(), "=");
    if (eq == line.begin() || eq == line.end() || eq + 1 == line.end() || eq - line.begin() > 2) {
      continue;
    }
    std::string form = line.front();
    if (eq - line.begin() == 2) {
      form += ' ' + line[1];
      pair_starts_.insert(line.front());
    }
    normalization_[form] = std::vector<std::string>(eq + 1, line.end());
  }
  for (const auto& line : WordLines(tables.stopwords)) {
    for (const auto& w : line) stopwords_.insert(w);
  }
  for (const auto& line : WordLines(tables.stem_overrides)) {
    for (const auto& w : line) protected_roots_.insert(w);
  }
  for (const auto& line : WordLines(tables.english_words)) {
    for (const auto& w : line) english_stems_.insert(SnowballStem(StemLanguage::kEnglish, w));
  }
  // The tables below are stemmed, so they are read after the stemmer's own tables.
  for (const auto& line : WordLines(tables.generic_words)) {
    for (const auto& w : line) {
      for (auto& s : StemUncached(w)) generic_stems_.insert(std::move(s));
    }
  }
  for (const auto& line : WordLines(tables.synonyms)) {
    std::vector<std::string> group;
    for (const auto& w : line) {
      for (auto& s : StemUncached(w)) AddUnique(group, std::move(s));
    }
    for (const auto& s : group) {
      auto& syns = synonyms_by_stem_[s];
      for (const auto& other : group) {
        if (other != s) AddUnique(syns, other);
      }
    }
  }
}

TextAnalyzer::~TextAnalyzer() = default;

std::vector<std::string> TextAnalyzer::NormalizedWords(std::string_view text) const {
  if (text.size() > kMaxBytes) text = text.substr(0, kMaxBytes);
  std::vector<std::string> out;
  auto keep = [&](std::string w) {
    if (w.size() >= 2 && !stopwords_.contains(w) && out.size() < kMaxWords) {
      out.push_back(std::move(w));
    }
  };
  auto tokens = TokenizeText(text, kMaxWords);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i + 1 < tokens.size() && pair_starts_.contains(tokens[i])) {
      if (auto it = normalization_.find(tokens[i] + ' ' + tokens[i + 1]);
          it != normalization_.end()) {
        for (const auto& w : it->second) keep(w);
        ++i;
        continue;
      }
    }
    if (auto it = normalization_.find(tokens[i]); it != normalization_.end()) {
      for (const auto& w : it->second) keep(w);
    } else {
      keep(std::move(tokens[i]));
    }
  }
  return out;
}

std::vector<std::string> TextAnalyzer::StemWord(std::string_view word) const {
  return CachedStems(word);
}

const std::vector<std::string>& TextAnalyzer::CachedStems(std::string_view word) const {
  thread_local StemCache cache;
  if (cache.owner != instance_id_ || cache.stems.size() >= kStemCacheLimit) {
    cache.stems.clear();
    cache.owner = instance_id_;
  }
  if (auto it = cache.stems.find(word); it != cache.stems.end()) return it->second;
  return cache.stems.emplace(std::string(word), StemUncached(word)).first->second;
}

std::vector<std::string> TextAnalyzer::StemUncached(std::string_view word) const {
  if (word.empty() || HasDigit(word)) return {std::string(word)};
  // A protected root with an inflection, or with the passive prefix di-.
  for (auto suffix : kRootSuffixes) {
    if (!word.ends_with(suffix) || word.size() <= suffix.size()) continue;
    auto base = word.substr(0, word.size() - suffix.size());
    if (protected_roots_.contains(std::string(base))) return {std::string(base)};
    if (base.starts_with("di") && protected_roots_.contains(std::string(base.substr(2)))) {
      return {std::string(base.substr(2))};
    }
  }
  std::string english = SnowballStem(StemLanguage::kEnglish, word);
  if (english_stems_.contains(english)) return {english};

  std::string stem = SnowballStem(StemLanguage::kIndonesian, word);
  if (stem.size() < kMinStemLength && word.size() > stem.size()) {
    // Too short to trust: keep the word, less a particle or possessive.
    stem = std::string(word);
    for (auto p : kParticles) {
      if (stem.size() > p.size() + 2 && stem.ends_with(p)) {
        stem.resize(stem.size() - p.size());
        break;
      }
    }
  }
  std::vector<std::string> stems{stem};
  // meN-/peN- drop the first consonant of the root (t, k) before a vowel and Snowball does not
  // put it back ("menerima" -> "erima", "pengiriman" -> "irim"): index the restored root too.
  if (!stem.empty() && IsVowel(stem.front()) && word.size() > stem.size() + 2) {
    if ((word.starts_with("men") || word.starts_with("pen")) && IsVowel(word[3])) {
      stems.push_back("t" + stem);
    } else if ((word.starts_with("meng") || word.starts_with("peng")) && word.size() > 4 &&
               IsVowel(word[4])) {
      stems.push_back("k" + stem);
    }
  }
  return stems;
}

std::vector<std::string> TextAnalyzer::ColloquialStems(std::string_view surface) const {
  std::vector<std::string> out;
  auto add = [&](std::string_view w) {
    if (w.size() < 3) return;
    for (const auto& s : CachedStems(w)) AddUnique(out, s);
  };
  std::string_view w = surface;
  if (w.size() >= 5 && w.ends_with("in")) {  // "ditulisin", "benerin", "cariin"
    std::string base(w.substr(0, w.size() - 2));
    if (base.size() >= 3 && base[base.size() - 1] == base[base.size() - 2]) {
      base.pop_back();  // "cariin" -> "cari"
    }
    add(base);
    add(base + "kan");
    if (base.starts_with("di")) add(std::string_view(base).substr(2));
  }
  if (w.size() >= 5 && w.starts_with("nge")) add(w.substr(3));  // "ngecek" -> "cek"
  if (w.size() >= 5 && w.starts_with("ng") && IsVowel(w[2])) {  // "ngambil", "ngirim"
    add(w.substr(2));
    add("k" + std::string(w.substr(2)));
  }
  if (w.size() >= 5 && w.starts_with("ny") && IsVowel(w[2])) {  // "nyuci", "nyari"
    add("c" + std::string(w.substr(2)));
    add("s" + std::string(w.substr(2)));
  }
  return out;
}

std::vector<std::string> TextAnalyzer::Terms(std::string_view text) const {
  if (text.size() > kMaxBytes) text = text.substr(0, kMaxBytes);
  thread_local TokenCache cache;
  if (cache.owner != instance_id_ || cache.tokens.size() >= kStemCacheLimit) {
    cache.tokens.clear();
    cache.owner = instance_id_;
  }
  std::vector<std::string> terms;
  const auto tokens = TokenizeText(text, kMaxWords);
  for (std::size_t i = 0; i < tokens.size() && terms.size() < kMaxWords; ++i) {
    auto it = cache.tokens.find(tokens[i]);
    if (it == cache.tokens.end()) {
      TokenTerms entry;
      entry.starts_pair = pair_starts_.contains(tokens[i]);
      for (const auto& w : NormalizedWords(tokens[i])) {
        const auto& stems = CachedStems(w);
        entry.terms.insert(entry.terms.end(), stems.begin(), stems.end());
      }
      it = cache.tokens.emplace(tokens[i], std::move(entry)).first;
    }
    if (it->second.starts_pair && i + 1 < tokens.size() &&
        normalization_.contains(tokens[i] + ' ' + tokens[i + 1])) {
      for (const auto& w : NormalizedWords(tokens[i] + ' ' + tokens[i + 1])) {
        const auto& stems = CachedStems(w);
        terms.insert(terms.end(), stems.begin(), stems.end());
      }
      ++i;
      continue;
    }
    terms.insert(terms.end(), it->second.terms.begin(), it->second.terms.end());
  }
  return terms;
}

std::vector<AnalyzedWord> TextAnalyzer::Analyze(std::string_view text) const {
  std::vector<AnalyzedWord> words;
  for (auto& w : NormalizedWords(text)) {
    AnalyzedWord word;
    word.stems = CachedStems(w);
    word.surface = std::move(w);
    for (const auto& s : word.stems) {
      word.generic = word.generic || generic_stems_.contains(s);
      if (auto it = synonyms_by_stem_.find(s); it != synonyms_by_stem_.end()) {
        for (const auto& syn : it->second) {
          if (std::find(word.stems.begin(), word.stems.end(), syn) == word.stems.end()) {
            AddUnique(word.synonyms, syn);
          }
        }
      }
    }
    words.push_back(std::move(word));
  }
  return words;
}

}  // namespace milkyhoop::rag
