#include "chunker.hpp"

#include <algorithm>
#include <utility>

#include "normalize.hpp"
#include "utf8.hpp"

namespace milkyhoop::rag::ingest {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n'; }

bool IsSentenceEnd(std::string_view text, std::size_t i) {
  const char c = text[i];
  return (c == '.' || c == '!' || c == '?') && i + 1 < text.size() && IsSpace(text[i + 1]);
}

// Where to cut a paragraph grown past the pending bound: after the last sentence end or line
// break in its second half, else at the last space there, else at a code point boundary. Returns
// the cut and whether the byte there is whitespace (to be dropped).
std::pair<std::size_t, bool> FindCut(std::string_view text) {
  const std::size_t from = text.size() / 2;
  for (std::size_t i = text.size() - 1; i > from; --i) {
    if (text[i] == '\n') return {i, true};
    if (IsSentenceEnd(text, i)) return {i + 1, true};
  }
  for (std::size_t i = text.size() - 1; i > from; --i) {
    if (text[i] == ' ') return {i, true};
  }
  std::size_t cut = from;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return {cut, false};
}

}  // namespace

std::string_view TailWords(std::string_view text, std::size_t max_chars) {
  if (max_chars == 0) return {};
  const std::size_t n = CountCodePoints(text);
  std::size_t off = n <= max_chars ? 0 : ByteOffsetOfCodePoint(text, n - max_chars);
  if (off > 0 && !IsSpace(text[off - 1])) {
    while (off < text.size() && !IsSpace(text[off])) ++off;  // skip the cut word
  }
  while (off < text.size() && IsSpace(text[off])) ++off;
  return text.substr(off);
}

Status Chunker::CheckOptions(const ChunkerOptions& options) {
  if (options.max_chars < kMinChars) {
    return InvalidArgument("chunk max_chars must be at least " + std::to_string(kMinChars));
  }
  return Status::Ok();
}

Chunker::Chunker(const ChunkerOptions& options, const std::function<Status(Chunk&&)>& sink)
    : options_(options), sink_(sink) {
  options_.overlap_chars = std::min(options_.overlap_chars, options_.max_chars / 2);
}

Status Chunker::CountText(std::size_t bytes) {
  text_bytes_ += bytes;
  if (text_bytes_ > options_.max_text_bytes) {
    return ResourceExhausted("the document's text is larger than the limit of " +
                             std::to_string(options_.max_text_bytes) + " bytes");
  }
  return Status::Ok();
}

Status Chunker::Write(std::string_view raw) {
  MH_TRY(CountText(AppendNormalized(pending_, raw)));
  // A paragraph is bounded too: a file without blank lines must not be held whole.
  const std::size_t bound = std::max<std::size_t>(std::size_t{64} << 10, options_.max_chars * 16);
  if (pending_.size() > bound) MH_TRY(DrainPending());
  return Status::Ok();
}

Status Chunker::DrainPending() {
  const auto [cut, at_space] = FindCut(pending_);
  std::string_view head = std::string_view(pending_).substr(0, cut);
  while (!head.empty() && IsSpace(head.back())) head.remove_suffix(1);
  const std::string separator =
      pending_continues_ ? continuation_ : std::string(options_.paragraph_separator);
  MH_TRY(Pack(head, separator));
  continuation_ = at_space ? std::string(1, pending_[cut] == '\n' ? '\n' : ' ') : std::string();
  pending_continues_ = true;
  pending_.erase(0, cut + (at_space ? 1 : 0));
  return Status::Ok();
}

Status Chunker::LineBreak() {
  while (!pending_.empty() && pending_.back() == ' ') pending_.pop_back();
  if (!pending_.empty() && pending_.back() != '\n') {
    pending_.push_back('\n');
    MH_TRY(CountText(1));
  }
  return Status::Ok();
}

Status Chunker::EndParagraph() {
  TrimTrailingSpace(pending_);
  if (!pending_.empty()) {
    MH_TRY(Pack(pending_, pending_continues_ ? std::string_view(continuation_)
                                             : options_.paragraph_separator));
  }
  pending_.clear();
  pending_continues_ = false;
  return Status::Ok();
}

