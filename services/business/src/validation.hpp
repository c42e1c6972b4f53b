#pragma once
// Input rules of the business service. The gateway checks JSON types; these check values, and
// run again behind gRPC, so every caller gets the same answer. Each returns kInvalidArgument
// naming `field`.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "milkyhoop/business/v1/business.pb.h"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/core/text_validation.hpp"

namespace milkyhoop::business {

inline constexpr std::size_t kMaxNameChars = 120;
inline constexpr std::size_t kMaxShortTextChars = 120;  // category, unit, sku, payment method
inline constexpr std::size_t kMaxLongTextChars = 2000;  // description, address, note
inline constexpr std::size_t kMaxItems = 200;
inline constexpr std::int64_t kMaxQuantity = 1'000'000'000;
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;
// Transactions before this are typos, not history (2000-01-01T00:00:00Z).
inline constexpr std::int64_t kEarliestOccurredAtMs = 946'684'800'000;
// How far ahead of the server's clock a transaction may be dated (clock skew, time zones).
inline constexpr std::int64_t kMaxFutureMs = 24LL * 3600 * 1000;

// ValidateText and ValidatePageSize (milkyhoop/core/text_validation.hpp) serve here too.
using milkyhoop::ValidatePageSize;
using milkyhoop::ValidateText;

// One of the currencies a business may keep its books in (ISO 4217).
Status ValidateCurrency(std::string_view field, std::string_view currency);
Status ValidateLanguage(std::string_view field, std::string_view language);
Status ValidateOpeningHours(std::string_view field,
                            const google::protobuf::RepeatedPtrField<v1::OpeningHours>& hours);
// A Money of `currency` (the business's) whose amount is >= 0.
Status ValidateMoney(std::string_view field, const v1::Money& money, std::string_view currency);

// Opening hours as stored: "1 08:00 17:00;2 08:00 17:00".
std::string EncodeOpeningHours(const google::protobuf::RepeatedPtrField<v1::OpeningHours>& hours);
void DecodeOpeningHours(std::string_view text,
                        google::protobuf::RepeatedPtrField<v1::OpeningHours>* out);

}  // namespace milkyhoop::business
