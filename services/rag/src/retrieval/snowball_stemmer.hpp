#pragma once
// libstemmer (Snowball) behind a small thread-safe facade: a stemmer object is not safe to share
// between threads, so each thread lazily gets its own, per language.

#include <string>
#include <string_view>

namespace milkyhoop::rag {

enum class StemLanguage { kIndonesian, kEnglish };

// The Snowball stem of a lower-case UTF-8 word; the word itself if the stemmer is unavailable.
std::string SnowballStem(StemLanguage language, std::string_view word);

}  // namespace milkyhoop::rag
