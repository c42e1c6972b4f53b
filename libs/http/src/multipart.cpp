#include "milkyhoop/http/multipart.hpp"

#include <algorithm>
#include <functional>

namespace milkyhoop::http {
namespace {

constexpr std::size_t kMaxPartHeaderBytes = 8 << 10;
constexpr std::size_t kMaxBoundary = 70;  // RFC 2046

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 5987 ext-value "UTF-8''%E2%82%AC%20harga.pdf" → "€ harga.pdf"; "" when not UTF-8 or
// malformed (the plain filename is used then).
std::string DecodeExtValue(std::string_view v) {
  const std::size_t q1 = v.find('\'');
  const std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos || Lower(v.substr(0, q1)) != "utf-8") return {};
  std::string out;
  for (std::size_t i = q2 + 1; i < v.size(); ++i) {
    if (v[i] != '%') {
      out.push_back(v[i]);
      continue;
    }
    if (i + 2 >= v.size() || HexValue(v[i + 1]) < 0 || HexValue(v[i + 2]) < 0) return {};
    out.push_back(static_cast<char>(HexValue(v[i + 1]) * 16 + HexValue(v[i + 2])));
    i += 2;
  }
  return out;
}

// "C:\Users\me\harga.pdf" → "harga.pdf": a form's file name is a name, never a path.
std::string BaseName(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? name : name.substr(slash + 1));
}

struct PartHeaders {
  std::string disposition;
  std::string content_type;
};

Status ParsePartHeaders(std::string_view block, PartHeaders& out) {
  std::string* last = nullptr;
  std::string ignored;
  std::size_t start = 0;
  while (start < block.size()) {
    std::size_t end = block.find("\r\n", start);
    if (end == std::string_view::npos) end = block.size();
    const std::string_view line = block.substr(start, end - start);
    start = end + 2;
    if (line.empty()) continue;
    if (line[0] == ' ' || line[0] == '\t') {
      // Obsolete line folding: the line continues the previous header's value.
      if (last == nullptr) return InvalidArgument("malformed multipart part header");
      *last += ' ';
      *last += Trim(line);
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return InvalidArgument("malformed multipart part header: no ':'");
    }
    const std::string name = Lower(Trim(line.substr(0, colon)));
    last = name == "content-disposition" ? &out.disposition
           : name == "content-type"      ? &out.content_type
                                         : &ignored;
    *last = std::string(Trim(line.substr(colon + 1)));
  }
  return Status::Ok();
}

}  // namespace

std::string HeaderParameter(std::string_view header_value, std::string_view parameter,
                            bool* found) {
  if (found != nullptr) *found = false;
  const std::string wanted = Lower(parameter);
  std::size_t i = header_value.find(';');
  while (i != std::string_view::npos && i < header_value.size()) {
    ++i;  // past ';'
    const std::size_t eq = header_value.find_first_of("=;", i);
    if (eq == std::string_view::npos) break;
    if (header_value[eq] == ';') {
      i = eq;
      continue;  // a parameter without a value
    }
    const std::string name = Lower(Trim(header_value.substr(i, eq - i)));
    std::size_t v = eq + 1;
    while (v < header_value.size() && (header_value[v] == ' ' || header_value[v] == '\t')) ++v;
    std::string value;
    if (v < header_value.size() && header_value[v] == '"') {
      // A quoted string. Only \" and \\ are escapes: browsers send Windows paths unescaped.
      for (++v; v < header_value.size() && header_value[v] != '"'; ++v) {
        if (header_value[v] == '\\' && v + 1 < header_value.size() &&
            (header_value[v + 1] == '"' || header_value[v + 1] == '\\')) {
          ++v;
        }
        value.push_back(header_value[v]);
      }
      i = header_value.find(';', v);
    } else {
      const std::size_t end = header_value.find(';', v);
      value = std::string(Trim(header_value.substr(
          v, end == std::string_view::npos ? std::string_view::npos : end - v)));
      i = end;
    }
    if (name == wanted) {
      if (found != nullptr) *found = true;
      return value;
    }
  }
  return {};
}

