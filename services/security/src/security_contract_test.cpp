// Contract of SecurityService, run against every way a caller can hold one: the implementation
// itself, and the implementation behind a real gRPC server and client (inline and on an
// executor). Then what only a network can do.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/channel.h>

#include "milkyhoop/crypto/blind_index.hpp"
#include "milkyhoop/crypto/envelope.hpp"
#include "milkyhoop/crypto/key_ring.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/testing/grpc_loopback.hpp"
#include "milkyhoop/security/security_grpc.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "security_service_impl.hpp"

namespace milkyhoop::security {
namespace {

using std::chrono::milliseconds;

constexpr char kContext[] = "auth.users.phone:usr_1";

// Runs each task on its own thread; joins them all on destruction.
class ThreadExecutor {
 public:
  ~ThreadExecutor() {
    std::lock_guard lock(mu_);
    for (std::thread& t : threads_) t.join();
  }
  rpc::Executor AsExecutor() {
    return [this](std::function<void()> task) {
      std::lock_guard lock(mu_);
      threads_.emplace_back(std::move(task));
    };
  }

 private:
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

// A SecurityService served by a real gRPC server on 127.0.0.1:0 and reached through a client.
struct GrpcLoopback : rpc::testing::GrpcLoopback<SecurityService> {
  explicit GrpcLoopback(SecurityService& impl, rpc::Executor executor = {})
      : rpc::testing::GrpcLoopback<SecurityService>(
            impl,
            [&executor](SecurityService& i) {
              return MakeSecurityGrpcService(i, std::move(executor));
            },
            [](auto channel) { return MakeSecurityGrpcClient(channel); }) {}
};

enum class Transport { kInProcess, kGrpc, kGrpcOnExecutor };

std::string TransportName(const testing::TestParamInfo<Transport>& info) {
  switch (info.param) {
    case Transport::kInProcess:
      return "InProcess";
    case Transport::kGrpc:
      return "Grpc";
    case Transport::kGrpcOnExecutor:
      return "GrpcOnExecutor";
  }
  return "Unknown";
}

std::vector<std::string> Fields(const Status& status) {
  std::vector<std::string> out;
  for (const FieldError& e : status.field_errors()) out.push_back(e.field);
  return out;
}

class SecurityContractTest : public testing::TestWithParam<Transport> {
 protected:
  void SetUp() override {
    switch (GetParam()) {
      case Transport::kInProcess:
        break;
      case Transport::kGrpc:
        loopback_ = std::make_unique<GrpcLoopback>(impl_);
        break;
      case Transport::kGrpcOnExecutor:
        loopback_ = std::make_unique<GrpcLoopback>(impl_, executor_.AsExecutor());
        break;
    }
  }

  SecurityService& Security() { return loopback_ ? loopback_->client() : impl_; }

  Result<v1::EncryptResponse> Encrypt(const std::string& plaintext,
                                      const std::string& context = kContext) {
    v1::EncryptRequest request;
    request.set_plaintext(plaintext);
    request.set_context(context);
    return Security().Encrypt(request);
  }
  Result<v1::DecryptResponse> Decrypt(const std::string& sealed,
                                      const std::string& context = kContext) {
    v1::DecryptRequest request;
    request.set_sealed(sealed);
    request.set_context(context);
    return Security().Decrypt(request);
  }
  Result<v1::RewrapResponse> Rewrap(const std::string& sealed) {
    v1::RewrapRequest request;
    request.set_sealed(sealed);
    return Security().Rewrap(request);
  }
  Result<v1::BlindIndexResponse> Index(const std::string& purpose, const std::string& value) {
    v1::BlindIndexRequest request;
    request.set_purpose(purpose);
    request.set_value(value);
    return Security().BlindIndex(request);
  }

