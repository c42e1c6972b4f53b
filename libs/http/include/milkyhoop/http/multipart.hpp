#pragma once
// multipart/form-data (RFC 7578) request bodies, for file uploads. Parts are views into the
// body: a 20 MB upload is never copied.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::http {

struct MultipartPart {
  std::string name;          // form field name
  std::string filename;      // "" when not a file
  std::string content_type;  // "" when absent
  std::string_view data;     // view into the body: no copy
};

// Parses a multipart/form-data body (RFC 7578) given the request's Content-Type header value (the
// boundary parameter). kInvalidArgument naming the problem: no boundary, malformed headers, no
// closing delimiter, more than max_parts parts, a part header over 8 KiB.
//
// Also: the media type must be multipart/form-data; every part needs a Content-Disposition of
// form-data with a name; a filename keeps only its last path component (browsers on Windows
// may send "C:\Users\…\harga.pdf") and filename* (RFC 5987, UTF-8) is honoured; the preamble
// before the first delimiter and the epilogue after the last are ignored.
Result<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type_header,
                                                  std::string_view body,
                                                  std::size_t max_parts = 16);

// The value of one parameter of a header like Content-Type or Content-Disposition
// (`boundary`, `name`), unquoted; "" with *found = false when absent.
std::string HeaderParameter(std::string_view header_value, std::string_view parameter,
                            bool* found = nullptr);

}  // namespace milkyhoop::http
