#include <algorithm>
#include <array>
#include <string>

#include "extractors.hpp"
#include "html_entities.hpp"

namespace milkyhoop::rag::ingest {
namespace {

constexpr std::size_t kMaxTagName = 32;
constexpr std::size_t kMaxHeadingBytes = 1024;

// Elements whose content is not text for a reader.
constexpr std::array<std::string_view, 10> kDropped = {"script", "style", "noscript", "template",
                                                       "title",  "svg",   "math",     "iframe",
                                                       "object", "canvas"};

// Elements that end a paragraph where they open and where they close.
constexpr std::array<std::string_view, 31> kBlocks = {
    "address", "article", "aside",    "blockquote", "body",   "caption", "center", "details",
    "div",     "dl",      "fieldset", "figcaption", "figure", "footer",  "form",   "header",
    "hr",      "html",    "legend",   "main",       "nav",    "ol",      "p",      "section",
    "summary", "table",   "tbody",    "tfoot",      "thead",  "ul",      "hgroup"};

template <std::size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view name) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == ':';
}

// Index just past the '>' of the tag starting at `from`, skipping quoted attribute values.
std::size_t TagEnd(std::string_view s, std::size_t from) {
  for (std::size_t i = from; i < s.size(); ++i) {
    if (s[i] == '"' || s[i] == '\'') {
      const std::size_t close = s.find(s[i], i + 1);
      if (close == std::string_view::npos) return s.size();
      i = close;
    } else if (s[i] == '>') {
      return i + 1;
    }
  }
  return s.size();
}

// Index just past "</name…>" (case-insensitive) at or after `from`, or the end of the input.
std::size_t SkipPastClosing(std::string_view s, std::size_t from, std::string_view name) {
  for (std::size_t i = s.find("</", from); i != std::string_view::npos; i = s.find("</", i + 2)) {
    const std::size_t n = i + 2;
    if (s.size() - n < name.size()) break;
    bool match = true;
    for (std::size_t k = 0; k < name.size() && match; ++k) match = Lower(s[n + k]) == name[k];
    if (match && (n + name.size() == s.size() || !IsNameChar(s[n + name.size()]))) {
      return TagEnd(s, n + name.size());
    }
  }
  return s.size();
}

class HtmlExtractor {
 public:
  explicit HtmlExtractor(Chunker& chunker) : chunker_(chunker) {}

  Status Run(std::string_view s) {
    std::size_t i = 0;
    std::string decoded;
    while (i < s.size()) {
      const std::size_t special = s.find_first_of("<&", i);
      if (special != i) {
        const std::size_t end = special == std::string_view::npos ? s.size() : special;
        MH_TRY(Text(s.substr(i, end - i)));
        i = end;
        continue;
      }
      if (s[i] == '&') {
        decoded.clear();
        if (!DecodeHtmlEntity(s, i, decoded)) {
          ++i;
          MH_TRY(Text("&"));  // not a reference: the ampersand is text
          continue;
        }
        MH_TRY(Text(decoded));
        continue;
      }
      MH_TRY(Markup(s, i));
    }
    return FinishHeading();
  }

 private:
  // `s[i]` is '<': a comment, declaration, CDATA section or tag; advances `i` past it.
  Status Markup(std::string_view s, std::size_t& i) {
    const std::string_view rest = s.substr(i);
    if (rest.starts_with("<!--")) {
      const std::size_t end = s.find("-->", i + 4);
      i = end == std::string_view::npos ? s.size() : end + 3;
      return Status::Ok();
    }
    if (rest.starts_with("<![CDATA[")) {
      const std::size_t end = s.find("]]>", i + 9);
      const std::size_t stop = end == std::string_view::npos ? s.size() : end;
      MH_TRY(Text(s.substr(i + 9, stop - i - 9)));
      i = end == std::string_view::npos ? s.size() : end + 3;
      return Status::Ok();
    }
    if (rest.starts_with("<!") || rest.starts_with("<?")) {
      i = TagEnd(s, i + 2);
      return Status::Ok();
    }
    const bool closing = rest.starts_with("</");
    std::size_t n = i + (closing ? 2 : 1);
    std::string name;
    while (n < s.size() && IsNameChar(s[n]) && name.size() < kMaxTagName) name += Lower(s[n++]);
    if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) {
      ++i;
      return Text("<");  // "< 5 kg", "a<b": text
    }
    i = TagEnd(s, n);
    const bool self_closing = i >= 2 && s[i - 2] == '/';
    if (!closing && In(kDropped, name)) {
      if (!self_closing) i = SkipPastClosing(s, i, name);
      return Status::Ok();
    }
    return Tag(name, closing);
  }

  Status Tag(std::string_view name, bool closing) {
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
      MH_TRY(FinishHeading());
      if (!closing) heading_level_ = name[1] - '0';
      return Status::Ok();
    }
    if (name == "br") return heading_level_ > 0 ? Text(" ") : chunker_.LineBreak();
    if (name == "tr") {
      cells_in_row_ = 0;
      return chunker_.LineBreak();
    }
    if (name == "td" || name == "th") {
      if (!closing && cells_in_row_++ > 0) return chunker_.Write(" | ");
      return Status::Ok();
    }
    if (name == "li" || name == "dt" || name == "dd") return chunker_.LineBreak();
    if (name == "option" || name == "label" || name == "button") return Text(" ");
    if (name == "pre") {
      MH_TRY(FinishHeading());
      pre_depth_ = closing ? std::max(0, pre_depth_ - 1) : pre_depth_ + 1;
      return chunker_.EndParagraph();
    }
    if (In(kBlocks, name)) {
      MH_TRY(FinishHeading());  // a heading left open by sloppy markup ends at the next block
      return chunker_.EndParagraph();
    }
    return Status::Ok();
  }

  Status Text(std::string_view text) {
    if (heading_level_ > 0) {
      heading_.append(
          text.substr(0, kMaxHeadingBytes - std::min(kMaxHeadingBytes, heading_.size())));
      return Status::Ok();
    }
    if (pre_depth_ == 0) return chunker_.Write(text);
    // Preformatted text keeps its lines.
    std::size_t start = 0;
    for (std::size_t nl = text.find('\n'); nl != std::string_view::npos;
         nl = text.find('\n', start)) {
      MH_TRY(chunker_.Write(text.substr(start, nl - start)));
      MH_TRY(chunker_.LineBreak());
      start = nl + 1;
    }
    return chunker_.Write(text.substr(start));
  }

  Status FinishHeading() {
    if (heading_level_ == 0) return Status::Ok();
    const int level = heading_level_;
    heading_level_ = 0;
    MH_TRY(chunker_.Heading(level, heading_));
    heading_.clear();
    return Status::Ok();
  }

  Chunker& chunker_;
  int heading_level_ = 0;  // > 0 while inside <hN>
  std::string heading_;
  int pre_depth_ = 0;
  int cells_in_row_ = 0;
};

}  // namespace

Status ExtractHtml(std::string_view text, Chunker& chunker) {
  return HtmlExtractor(chunker).Run(text);
}

}  // namespace milkyhoop::rag::ingest