  // The ring before the last rotation, and the current one, which the service holds.
  const crypto::KeyRing old_keys_ = crypto::KeyRing::Generate();
  const crypto::KeyRing keys_ = old_keys_.WithNewActiveKey();
  SecurityServiceImpl impl_{keys_};
  ThreadExecutor executor_;                 // outlives the server that queues work in it
  std::unique_ptr<GrpcLoopback> loopback_;  // destroyed first
};

TEST_P(SecurityContractTest, EncryptThenDecryptRoundTrips) {
  for (const std::string& plaintext :
       {std::string("+6281234567890"), std::string(), std::string("\0\xff\x01binary", 9),
        std::string(kMaxPlaintextBytes, 'x')}) {
    Result<v1::EncryptResponse> sealed = Encrypt(plaintext);
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    EXPECT_EQ(sealed->sealed().rfind("v1." + keys_.active().id + ".", 0), 0u);
    Result<v1::DecryptResponse> opened = Decrypt(sealed->sealed());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(opened->plaintext(), plaintext);
  }
}

TEST_P(SecurityContractTest, DecryptWithAnotherContextFailsOnSealed) {
  const std::string sealed = Encrypt("+6281234567890")->sealed();
  Result<v1::DecryptResponse> opened = Decrypt(sealed, "auth.users.phone:usr_2");
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(opened.status()), std::vector<std::string>{"sealed"});
}

TEST_P(SecurityContractTest, TamperedValuesFailOnSealed) {
  std::string sealed = Encrypt("secret")->sealed();
  sealed[sealed.size() - 3] = sealed[sealed.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Fields(Decrypt(sealed).status()), std::vector<std::string>{"sealed"});
  EXPECT_EQ(Fields(Decrypt("not-a-sealed-value").status()), std::vector<std::string>{"sealed"});
}

TEST_P(SecurityContractTest, EncryptValidatesContextAndPlaintext) {
  Result<v1::EncryptResponse> no_context = Encrypt("x", "");
  EXPECT_EQ(no_context.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(no_context.status()), std::vector<std::string>{"context"});
  EXPECT_EQ(no_context.status().message(), "context: is required");

  Result<v1::EncryptResponse> too_big = Encrypt(std::string(kMaxPlaintextBytes + 1, 'x'));
  EXPECT_EQ(too_big.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(too_big.status()), std::vector<std::string>{"plaintext"});

  EXPECT_EQ(Fields(Encrypt("x", std::string(kMaxContextBytes + 1, 'c')).status()),
            std::vector<std::string>{"context"});
  EXPECT_TRUE(Encrypt("x", std::string(kMaxContextBytes, 'c')).ok());
  EXPECT_EQ(Fields(Encrypt("x", "bad \xff utf-8").status()), std::vector<std::string>{"context"});
}

TEST_P(SecurityContractTest, DecryptValidatesItsFields) {
  Result<v1::DecryptResponse> empty = Decrypt("", "");
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(empty.status()), (std::vector<std::string>{"sealed", "context"}));
  EXPECT_EQ(Fields(Decrypt(Encrypt("x")->sealed(), "").status()),
            std::vector<std::string>{"context"});
  EXPECT_EQ(Fields(Decrypt(std::string(kMaxSealedBytes + 1, 'A')).status()),
            std::vector<std::string>{"sealed"});
  EXPECT_EQ(Fields(Decrypt("v1.\xc0\xaf").status()), std::vector<std::string>{"sealed"});
}

TEST_P(SecurityContractTest, ValuesSealedBeforeARotationStillDecrypt) {
  const std::string old_sealed = *crypto::Envelope(old_keys_).Seal("+628111", kContext);
  Result<v1::DecryptResponse> opened = Decrypt(old_sealed);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->plaintext(), "+628111");
}

TEST_P(SecurityContractTest, RewrapMovesAValueToTheActiveKey) {
  const std::string old_sealed = *crypto::Envelope(old_keys_).Seal("+628111", kContext);
  ASSERT_EQ(*crypto::Envelope::MasterKeyIdOf(old_sealed), old_keys_.active().id);
  Result<v1::RewrapResponse> rewrapped = Rewrap(old_sealed);
  ASSERT_TRUE(rewrapped.ok()) << rewrapped.status().ToString();
  EXPECT_EQ(*crypto::Envelope::MasterKeyIdOf(rewrapped->sealed()), keys_.active().id);
  EXPECT_EQ(Decrypt(rewrapped->sealed())->plaintext(), "+628111");
  // Idempotent once on the active key.
  EXPECT_EQ(Rewrap(rewrapped->sealed())->sealed(), rewrapped->sealed());
}

TEST_P(SecurityContractTest, RewrapValidatesAndReportsUnknownKeys) {
  EXPECT_EQ(Fields(Rewrap("").status()), std::vector<std::string>{"sealed"});
  EXPECT_EQ(Fields(Rewrap("v1.garbage").status()), std::vector<std::string>{"sealed"});
  const std::string foreign = *crypto::Envelope(crypto::KeyRing::Generate()).Seal("x", kContext);
  EXPECT_EQ(Rewrap(foreign).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Decrypt(foreign).status().code(), StatusCode::kFailedPrecondition);
}