Result<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type_header,
                                                  std::string_view body, std::size_t max_parts) {
  const std::string type =
      Lower(Trim(content_type_header.substr(0, content_type_header.find(';'))));
  if (type != "multipart/form-data") {
    return InvalidArgument("Content-Type is not multipart/form-data");
  }
  bool found = false;
  const std::string boundary = HeaderParameter(content_type_header, "boundary", &found);
  if (!found || boundary.empty()) return InvalidArgument("multipart Content-Type has no boundary");
  if (boundary.size() > kMaxBoundary) {
    return InvalidArgument("multipart boundary is longer than 70 characters");
  }
  const std::string delimiter = "\r\n--" + boundary;
  const std::string_view dash_boundary = std::string_view(delimiter).substr(2);
  const std::boyer_moore_horspool_searcher find_delimiter(delimiter.begin(), delimiter.end());
  auto next_delimiter = [&](std::size_t from) -> std::size_t {
    const auto it =
        std::search(body.begin() + static_cast<std::ptrdiff_t>(from), body.end(), find_delimiter);
    return it == body.end() ? std::string_view::npos : static_cast<std::size_t>(it - body.begin());
  };

  // The first delimiter may open the body or follow a preamble.
  std::size_t pos;
  if (body.starts_with(dash_boundary)) {
    pos = dash_boundary.size();
  } else {
    const std::size_t first = next_delimiter(0);
    if (first == std::string_view::npos) {
      return InvalidArgument("multipart body has no delimiter for its boundary");
    }
    pos = first + delimiter.size();
  }

  std::vector<MultipartPart> parts;
  while (true) {
    if (body.substr(pos).starts_with("--")) return parts;  // the closing delimiter
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (!body.substr(pos).starts_with("\r\n")) {
      return InvalidArgument(pos >= body.size()
                                 ? "multipart body has no closing delimiter (truncated?)"
                                 : "malformed multipart delimiter line");
    }
    pos += 2;

    std::string_view header_block;
    std::size_t data_start;
    if (body.substr(pos).starts_with("\r\n")) {
      data_start = pos + 2;  // a part without headers
    } else {
      const std::string_view window = body.substr(pos, kMaxPartHeaderBytes + 4);
      const std::size_t end = window.find("\r\n\r\n");
      if (end == std::string_view::npos) {
        return InvalidArgument(window.size() > kMaxPartHeaderBytes
                                   ? "multipart part header is over 8 KiB"
                                   : "malformed multipart part headers (truncated?)");
      }
      header_block = window.substr(0, end);
      data_start = pos + end + 4;
    }
    if (parts.size() == max_parts) {
      return InvalidArgument("multipart body has more than " + std::to_string(max_parts) +
                             " parts");
    }
    PartHeaders headers;
    MH_TRY(ParsePartHeaders(header_block, headers));
    const std::string disposition_type =
        Lower(Trim(std::string_view(headers.disposition).substr(0, headers.disposition.find(';'))));
    if (disposition_type != "form-data") {
      return InvalidArgument("multipart part has no Content-Disposition: form-data");
    }
    MultipartPart part;
    part.name = HeaderParameter(headers.disposition, "name", &found);
    if (!found || part.name.empty()) return InvalidArgument("multipart part has no name");
    bool has_ext = false;
    const std::string ext_name = HeaderParameter(headers.disposition, "filename*", &has_ext);
    std::string filename = has_ext ? DecodeExtValue(ext_name) : std::string();
    if (filename.empty()) filename = HeaderParameter(headers.disposition, "filename");
    part.filename = BaseName(filename);
    part.content_type = headers.content_type;

    const std::size_t data_end = next_delimiter(data_start);
    if (data_end == std::string_view::npos) {
      return InvalidArgument("multipart body has no closing delimiter (truncated?)");
    }
    part.data = body.substr(data_start, data_end - data_start);
    parts.push_back(std::move(part));
    pos = data_end + delimiter.size();
  }
}

}  // namespace milkyhoop::http
