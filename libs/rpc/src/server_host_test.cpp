#include "milkyhoop/rpc/server_host.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <grpcpp/channel.h>

#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/grpc_health_check.hpp"

namespace milkyhoop::rpc {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kDeadline{1000};

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address, ClientOptions options = {}) {
  Result<std::shared_ptr<grpc::Channel>> channel = MakeChannel(address, options);
  EXPECT_TRUE(channel.ok()) << channel.status().ToString();
  return channel.ok() ? *channel : nullptr;
}

// A fresh directory removed with the test.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("mh_rpc_test_" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

TEST(ServerHostTest, PortZeroPicksAFreePortAndServesStandardHealth) {
  ServerHost host({}, {});
  ASSERT_TRUE(host.Start().ok());
  EXPECT_GT(host.port(), 0);
  EXPECT_EQ(host.address(), "127.0.0.1:" + std::to_string(host.port()));

  auto channel = ChannelTo(host.address());
  const Status health = CheckGrpcHealth(*channel, kDeadline);
  EXPECT_TRUE(health.ok()) << health.ToString();
  host.Shutdown(milliseconds(100));
}

TEST(ServerHostTest, UnknownHealthServiceIsNotFound) {
  ServerHost host({}, {});
  ASSERT_TRUE(host.Start().ok());
  auto channel = ChannelTo(host.address());
  EXPECT_EQ(CheckGrpcHealth(*channel, kDeadline, "no.such.Service").code(), StatusCode::kNotFound);
}

TEST(ServerHostTest, AfterShutdownCallsFailFastWithUnavailable) {
  ServerHost host({}, {});
  ASSERT_TRUE(host.Start().ok());
  auto channel = ChannelTo(host.address());
  ASSERT_TRUE(CheckGrpcHealth(*channel, kDeadline).ok());

  host.Shutdown(milliseconds(100));
  host.Shutdown(milliseconds(100));  // idempotent

  const auto start = steady_clock::now();
  const Status after = CheckGrpcHealth(*channel, milliseconds(1500));
  EXPECT_EQ(after.code(), StatusCode::kUnavailable) << after.ToString();
  EXPECT_LT(steady_clock::now() - start, milliseconds(1500));
}

TEST(ServerHostTest, PortInUseFailsStart) {
  ServerHost first({}, {});
  ASSERT_TRUE(first.Start().ok());
  ServerOptions same_port;
  same_port.address = first.address();
  ServerHost second(same_port, {});
  EXPECT_EQ(second.Start().code(), StatusCode::kUnavailable);
  EXPECT_EQ(second.port(), 0);
}

TEST(ServerHostTest, StartTwiceIsRefused) {
  ServerHost host({}, {});
  ASSERT_TRUE(host.Start().ok());
  EXPECT_EQ(host.Start().code(), StatusCode::kFailedPrecondition);
}

TEST(ServerHostTest, RejectsBadOptions) {
  ServerOptions no_port;
  no_port.address = "127.0.0.1";
  EXPECT_EQ(ServerHost(no_port, {}).Start().code(), StatusCode::kInvalidArgument);

  ServerOptions cert_only;
  cert_only.tls_cert_file = "/nonexistent/cert.pem";
  EXPECT_EQ(ServerHost(cert_only, {}).Start().code(), StatusCode::kInvalidArgument);

  ServerOptions ca_without_cert;
  ca_without_cert.tls_client_ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(ServerHost(ca_without_cert, {}).Start().code(), StatusCode::kInvalidArgument);

  ServerOptions missing_files;
  missing_files.tls_cert_file = "/nonexistent/cert.pem";
  missing_files.tls_key_file = "/nonexistent/key.pem";
  EXPECT_EQ(ServerHost(missing_files, {}).Start().code(), StatusCode::kFailedPrecondition);

  EXPECT_EQ(ServerHost({}, {nullptr}).Start().code(), StatusCode::kInvalidArgument);
}

TEST(ServerHostTest, NothingListeningIsUnavailableQuickly) {
  // Reserve a port, then free it so nothing listens there.
  std::string address;
  {
    ServerHost host({}, {});
    ASSERT_TRUE(host.Start().ok());
    address = host.address();
  }
  auto channel = ChannelTo(address);
  const auto start = steady_clock::now();
  EXPECT_EQ(CheckGrpcHealth(*channel, milliseconds(1500)).code(), StatusCode::kUnavailable);
  EXPECT_LT(steady_clock::now() - start, milliseconds(1500));
}

TEST(ServerHostTest, ServesTls) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl CLI";
  TempDir dir;
  const std::string cert = dir.File("cert.pem");
  const std::string key = dir.File("key.pem");
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
      " -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1"
      " -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);

  ServerOptions options;
  options.tls_cert_file = cert;
  options.tls_key_file = key;
  ServerHost host(options, {});
  ASSERT_TRUE(host.Start().ok());

  ClientOptions tls;
  tls.tls_root_cert_file = cert;
  tls.tls_server_name_override = "localhost";
  auto secure = ChannelTo(host.address(), tls);
  const Status health = CheckGrpcHealth(*secure, kDeadline);
  EXPECT_TRUE(health.ok()) << health.ToString();

  // A plaintext client cannot talk to a TLS server.
  auto plain = ChannelTo(host.address());
  EXPECT_EQ(CheckGrpcHealth(*plain, kDeadline).code(), StatusCode::kUnavailable);
}

TEST(ClientOptionsTest, MissingRootCertFileFails) {
  ClientOptions options;
  options.tls_root_cert_file = "/nonexistent/ca.pem";
  EXPECT_EQ(MakeChannel("127.0.0.1:1", options).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace milkyhoop::rpc
