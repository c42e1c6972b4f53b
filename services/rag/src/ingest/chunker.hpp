#pragma once
// Turns the structure extractors find (headings, paragraphs, lines) into bounded chunks, emitted
// to the sink as soon as each is full, so memory holds one chunk and one paragraph at most.
//
// Rules: a chunk never spans two headings' sections; paragraphs are packed up to max_chars code
// points; a longer paragraph is split at sentence ends, then at spaces, then (one giant word) at
// code points; consecutive chunks of one section overlap by at most overlap_chars, in whole words.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/rag/ingest.hpp"

namespace milkyhoop::rag::ingest {

struct ChunkerOptions {
  std::size_t max_chars = 1200;
  std::size_t overlap_chars = 150;  // clamped to max_chars / 2
  std::size_t max_text_bytes = 16u << 20;
  std::size_t max_chunks = 50'000;
  // Between paragraphs packed into one chunk: a blank line for prose, "\n" for CSV rows.
  std::string_view paragraph_separator = "\n\n";
  // Past this point ingestion stops with kDeadlineExceeded.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

class Chunker {
 public:
  static constexpr std::size_t kMinChars = 16;
  static constexpr std::size_t kMaxHeadingChars = 200;

  // kInvalidArgument when max_chars < kMinChars.
  static Status CheckOptions(const ChunkerOptions& options);

  Chunker(const ChunkerOptions& options, const std::function<Status(Chunk&&)>& sink);

  // Text of the current paragraph. Raw whitespace, newlines included, collapses to one space.
  Status Write(std::string_view raw);
  // A line break kept inside the current paragraph (table rows, list items, code, CSV rows).
  Status LineBreak();
  Status EndParagraph();
  // Starts a section. Headings nest by level (1 outermost): the path of the current heading and
  // the shallower ones above it becomes each chunk's heading ("Harga > Paket kiloan").
  Status Heading(int level, std::string_view raw_text);
  // Emits what is left.
  Status Finish();

  // kDeadlineExceeded once the deadline has passed. Checked before each chunk is emitted;
  // extractors doing long work between chunks (PDF pages) call it too.
  Status CheckDeadline() const;

  std::size_t chunk_count() const { return chunk_count_; }
  std::size_t text_bytes() const { return text_bytes_; }

 private:
  struct Level {
    int level;
    std::string text;
  };

  Status CountText(std::size_t bytes);
  // Packs one piece of a paragraph, splitting it when it is longer than a chunk. `separator`
  // joins it to what comes before it in the chunk.
  Status Pack(std::string_view text, std::string_view separator);
  Status PackSentences(std::string_view text, std::string_view separator);
  Status PackWords(std::string_view text, std::string_view separator);
  // Appends a unit of at most max_chars code points, flushing first when it does not fit.
  Status Append(std::string_view unit, std::string_view separator);
  Status Flush();
  // Splits off and packs the head of a paragraph grown past the pending bound.
  Status DrainPending();

  ChunkerOptions options_;
  const std::function<Status(Chunk&&)>& sink_;
  std::vector<Level> headings_;
  std::string heading_path_;
  std::string pending_;       // the current paragraph, normalised
  std::string continuation_;  // separator before pending_ when it continues a paragraph
  bool pending_continues_ = false;
  std::string chunk_;  // the chunk being filled (may start with overlap)
  std::size_t chunk_chars_ = 0;
  bool chunk_has_new_text_ = false;  // more than the overlap carried from the previous chunk
  std::size_t chunk_count_ = 0;
  std::size_t text_bytes_ = 0;
};

// The tail of `text` with at most `max_chars` code points, starting at a word.
std::string_view TailWords(std::string_view text, std::size_t max_chars);

}  // namespace milkyhoop::rag::ingest
