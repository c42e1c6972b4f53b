#include "milkyhoop/http/websocket.hpp"

#include <algorithm>
#include <cctype>

#include "milkyhoop/http/request.hpp"

namespace milkyhoop::http {
namespace {

bool ContainsTokenIgnoreCase(std::string_view list, std::string_view token) {
  // Comma-separated tokens, e.g. "keep-alive, Upgrade".
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.size() == token.size() &&
        std::equal(item.begin(), item.end(), token.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return true;
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool IsWebSocketUpgrade(const Request& request) {
  return request.method == "GET" &&
         ContainsTokenIgnoreCase(request.Header("connection"), "upgrade") &&
         ContainsTokenIgnoreCase(request.Header("upgrade"), "websocket") &&
         request.Header("sec-websocket-version") == "13" &&
         !request.Header("sec-websocket-key").empty();
}

bool WebSocketChannel::Send(std::string text) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (ended_ || close_requested_) return false;
    if (buffered_bytes_ + text.size() > max_buffered_bytes_) {
      // A client that does not read: stop queueing for it and close.
      close_requested_ = true;
      frames_.clear();
      buffered_bytes_ = 0;
    } else {
      buffered_bytes_ += text.size();
      frames_.push_back(std::move(text));
    }
    wake = wake_;
  }
  if (wake) wake();
  std::lock_guard lock(mu_);
  return !close_requested_;
}

void WebSocketChannel::Close(bool going_away) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (ended_ || close_requested_) return;
    close_requested_ = true;
    going_away_ = going_away;
    wake = wake_;
  }
  if (wake) wake();
}

bool WebSocketChannel::closed() const {
  std::lock_guard lock(mu_);
  return ended_ || close_requested_;
}

void WebSocketChannel::OnClose(std::function<void()> callback) {
  bool run_now = false;
  {
    std::lock_guard lock(mu_);
    if (ended_) {
      run_now = true;
    } else {
      on_close_ = std::move(callback);
    }
  }
  if (run_now && callback) callback();
}

void WebSocketChannel::Attach(std::function<void()> wake) {
  std::lock_guard lock(mu_);
  wake_ = std::move(wake);
}

WebSocketChannel::Batch WebSocketChannel::Take() {
  std::lock_guard lock(mu_);
  Batch batch;
  batch.frames.swap(frames_);
  buffered_bytes_ = 0;
  batch.close = close_requested_;
  batch.going_away = going_away_;
  return batch;
}

void WebSocketChannel::Ended() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mu_);
    if (ended_) return;
    ended_ = true;
    frames_.clear();
    buffered_bytes_ = 0;
    wake_ = nullptr;
    callback = std::move(on_close_);
  }
  if (callback) callback();
}

}  // namespace milkyhoop::http