TEST_P(SecurityContractTest, BlindIndexIsStableAndNormalised) {
  Result<v1::BlindIndexResponse> phone = Index("phone", "0812-3456-7890");
  ASSERT_TRUE(phone.ok()) << phone.status().ToString();
  EXPECT_EQ(phone->index().size(), 64u);
  EXPECT_EQ(Index("phone", "+62 812 3456 7890")->index(), phone->index());
  EXPECT_EQ(Index("phone", "6281234567890")->index(), phone->index());
  EXPECT_NE(Index("phone", "6281234567891")->index(), phone->index());

  const std::string email = Index("email", "Owner@Warung.Test")->index();
  EXPECT_EQ(Index("email", " owner@warung.test ")->index(), email);
  EXPECT_NE(Index("email", "other@warung.test")->index(), email);
}

TEST_P(SecurityContractTest, BlindIndexDoesNotChangeWithMasterKeyRotation) {
  // What the service computes now, with the rotated ring, equals what the ring before the
  // rotation computed: stored indexes keep matching.
  const std::string before = *crypto::BlindIndexer(old_keys_).Compute("email", "owner@warung.test");
  EXPECT_EQ(Index("email", "Owner@warung.test")->index(), before);
}

TEST_P(SecurityContractTest, BlindIndexValidatesPurposeAndValue) {
  Result<v1::BlindIndexResponse> unknown = Index("name", "Budi");
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(unknown.status()), std::vector<std::string>{"purpose"});
  EXPECT_EQ(Fields(Index("", "").status()), (std::vector<std::string>{"purpose", "value"}));
  EXPECT_EQ(Fields(Index("email", "").status()), std::vector<std::string>{"value"});
  EXPECT_EQ(Fields(Index("email", "not-an-email").status()), std::vector<std::string>{"value"});
  EXPECT_EQ(Fields(Index("phone", "12ab").status()), std::vector<std::string>{"value"});
  EXPECT_EQ(Fields(Index("email", std::string(321, 'a')).status()),
            std::vector<std::string>{"value"});
  EXPECT_EQ(Fields(Index("email", "\xff@x.test").status()), std::vector<std::string>{"value"});
}

TEST_P(SecurityContractTest, ConcurrentCallersAllGetAnswers) {
  constexpr int kThreads = 4;
  constexpr int kCallsEach = 25;
  std::vector<std::thread> callers;
  for (int t = 0; t < kThreads; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < kCallsEach; ++i) {
        const std::string plaintext = "value-" + std::to_string(t) + "-" + std::to_string(i);
        Result<v1::EncryptResponse> sealed = Encrypt(plaintext);
        ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
        Result<v1::DecryptResponse> opened = Decrypt(sealed->sealed());
        ASSERT_TRUE(opened.ok()) << opened.status().ToString();
        EXPECT_EQ(opened->plaintext(), plaintext);
      }
    });
  }
  for (std::thread& t : callers) t.join();
}

INSTANTIATE_TEST_SUITE_P(Transports, SecurityContractTest,
                         testing::Values(Transport::kInProcess, Transport::kGrpc,
                                         Transport::kGrpcOnExecutor),
                         TransportName);

// ---- Transport-only behaviour ----

TEST(SecurityGrpcTest, StoppedServerIsUnavailableQuickly) {
  SecurityServiceImpl impl(crypto::KeyRing::Generate());
  GrpcLoopback loopback(impl);
  loopback.host().Shutdown(milliseconds(100));
  v1::BlindIndexRequest request;
  request.set_purpose("email");
  request.set_value("a@b.test");
  const auto start = std::chrono::steady_clock::now();
  Result<v1::BlindIndexResponse> index = loopback.client().BlindIndex(request);
  EXPECT_EQ(index.status().code(), StatusCode::kUnavailable) << index.status().ToString();
  EXPECT_EQ(index.status().message().rfind("service security unavailable", 0), 0u)
      << index.status().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
}

TEST(SecurityGrpcTest, FactoryBuildsAWorkingImplementation) {
  std::unique_ptr<SecurityService> service = MakeSecurityService(crypto::KeyRing::Generate());
  v1::EncryptRequest request;
  request.set_plaintext("x");
  request.set_context("c");
  EXPECT_TRUE(service->Encrypt(request).ok());
}

}  // namespace
}  // namespace milkyhoop::security
