#include "text_input.hpp"

#include <cstdint>

#include "utf8.hpp"

namespace milkyhoop::rag::ingest {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

Status NotText(std::string_view why) {
  return InvalidArgument("file is not text (" + std::string(why) + ")");
}

// UTF-16 with a byte-order mark → UTF-8. Unpaired surrogates become U+FFFD.
Result<std::string> Utf16ToUtf8(std::string_view bytes, bool little_endian) {
  if (bytes.size() % 2 != 0) return NotText("UTF-16 with an odd number of bytes");
  std::string out;
  out.reserve(bytes.size());
  auto unit = [&](std::size_t i) -> std::uint32_t {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const auto b = static_cast<unsigned char>(bytes[i + 1]);
    return little_endian ? (a | (b << 8)) : ((a << 8) | b);
  };
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    std::uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < bytes.size()) {
      const std::uint32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      } else {
        cp = 0xFFFD;
      }
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    AppendUtf8(out, cp);
  }
  return out;
}

Status CheckText(std::string_view text) {
  std::size_t controls = 0;
  std::size_t invalid = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x20 && b < 0x7F) {
      ++i;
      continue;
    }
    if (b == 0) return NotText("it contains NUL bytes; a binary file?");
    if (b < 0x80) {
      // Tab, line feed, vertical tab, form feed, carriage return and escape occur in real text
      // files; the other C0 controls and DEL do not.
      controls += !((b >= '\t' && b <= '\r') || b == 0x1B);
      ++i;
      continue;
    }
    if (DecodeUtf8(text, i) < 0) ++invalid;
  }
  // Small absolute allowances so a short file with one stray byte (a DOS end-of-file marker, a
  // Windows-1252 "é") still counts as text.
  if (controls > 2 && controls * 200 > text.size()) {
    return NotText("it contains control characters; a binary file?");
  }
  if (invalid > 4 && invalid * 50 > text.size()) {
    return NotText("it is not valid UTF-8; a binary file, or save it as UTF-8");
  }
  return Status::Ok();
}

}  // namespace

Result<TextInput> TextInput::Prepare(std::string_view bytes) {
  TextInput input;
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    MH_ASSIGN_OR_RETURN(input.owned_, Utf16ToUtf8(bytes.substr(2), bytes[0] == '\xFF'));
    input.converted_ = true;
  } else {
    if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
    input.borrowed_ = bytes;
  }
  MH_TRY(CheckText(input.text()));
  return input;
}

}  // namespace milkyhoop::rag::ingest
