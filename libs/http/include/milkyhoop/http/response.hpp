#pragma once
// What a handler returns: a buffered body, an event stream written as it is produced, or the
// acceptance of a WebSocket upgrade.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace milkyhoop::http {

class EventStream;
struct WebSocketSession;

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<EventStream> stream;  // set → Server-Sent Events, body ignored
  // Set → the server completes the WebSocket handshake (status 101) and runs the connection.
  std::shared_ptr<WebSocketSession> websocket;
  bool close_connection = false;

  Response& SetHeader(std::string name, std::string value);
  std::string_view Header(std::string_view name) const;

  static Response Json(int status, std::string body);
  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response NoContent();
  static Response Sse(std::shared_ptr<EventStream> stream);
  // Only for a request where IsWebSocketUpgrade() holds.
  static Response WebSocket(std::shared_ptr<WebSocketSession> session);
};

}  // namespace milkyhoop::http
