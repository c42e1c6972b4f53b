#include "milkyhoop/http/event_stream.hpp"

namespace milkyhoop::http {

bool EventStream::Append(std::string chunk) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (cancelled_ || closed_) return false;
    if (buffer_.size() + chunk.size() > max_buffered_bytes_) {
      cancelled_ = true;  // the client cannot keep up; stop producing for it
    } else {
      buffer_ += chunk;
    }
    wake = wake_;
  }
  if (wake) wake();
  return !cancelled();
}

bool EventStream::Send(std::string_view event, std::string_view data) {
  std::string chunk;
  chunk.reserve(event.size() + data.size() + 16);
  if (!event.empty()) {
    chunk += "event: ";
    chunk += event;
    chunk += '\n';
  }
  // One data: line per line of the payload, as the SSE format requires.
  std::size_t start = 0;
  while (true) {
    auto nl = data.find('\n', start);
    chunk += "data: ";
    chunk += data.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    chunk += '\n';
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  chunk += '\n';
  return Append(std::move(chunk));
}

bool EventStream::Comment(std::string_view text) {
  std::string chunk = ": ";
  chunk += text;
  chunk += "\n\n";
  return Append(std::move(chunk));
}

void EventStream::Close() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    wake = wake_;
  }
  if (wake) wake();
}

bool EventStream::cancelled() const {
  std::lock_guard lock(mu_);
  return cancelled_;
}

void EventStream::OnCancel(std::function<void()> callback) {
  bool run_now = false;
  {
    std::lock_guard lock(mu_);
    if (cancelled_)
      run_now = true;
    else
      on_cancel_ = std::move(callback);
  }
  if (run_now && callback) callback();
}

void EventStream::Attach(std::function<void()> wake) {
  std::lock_guard lock(mu_);
  wake_ = std::move(wake);
}

EventStream::Batch EventStream::Take() {
  std::lock_guard lock(mu_);
  Batch b;
  b.data.swap(buffer_);
  b.closed = closed_ || cancelled_;
  return b;
}

void EventStream::Cancel() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mu_);
    if (cancelled_ && !on_cancel_) return;
    cancelled_ = true;
    wake_ = nullptr;
    callback.swap(on_cancel_);
  }
  if (callback) callback();
}

}  // namespace milkyhoop::http
