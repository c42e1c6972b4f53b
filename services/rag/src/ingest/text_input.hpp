#pragma once
// Checks that the bytes of a text document (txt, md, html, csv) really are text, and gets them
// ready for extraction: byte-order mark removed, UTF-16 (Windows "Unicode" exports) converted to
// UTF-8.

#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::rag::ingest {

class TextInput {
 public:
  // kInvalidArgument "file is not text (…)" for binary content: a NUL byte, more than a few
  // control characters, or invalid UTF-8 in more than 2% of the bytes (a handful of stray legacy
  // bytes is tolerated; the normaliser decodes them as Windows-1252).
  static Result<TextInput> Prepare(std::string_view bytes);

  // The text to extract from: a view of the input, or of the converted copy.
  std::string_view text() const { return converted_ ? std::string_view(owned_) : borrowed_; }

 private:
  bool converted_ = false;
  std::string owned_;
  std::string_view borrowed_;
};

}  // namespace milkyhoop::rag::ingest
