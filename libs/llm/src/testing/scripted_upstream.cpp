#include "scripted_upstream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace milkyhoop::llm::testing {
namespace {

constexpr std::size_t kMaxRequestBytes = 1u << 20;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

}  // namespace

std::string DeltaJson(std::string_view content) {
  nlohmann::json chunk = {
      {"id", "chatcmpl-test"},
      {"object", "chat.completion.chunk"},
      {"choices", {{{"index", 0}, {"delta", {{"content", content}}}, {"finish_reason", nullptr}}}}};
  return chunk.dump();
}

bool UpstreamConnection::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool UpstreamConnection::WriteHead(int status, const std::vector<std::string>& headers,
                                   bool chunked) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " Scripted\r\n";
  for (const auto& h : headers) head += h + "\r\n";
  head += chunked ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n";
  head += "\r\n";
  return Write(head);
}

bool UpstreamConnection::WriteChunk(std::string_view data) {
  if (data.empty()) return true;
  char size[32];
  std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  return Write(std::string(size) + std::string(data) + "\r\n");
}

bool UpstreamConnection::WriteEvent(std::string_view payload) {
  return WriteChunk("data: " + std::string(payload) + "\n\n");
}

bool UpstreamConnection::WriteDelta(std::string_view content) {
  return WriteEvent(DeltaJson(content));
}

bool UpstreamConnection::WriteResponse(int status, std::string_view content_type,
                                       std::string_view body,
                                       const std::vector<std::string>& headers) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " Scripted\r\n";
  for (const auto& h : headers) head += h + "\r\n";
  head += "Content-Type: " + std::string(content_type) + "\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return Write(head + std::string(body));
}

bool UpstreamConnection::WaitClientClosed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0) return false;
    if (ready == 0) continue;
    const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return true;  // EOF or reset: the client hung up
  }
}

bool UpstreamConnection::ReadRequest() {
  char buf[4096];
  std::size_t header_end = std::string::npos;
  while ((header_end = buffered_.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0 || buffered_.size() > kMaxRequestBytes) return false;
    buffered_.append(buf, static_cast<std::size_t>(n));
  }
  std::string_view head(buffered_.data(), header_end);
  std::size_t line_end = head.find("\r\n");
  std::string_view first = head.substr(0, line_end);
  const std::size_t sp1 = first.find(' ');
  const std::size_t sp2 = first.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) return false;
  request_.method = std::string(first.substr(0, sp1));
  request_.target = std::string(first.substr(sp1 + 1, sp2 - sp1 - 1));
  while (line_end != std::string_view::npos && line_end < head.size()) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    std::string_view line = head.substr(
        start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    request_.headers[Lower(std::string(line.substr(0, colon)))] = Trim(line.substr(colon + 1));
  }
  std::size_t length = 0;
  if (auto it = request_.headers.find("content-length"); it != request_.headers.end()) {
    length = std::stoul(it->second);
  }
  if (length > kMaxRequestBytes) return false;
  std::string body = buffered_.substr(header_end + 4);
  while (body.size() < length) {
    const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    body.append(buf, static_cast<std::size_t>(n));
  }
  request_.body = body.substr(0, length);
  return true;
}

ScriptedUpstream::ScriptedUpstream(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket() failed");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 4096) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("bind/listen failed");
  }
  socklen_t len = sizeof(addr);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

ScriptedUpstream::~ScriptedUpstream() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  accept_thread_.join();
  ::close(listen_fd_);
  for (auto& t : workers_) t.join();
}

std::vector<UpstreamRequest> ScriptedUpstream::requests() {
  std::lock_guard lock(mu_);
  return requests_;
}

void ScriptedUpstream::AcceptLoop() {
  for (;;) {
    pollfd p{listen_fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, 20);
    if (stopping_) return;
    if (ready <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      if (stopping_) return;
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    connections_.fetch_add(1);
    std::lock_guard lock(mu_);
    workers_.emplace_back([this, fd] {
      UpstreamConnection connection(fd);
      if (connection.ReadRequest()) {
        {
          std::lock_guard lock(mu_);
          requests_.push_back(connection.request());
        }
        handler_(connection);
      }
      ::close(fd);
    });
  }
}

void Signal::Notify() {
  std::lock_guard lock(mu_);
  set_ = true;
  cv_.notify_all();
}

bool Signal::WaitFor(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [this] { return set_; });
}

void Counter::Increment() {
  std::lock_guard lock(mu_);
  ++value_;
  cv_.notify_all();
}

bool Counter::WaitAtLeast(int value, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return value_ >= value; });
}

int Counter::value() {
  std::lock_guard lock(mu_);
  return value_;
}

}  // namespace milkyhoop::llm::testing