Status Chunker::Heading(int level, std::string_view raw_text) {
  MH_TRY(EndParagraph());
  MH_TRY(Flush());
  chunk_.clear();  // no overlap across sections
  chunk_chars_ = 0;
  std::string text = NormalizeLine(raw_text);
  text.resize(ByteOffsetOfCodePoint(text, kMaxHeadingChars));
  MH_TRY(CountText(text.size()));
  level = std::clamp(level, 1, 6);
  while (!headings_.empty() && headings_.back().level >= level) headings_.pop_back();
  if (!text.empty()) headings_.push_back({level, std::move(text)});
  heading_path_.clear();
  for (const Level& h : headings_) {
    if (!heading_path_.empty()) heading_path_ += " > ";
    heading_path_ += h.text;
  }
  return Status::Ok();
}

Status Chunker::Finish() {
  MH_TRY(EndParagraph());
  return Flush();
}

Status Chunker::Pack(std::string_view text, std::string_view separator) {
  if (CountCodePoints(text) <= options_.max_chars) return Append(text, separator);
  return PackSentences(text, separator);
}

Status Chunker::PackSentences(std::string_view text, std::string_view separator) {
  std::size_t start = 0;
  std::string_view sep = separator;
  while (start < text.size()) {
    std::size_t end = start;
    while (end < text.size() && text[end] != '\n' && !IsSentenceEnd(text, end)) ++end;
    if (end < text.size() && text[end] != '\n') ++end;  // keep the sentence's punctuation
    const std::string_view sentence = text.substr(start, end - start);
    if (!sentence.empty()) {
      if (CountCodePoints(sentence) <= options_.max_chars) {
        MH_TRY(Append(sentence, sep));
      } else {
        MH_TRY(PackWords(sentence, sep));
      }
    }
    sep = (end < text.size() && text[end] == '\n') ? "\n" : " ";
    start = end;
    while (start < text.size() && IsSpace(text[start])) ++start;
  }
  return Status::Ok();
}

Status Chunker::PackWords(std::string_view text, std::string_view separator) {
  std::string_view sep = separator;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(start, end - start);
    // A "word" longer than a chunk (a URL, a base64 blob) is cut at code points.
    while (!word.empty()) {
      const std::size_t take = ByteOffsetOfCodePoint(word, options_.max_chars);
      MH_TRY(Append(word.substr(0, take), sep));
      word.remove_prefix(take);
      sep = "";
    }
    sep = " ";
    start = end + 1;
  }
  return Status::Ok();
}

Status Chunker::Append(std::string_view unit, std::string_view separator) {
  const std::size_t unit_chars = CountCodePoints(unit);
  if (chunk_has_new_text_) {
    if (chunk_chars_ + separator.size() + unit_chars <= options_.max_chars) {
      chunk_.append(separator);
      chunk_.append(unit);
      chunk_chars_ += separator.size() + unit_chars;
      return Status::Ok();
    }
    MH_TRY(Flush());
  }
  // chunk_ holds at most the overlap now: keep as much of it as still fits beside the unit.
  if (!chunk_.empty() && chunk_chars_ + separator.size() + unit_chars > options_.max_chars) {
    const std::size_t need = separator.size() + unit_chars;
    chunk_ =
        std::string(TailWords(chunk_, options_.max_chars > need ? options_.max_chars - need : 0));
    chunk_chars_ = CountCodePoints(chunk_);
  }
  if (!chunk_.empty()) {
    chunk_.append(separator);
    chunk_chars_ += separator.size();
  }
  chunk_.append(unit);
  chunk_chars_ += unit_chars;
  chunk_has_new_text_ = true;
  return Status::Ok();
}

Status Chunker::CheckDeadline() const {
  if (std::chrono::steady_clock::now() >= options_.deadline) {
    return DeadlineExceeded("document took too long to process");
  }
  return Status::Ok();
}

Status Chunker::Flush() {
  if (!chunk_has_new_text_) return Status::Ok();
  MH_TRY(CheckDeadline());
  if (chunk_count_ >= options_.max_chunks) {
    return ResourceExhausted("the document makes more than " + std::to_string(options_.max_chunks) +
                             " chunks");
  }
  std::string overlap(TailWords(chunk_, options_.overlap_chars));
  Chunk chunk;
  chunk.ordinal = static_cast<int>(chunk_count_);
  chunk.heading = heading_path_;
  chunk.text = std::move(chunk_);
  chunk_ = std::move(overlap);
  chunk_chars_ = CountCodePoints(chunk_);
  chunk_has_new_text_ = false;
  ++chunk_count_;
  return sink_(std::move(chunk));
}

}  // namespace milkyhoop::rag::ingest
