#pragma once
// The server side of a WebSocket connection, after a handler accepted the upgrade: the
// handshake, then a reader (client messages to the session's handler, in order, on the
// blocking pool) and a writer (the channel's frames, as they are queued) until either side
// closes. Kept apart from server.cpp so Beast's WebSocket code is compiled once.
#include "asio.hpp"
#include "milkyhoop/http/response.hpp"

namespace milkyhoop::http {

struct WebSocketLimits {
  std::chrono::seconds handshake_timeout{10};
  // No frame from the client for this long: a ping; no answer: the connection is closed.
  std::chrono::seconds idle_timeout{60};
};

asio::awaitable<void> RunWebSocket(beast::tcp_stream& stream,
                                   bhttp::request<bhttp::string_body> request,
                                   const Response& accepted, asio::thread_pool& pool,
                                   const WebSocketLimits& limits);

}  // namespace milkyhoop::http
