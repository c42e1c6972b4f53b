#pragma once
// Text forms derived from names: the normalised name product search matches against, and the
// slug of a business. Both fold Latin letters with diacritics to ASCII ("Kopi Gayo Café" →
// "kopi gayo cafe") so a search without accents finds them and a slug stays URL-safe.

#include <string>
#include <string_view>

namespace milkyhoop::business {

// Lower-case ASCII letters and digits, every other run of characters (spaces, punctuation,
// symbols, scripts that do not fold) one space, trimmed. Accented Latin letters fold to their
// base letter (ß → ss, æ → ae). Invalid UTF-8 bytes count as separators.
std::string NormalizeName(std::string_view utf8);

// NormalizeName with '-' between words, cut at a word boundary to at most `max_len` bytes;
// "usaha" when nothing is left (a name in another script).
std::string SlugFromName(std::string_view utf8, std::size_t max_len = 48);

// [a-z0-9] words joined by single '-', 3..63 bytes.
bool IsValidSlug(std::string_view slug);

}  // namespace milkyhoop::business
