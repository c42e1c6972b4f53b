#pragma once
// FAQs proposed from what setup collected, by templates per category family (offline, no LLM):
// only questions whose answers are facts the owner gave.
#include <string>
#include <vector>

#include "setup_facts.hpp"

namespace milkyhoop::assistant::setup {

struct BusinessFacts {
  std::string name;
  std::string category;
  std::string address;
  std::string phone;
  std::optional<Hours> hours;
  std::vector<ProductFact> products;
};

struct Faq {
  std::string question;
  std::string answer;
};

// At most 20: the profile questions, the catalogue, and up to 10 price questions.
std::vector<Faq> ProposeFaqs(const BusinessFacts& facts);

// "Warung Bu Sari adalah usaha makanan di Jl. Merdeka 10." — the business's description.
std::string Describe(const BusinessFacts& facts);

}  // namespace milkyhoop::assistant::setup
