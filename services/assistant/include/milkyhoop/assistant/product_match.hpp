#pragma once
// Matching the product name an owner typed or said to the business's catalogue.
#include <string>
#include <string_view>
#include <vector>

namespace milkyhoop::assistant {

struct CatalogueProduct {
  std::string id;
  std::string name;
};

struct ProductMatch {
  enum class Kind { kExact, kUnique, kAmbiguous, kNone } kind = Kind::kNone;
  std::vector<CatalogueProduct> candidates;  // kExact/kUnique: one; kAmbiguous: the best ≤ 5
};

// Case/accent-insensitive; token containment ("kaos" matches "Kaos Polos Hitam" when it is the
// only kaos), plural/English forms, and typo tolerance (edit distance ≤ 1–2 by length).
// Bounded: names are compared on their first 200 bytes; the caller bounds the catalogue.
ProductMatch MatchProduct(std::string_view spoken, const std::vector<CatalogueProduct>& catalogue);

}  // namespace milkyhoop::assistant
