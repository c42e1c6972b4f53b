#include "setup_llm_faqs.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "milkyhoop/assistant/rupiah.hpp"
#include "milkyhoop/core/text_validation.hpp"

namespace milkyhoop::assistant::setup {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxQuestionChars = 200;
constexpr std::size_t kMaxAnswerChars = 600;
constexpr std::size_t kMaxProductsGiven = 30;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// Letters and digits only, lower-cased: "Jam berapa buka?" and "jam berapa buka" are one question.
std::string Key(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (std::isalnum(static_cast<unsigned char>(ch)) || (static_cast<unsigned char>(ch) & 0x80)) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  return out;
}

// Every number in the text as its digits, separators inside it dropped: "Rp 18.000" → 18000,
// "08.00–21.00" → 0800 and 2100, "0812-3456" → 0812 and 3456.
std::set<std::string> Numbers(std::string_view text) {
  std::set<std::string> out;
  std::string run;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (std::isdigit(static_cast<unsigned char>(ch))) {
      run += ch;
      continue;
    }
    const bool separator_inside = (ch == '.' || ch == ',') && !run.empty() && i + 1 < text.size() &&
                                  std::isdigit(static_cast<unsigned char>(text[i + 1]));
    if (separator_inside) continue;
    if (!run.empty()) out.insert(std::move(run));
    run.clear();
  }
  if (!run.empty()) out.insert(std::move(run));
  return out;
}

// The facts an answer must repeat one of, lower-cased. Not the name: "<name> menerima QRIS" names
// the business and still invents a fact.
std::vector<std::string> Anchors(const BusinessFacts& f) {
  std::vector<std::string> out;
  for (const std::string* s : {&f.category, &f.address, &f.phone}) {
    if (!s->empty()) out.push_back(Lower(*s));
  }
  if (f.hours) out.push_back(Lower(f.hours->text));
  for (const ProductFact& p : f.products) out.push_back(Lower(p.name));
  return out;
}

}  // namespace

std::string FactsText(const BusinessFacts& f) {
  std::string out = "Nama: " + f.name + "\n";
  if (!f.category.empty()) out += "Kategori: " + f.category + "\n";
  if (!f.address.empty()) out += "Alamat: " + f.address + "\n";
  if (f.hours) out += "Jam buka: " + f.hours->text + "\n";
  if (!f.phone.empty()) out += "Telepon/WhatsApp: " + f.phone + "\n";
  if (!f.products.empty()) {
    out += "Produk dan harga:";
    for (std::size_t i = 0; i < f.products.size() && i < kMaxProductsGiven; ++i) {
      out += (i > 0 ? "; " : " ") + f.products[i].name + " " + FormatRupiah(f.products[i].price);
    }
    out += "\n";
  }
  return out;
}

const std::string& LlmFaqSchemaJson() {
  static const std::string schema = json{
      {"type", "object"},
      {"properties",
       {{"faqs",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties", {{"question", {{"type", "string"}}}, {"answer", {{"type", "string"}}}}},
            {"required", {"question", "answer"}},
            {"additionalProperties", false}}}}}}},
      {"required", {"faqs"}},
      {"additionalProperties", false}}.dump();
  return schema;
}

const std::string& LlmFaqSystemPrompt() {
  static const std::string prompt =
      "You write FAQs for the customer chatbot of a small Indonesian business. Given the "
      "business's facts, write up to 5 questions its customers would really ask in chat, in "
      "casual Indonesian, each with a short, friendly answer in Indonesian that uses ONLY the "
      "facts given. Never invent a price, time, number, service, promotion, payment method or "
      "delivery option that the facts do not state; when the facts cannot answer a question, do "
      "not write it. Repeat the exact figures of the facts (\"Rp 18.000\", \"08.00–21.00\"). "
      "Answer as JSON: {\"faqs\": [{\"question\": \"...\", \"answer\": \"...\"}]}.";
  return prompt;
}

std::vector<ProposedFaq> ReadLlmFaqAnswer(std::string_view answer) {
  const json root = json::parse(answer, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return {};
  const auto faqs = root.find("faqs");
  if (faqs == root.end() || !faqs->is_array()) return {};
  std::vector<ProposedFaq> out;
  for (const json& entry : *faqs) {
    if (!entry.is_object()) continue;
    const auto q = entry.find("question");
    const auto a = entry.find("answer");
    if (q == entry.end() || a == entry.end() || !q->is_string() || !a->is_string()) continue;
    out.push_back({q->get<std::string>(), a->get<std::string>()});
  }
  return out;
}

std::vector<Faq> CheckedLlmFaqs(const BusinessFacts& facts,
                                const std::vector<ProposedFaq>& proposed,
                                const std::vector<Faq>& existing) {
  const std::set<std::string> known_numbers = Numbers(FactsText(facts));
  const std::vector<std::string> anchors = Anchors(facts);
  std::set<std::string> asked;
  for (const Faq& f : existing) asked.insert(Key(f.question));

  std::vector<Faq> out;
  for (const ProposedFaq& p : proposed) {
    if (out.size() >= kMaxLlmFaqs) break;
    auto question = ValidateText("question", p.question, kMaxQuestionChars, true);
    auto answer = ValidateText("answer", p.answer, kMaxAnswerChars, true);
    if (!question.ok() || !answer.ok() || question->size() < 5) continue;
    bool invented = false;
    for (const std::string& n : Numbers(*question + " " + *answer)) {
      if (!known_numbers.contains(n)) invented = true;
    }
    if (invented) continue;
    const std::string lower = Lower(*answer);
    if (std::none_of(anchors.begin(), anchors.end(),
                     [&](const std::string& a) { return lower.find(a) != std::string::npos; })) {
      continue;
    }
    if (!asked.insert(Key(*question)).second) continue;
    out.push_back({std::move(*question), std::move(*answer)});
  }
  return out;
}

}  // namespace milkyhoop::assistant::setup
