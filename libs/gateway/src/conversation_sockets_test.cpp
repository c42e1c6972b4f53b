#include "conversation_sockets.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::gateway::chatbot_routes {
namespace {

std::vector<std::string> Frames(http::WebSocketChannel& c) {
  auto batch = c.Take();
  return {batch.frames.begin(), batch.frames.end()};
}

TEST(ConversationSocketsTest, AReplyReachesEverySocketOfItsConversationOnly) {
  ConversationSockets sockets;
  auto a1 = std::make_shared<http::WebSocketChannel>();
  auto a2 = std::make_shared<http::WebSocketChannel>();
  auto b = std::make_shared<http::WebSocketChannel>();
  sockets.Follow("conv_a", a1);
  sockets.Follow("conv_a", a2);
  sockets.Follow("conv_b", b);
  EXPECT_EQ(sockets.Deliver("conv_a", "reply"), 2u);
  EXPECT_EQ(Frames(*a1), std::vector<std::string>{"reply"});
  EXPECT_EQ(Frames(*a2), std::vector<std::string>{"reply"});
  EXPECT_TRUE(Frames(*b).empty());
  EXPECT_EQ(sockets.Deliver("conv_none", "reply"), 0u);
}

TEST(ConversationSocketsTest, ASocketFollowsOnlyItsLatestConversation) {
  ConversationSockets sockets;
  auto c = std::make_shared<http::WebSocketChannel>();
  sockets.Follow("conv_a", c);
  sockets.Follow("conv_a", c);  // again: still once
  EXPECT_EQ(sockets.Deliver("conv_a", "x"), 1u);
  sockets.Follow("conv_b", c);
  EXPECT_EQ(sockets.Deliver("conv_a", "y"), 0u);
  EXPECT_EQ(sockets.Deliver("conv_b", "z"), 1u);
  EXPECT_EQ(sockets.size(), 1u);
}

TEST(ConversationSocketsTest, AClosedOrForgottenSocketGetsNothing) {
  ConversationSockets sockets;
  auto gone = std::make_shared<http::WebSocketChannel>();
  auto closed = std::make_shared<http::WebSocketChannel>();
  sockets.Follow("conv", gone);
  sockets.Follow("conv", closed);
  sockets.Forget(gone.get());
  closed->Ended();
  EXPECT_EQ(sockets.Deliver("conv", "x"), 0u);
  sockets.Forget(closed.get());
  EXPECT_EQ(sockets.size(), 0u);
}

}  // namespace
}  // namespace milkyhoop::gateway::chatbot_routes
