#pragma once
// Setup mode's reading of a new owner's messages: the business's name, category, address,
// opening hours, phone and products with prices, from free Indonesian (or English) text. Rules
// only; a field asked for takes the whole answer when no label says otherwise.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace milkyhoop::assistant::setup {

// The fields setup collects, in the order it asks for them.
enum class Field { kName, kCategory, kAddress, kHours, kPhone, kProducts };
inline constexpr Field kAllFields[] = {Field::kName,  Field::kCategory, Field::kAddress,
                                       Field::kHours, Field::kPhone,    Field::kProducts};
std::string_view FieldName(Field field);  // "name", "category", …
std::optional<Field> ParseField(std::string_view name);

struct DayHours {
  int weekday = 1;    // 1 = Monday … 7 = Sunday
  std::string open;   // "HH:MM"
  std::string close;  // "HH:MM"
};

struct Hours {
  std::string text;  // "Senin–Minggu 08.00–21.00"
  std::vector<DayHours> week;
};

struct ProductFact {
  std::string name;
  std::int64_t price = 0;  // rupiah
};

struct Facts {
  std::optional<std::string> name;
  std::optional<std::string> category;
  std::optional<std::string> address;
  std::optional<Hours> hours;
  std::optional<std::string> phone;
  std::vector<ProductFact> products;
};

// The facts in `message`. `asking` is the field the assistant asked for last (if any): a
// message with no recognisable label answers it whole.
Facts ReadFacts(std::string_view message, std::optional<Field> asking);

// "lewati", "tidak ada", "skip", "-"…: the owner declines to give the field asked.
bool IsSkip(std::string_view message);

// Opening hours in a phrase: "setiap hari 08.00-21.00", "senin-sabtu jam 8 sampai 17",
// "buka jam 7 pagi - 9 malam"; nullopt when no time range is found.
std::optional<Hours> ReadHours(std::string_view text);

// "kopi susu 15rb, es teh 5rb dan roti bakar 12.000": products with a price each (≤ 50).
std::vector<ProductFact> ReadProducts(std::string_view text);

// A phone number (08…, +62…, 62…) with 9–15 digits, as "08…" / "+62…" without separators.
std::optional<std::string> ReadPhone(std::string_view text);

// The category a keyword in the text names ("warung makan" → "makanan", "laundry" → "laundry").
std::optional<std::string> ReadCategory(std::string_view text);

}  // namespace milkyhoop::assistant::setup
