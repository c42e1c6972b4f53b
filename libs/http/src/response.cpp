#include "milkyhoop/http/response.hpp"

#include <algorithm>
#include <cctype>

#include "milkyhoop/http/event_stream.hpp"

namespace milkyhoop::http {

Response& Response::SetHeader(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      v = std::move(value);
      return *this;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string_view Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return v;
    }
  }
  return {};
}

Response Response::Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Response::Sse(std::shared_ptr<EventStream> stream) {
  Response r;
  r.status = 200;
  r.content_type = "text/event-stream";
  r.stream = std::move(stream);
  r.SetHeader("Cache-Control", "no-cache");
  r.SetHeader("X-Accel-Buffering", "no");  // tells nginx/HAProxy not to buffer the stream
  return r;
}

Response Response::WebSocket(std::shared_ptr<WebSocketSession> session) {
  Response r;
  r.status = 101;
  r.content_type.clear();
  r.websocket = std::move(session);
  return r;
}

}  // namespace milkyhoop::http
