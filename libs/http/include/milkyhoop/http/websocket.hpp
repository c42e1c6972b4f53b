#pragma once
// A WebSocket connection, as a handler sees it: a channel to send text frames on from any
// thread, and a callback for each text message the client sends. A handler accepts an upgrade
// by returning Response::WebSocket(session); the server completes the handshake and runs the
// connection until either side closes it.
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace milkyhoop::http {

struct Request;

// Whether the request asks for a WebSocket (RFC 6455: GET, Connection: upgrade, Upgrade:
// websocket, Sec-WebSocket-Version 13, a Sec-WebSocket-Key).
bool IsWebSocketUpgrade(const Request& request);

class WebSocketChannel {
 public:
  explicit WebSocketChannel(std::size_t max_buffered_bytes = 1 << 20)
      : max_buffered_bytes_(max_buffered_bytes) {}

  // Queues one text frame. False when the connection is closed or closing, or the client reads
  // too slowly to keep up (then the connection is closed).
  bool Send(std::string text);
  // Closes the connection once the queued frames are written: normal closure, or "going
  // away" (1001) when the server is stopping.
  void Close(bool going_away = false);
  bool closed() const;
  // Runs once, when the connection has ended (either side, or the server stopping).
  void OnClose(std::function<void()> callback);

  // --- connection side ---
  void Attach(std::function<void()> wake);
  struct Batch {
    std::deque<std::string> frames;
    bool close = false;  // the handler asked to close after these frames
    bool going_away = false;
  };
  Batch Take();
  // The connection is gone: later Sends fail, the OnClose callback runs.
  void Ended();

 private:
  mutable std::mutex mu_;
  std::deque<std::string> frames_;
  std::size_t buffered_bytes_ = 0;
  std::size_t max_buffered_bytes_;
  bool close_requested_ = false;
  bool going_away_ = false;
  bool ended_ = false;
  std::function<void()> wake_;
  std::function<void()> on_close_;
};

struct WebSocketSession {
  std::shared_ptr<WebSocketChannel> channel = std::make_shared<WebSocketChannel>();
  // Each text message of the client, in order, on the blocking pool; the next message is read
  // only once this returns. Binary messages are refused (the connection is closed).
  std::function<void(std::string_view text)> on_message;
  std::size_t max_message_bytes = 64u << 10;
};

}  // namespace milkyhoop::http
