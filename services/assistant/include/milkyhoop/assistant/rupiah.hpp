#pragma once
// Indonesian rupiah amounts: formatting for replies and parsing what owners type.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace milkyhoop::assistant {

// The largest amount ParseRupiah accepts (Rp 1 trillion): beyond any small shop's transaction.
inline constexpr std::int64_t kMaxRupiah = 1'000'000'000'000;

std::string FormatRupiah(std::int64_t amount);  // 1250000 → "Rp 1.250.000", -5000 → "-Rp 5.000"

// Parses one Indonesian amount: "45rb", "45 ribu", "45k", "1,5jt", "1.5jt", "12.500", "2 juta",
// "Rp 15.000", "15000"; nullopt if not an amount or out of range (> 10^12).
std::optional<std::int64_t> ParseRupiah(std::string_view text);

}  // namespace milkyhoop::assistant
