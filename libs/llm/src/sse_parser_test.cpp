#include "sse_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace milkyhoop::llm {
namespace {

std::vector<SseEvent> ParseInPieces(const std::vector<std::string_view>& pieces) {
  SseParser parser;
  std::vector<SseEvent> events;
  for (auto piece : pieces) {
    Status status = parser.Feed(piece, events);
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
  return events;
}

std::vector<std::string> Datas(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.data);
  return out;
}

// A stream with every feature the parser must handle: comments, CRLF, CR, LF, multi-line data,
// named events, a field without a colon, a leading space kept after the first one.
constexpr std::string_view kStream =
    ": keep-alive\r\n"
    "\r\n"
    "data: {\"a\":1}\r\n\r\n"
    "data:{\"b\":2}\n\n"
    "event: error\rdata: line one\rdata:  two\r\r"
    "id: 7\n"
    "retry: 10\n"
    "data\n\n"
    "data: [DONE]\n\n";

const std::vector<std::string> kExpected = {"{\"a\":1}", "{\"b\":2}", "line one\n two", "",
                                            "[DONE]"};

TEST(SseParserTest, ParsesAWholeStream) {
  auto events = ParseInPieces({kStream});
  EXPECT_EQ(Datas(events), kExpected);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[2].event, "error");
  EXPECT_EQ(events[3].event, "");  // the event name does not leak into the next event
}

TEST(SseParserTest, SameEventsWhateverByteTheStreamIsSplitAt) {
  for (std::size_t i = 0; i <= kStream.size(); ++i) {
    auto events = ParseInPieces({kStream.substr(0, i), kStream.substr(i)});
    ASSERT_EQ(Datas(events), kExpected) << "split at " << i;
  }
}

TEST(SseParserTest, SameEventsWhenSplitTwice) {
  for (std::size_t i = 0; i <= kStream.size(); ++i) {
    for (std::size_t j = i; j <= kStream.size(); ++j) {
      auto events =
          ParseInPieces({kStream.substr(0, i), kStream.substr(i, j - i), kStream.substr(j)});
      ASSERT_EQ(Datas(events), kExpected) << "split at " << i << " and " << j;
    }
  }
}

TEST(SseParserTest, OneByteAtATime) {
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < kStream.size(); ++i) bytes.push_back(kStream.substr(i, 1));
  EXPECT_EQ(Datas(ParseInPieces(bytes)), kExpected);
}

TEST(SseParserTest, EventIsEmittedOnlyAtTheBlankLine) {
  SseParser parser;
  std::vector<SseEvent> events;
  ASSERT_TRUE(parser.Feed("data: x\n", events).ok());
  EXPECT_TRUE(events.empty());
  ASSERT_TRUE(parser.Feed("\n", events).ok());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x");
}

TEST(SseParserTest, CrLfSplitAcrossReadsEndsOneLineOnly) {
  // "data: x\r" | "\n" | "\r\n": had the LF been taken for a second line end, the event would
  // have been dispatched before the final CRLF (and an empty line would be swallowed).
  SseParser parser;
  std::vector<SseEvent> events;
  ASSERT_TRUE(parser.Feed("data: x\r", events).ok());
  ASSERT_TRUE(parser.Feed("\n", events).ok());
  EXPECT_TRUE(events.empty());
  ASSERT_TRUE(parser.Feed("\r\n", events).ok());
  ASSERT_EQ(events.size(), 1u);
}

TEST(SseParserTest, SkipsAByteOrderMarkEvenWhenSplit) {
  EXPECT_EQ(Datas(ParseInPieces({"\xEF", "\xBB",
                                 "\xBF"
                                 "data: a\n\n"})),
            std::vector<std::string>{"a"});
  EXPECT_EQ(Datas(ParseInPieces({"\xEF\xBB\xBF"
                                 "data: b\n\n"})),
            std::vector<std::string>{"b"});
}

TEST(SseParserTest, UnfinishedEventAtTheEndIsNotEmitted) {
  EXPECT_TRUE(ParseInPieces({"data: partial\n"}).empty());
}

TEST(SseParserTest, RefusesALineLongerThanTheLimit) {
  SseParser parser(16);
  std::vector<SseEvent> events;
  EXPECT_TRUE(parser.Feed("data: 0123456789", events).ok());
  Status status = parser.Feed("0123456789", events);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(parser.Feed("\n\n", events).ok());
}

TEST(SseParserTest, RefusesAnEventLargerThanTheLimitAcrossLines) {
  SseParser parser(16);
  std::vector<SseEvent> events;
  Status status = parser.Feed("data: 0123456789\ndata: 0123456789\n", events);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace milkyhoop::llm
