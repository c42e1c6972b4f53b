#pragma once
// Number <-> text conversions shared by Rows and the PostgreSQL adapter (which speaks text on
// the wire). Locale-independent (std::to_chars / from_chars) so the process locale can never
// turn 0.5 into "0,5".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace milkyhoop::sql::internal {

std::string FormatInt(std::int64_t value);
// The shortest text that parses back to the same double; "Infinity", "-Infinity" and "NaN"
// (the spellings PostgreSQL prints and accepts) for the non-finite values.
std::string FormatReal(double value);
// The whole text must be the number; anything else is nullopt.
std::optional<std::int64_t> ParseInt(std::string_view text);
std::optional<double> ParseReal(std::string_view text);

}  // namespace milkyhoop::sql::internal
