#pragma once
// A tiny blocking HTTP(S) server for the client's tests: one thread accepts, one thread per
// connection answers one request through a handler. TLS with a certificate made on the fly by a
// throw-away CA (TestPki), so the client's verification can be tested without the network.
#include "../asio.hpp"  // first: see the note there

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace milkyhoop::httpclient::testing {

using TestRequest = bhttp::request<bhttp::string_body>;
using TestResponse = bhttp::response<bhttp::string_body>;
using TestHandler = std::function<void(const TestRequest&, TestResponse&)>;

// A CA and a server certificate signed by it for the given DNS names and IP addresses.
struct TestPki {
  std::string ca_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
  static TestPki Make(const std::vector<std::string>& dns_names,
                      const std::vector<std::string>& ips);
};

class TestServer {
 public:
  // `pki` set → TLS with its server certificate.
  explicit TestServer(TestHandler handler, const TestPki* pki = nullptr);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return port_; }
  // Handlers may call WaitReleased() to hang until the test ends (or Release()).
  void WaitReleased();
  void Release();

 private:
  void AcceptLoop();
  void Serve(tcp::socket socket);

  TestHandler handler_;
  asio::io_context io_;
  std::unique_ptr<ssl::context> tls_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  std::thread accept_thread_;
};

// Writes `text` to a fresh file under the temp directory and returns its path.
std::filesystem::path WriteTempFile(const std::string& name, const std::string& text);

}  // namespace milkyhoop::httpclient::testing
