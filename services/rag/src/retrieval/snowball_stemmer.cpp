#include "snowball_stemmer.hpp"

#include <libstemmer.h>

#include <memory>

namespace milkyhoop::rag {
namespace {

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};
using StemmerPtr = std::unique_ptr<sb_stemmer, StemmerDeleter>;

sb_stemmer* ThreadStemmer(StemLanguage language) {
  thread_local StemmerPtr indonesian(sb_stemmer_new("indonesian", "UTF_8"));
  thread_local StemmerPtr english(sb_stemmer_new("english", "UTF_8"));
  return language == StemLanguage::kIndonesian ? indonesian.get() : english.get();
}

}  // namespace

std::string SnowballStem(StemLanguage language, std::string_view word) {
  sb_stemmer* stemmer = ThreadStemmer(language);
  if (stemmer == nullptr || word.empty()) return std::string(word);
  const sb_symbol* out = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
  if (out == nullptr) return std::string(word);  // out of memory inside libstemmer
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<std::size_t>(sb_stemmer_length(stemmer)));
}

}  // namespace milkyhoop::rag
