#include "milkyhoop/http/event_stream.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::http {
namespace {

TEST(EventStreamTest, FormatsEventsAndMultilineData) {
  EventStream s;
  int wakes = 0;
  s.Attach([&] { ++wakes; });
  EXPECT_TRUE(s.Send("delta", "{\"text\":\"hai\"}"));
  EXPECT_TRUE(s.Send("", "line1\nline2"));
  auto b = s.Take();
  EXPECT_EQ(b.data, "event: delta\ndata: {\"text\":\"hai\"}\n\ndata: line1\ndata: line2\n\n");
  EXPECT_FALSE(b.closed);
  EXPECT_EQ(wakes, 2);
  s.Close();
  EXPECT_TRUE(s.Take().closed);
  EXPECT_FALSE(s.Send("x", "after close"));
}

TEST(EventStreamTest, CancelRunsCallbackOnceAndStopsProducer) {
  EventStream s;
  int cancelled = 0;
  s.OnCancel([&] { ++cancelled; });
  s.Cancel();
  s.Cancel();
  EXPECT_EQ(cancelled, 1);
  EXPECT_TRUE(s.cancelled());
  EXPECT_FALSE(s.Send("delta", "x"));
  int late = 0;
  s.OnCancel([&] { ++late; });  // registering after the fact still runs it
  EXPECT_EQ(late, 1);
}

TEST(EventStreamTest, SlowClientIsCutOff) {
  EventStream s(64);
  EXPECT_TRUE(s.Send("", std::string(20, 'a')));
  EXPECT_FALSE(s.Send("", std::string(80, 'b')));  // nobody drained the first: over the cap
  EXPECT_TRUE(s.cancelled());
}

}  // namespace
}  // namespace milkyhoop::http
