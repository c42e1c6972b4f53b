#include "answer_text.hpp"

#include <vector>

#include "milkyhoop/chatbot/chatbot_service.hpp"

namespace milkyhoop::chatbot {

std::string TruncateUtf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Back up over continuation bytes (10xxxxxx) so no character is split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out(text.substr(0, cut));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "…";
}

std::string DefaultDeflection(std::string_view language, std::string_view business_name) {
  const std::string name = business_name.empty() ? std::string() : std::string(business_name);
  if (language == "en") {
    return "Sorry, I don't have information about that yet. Feel free to ask about " +
           (name.empty() ? std::string("our products and services") : name) +
           ", or type \"talk to a person\" to reach us directly.";
  }
  return "Maaf, saya belum punya informasi tentang itu. Silakan tanyakan seputar " +
         (name.empty() ? std::string("produk dan layanan kami") : name) +
         ", atau ketik \"bicara dengan admin\" untuk terhubung langsung.";
}

std::string HandoffNotice(std::string_view language) {
  if (language == "en") return "Connecting you to our team. Someone will reply here shortly.";
  return "Baik, kami hubungkan ke admin. Mohon tunggu, admin akan membalas di sini.";
}

std::string ExtractiveAnswer(const rag::v1::SearchResult& best) {
  if (best.source_type() == "faq") return best.text();
  std::string text = TruncateUtf8(best.text(), 600);
  if (best.title().empty()) return text;
  return best.title() + ": " + text;
}

std::vector<std::string> SplitIntoDeltas(std::string_view text, int words_per_delta) {
  std::vector<std::string> out;
  if (words_per_delta < 1) words_per_delta = 1;
  std::size_t start = 0;
  int words = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool space = text[i] == ' ' || text[i] == '\n' || text[i] == '\t';
    if (!space && !in_word) {
      // A new word begins: cut before it once the delta holds enough words.
      if (words == words_per_delta) {
        out.emplace_back(text.substr(start, i - start));
        start = i;
        words = 0;
      }
      ++words;
    }
    in_word = !space;
  }
  if (start < text.size()) out.emplace_back(text.substr(start));
  return out;
}

}  // namespace milkyhoop::chatbot
