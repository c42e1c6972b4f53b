// Contract of HealthService, run against every way a caller can hold one: the registry itself,
// and the registry behind a real gRPC server and client (inline and on an executor). Then the
// transport-only behaviour: dead or slow servers, and errors crossing the wire unchanged.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/impl/rpc_method.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/sync_stream.h>

#include "health_registry.hpp"
#include "milkyhoop/health/health_grpc.hpp"
#include "milkyhoop/health/health_service.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/testing/grpc_loopback.hpp"

namespace milkyhoop::health {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr char kVersion[] = "1.2.3-test";

// Runs each task on its own thread; joins them all on destruction. Stands in for the blocking
// pool of the real process.
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

// A HealthService served by a real gRPC server on 127.0.0.1:0 and reached through a client.
struct GrpcLoopback : rpc::testing::GrpcLoopback<HealthService> {
  GrpcLoopback(HealthService& impl, rpc::Executor executor = {},
               milliseconds deadline = rpc::kDefaultCallDeadline)
      : rpc::testing::GrpcLoopback<HealthService>(
            impl,
            [&executor](HealthService& i) { return MakeHealthGrpcService(i, std::move(executor)); },
            [deadline](auto channel) { return MakeHealthGrpcClient(channel, deadline); }) {}
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

class HealthContractTest : public testing::TestWithParam<Transport> {
 protected:
  void SetUp() override {
    switch (GetParam()) {
      case Transport::kInProcess:
        break;
      case Transport::kGrpc:
        loopback_ = std::make_unique<GrpcLoopback>(registry_);
        break;
      case Transport::kGrpcOnExecutor:
        loopback_ = std::make_unique<GrpcLoopback>(registry_, executor_.AsExecutor());
        break;
    }
  }

  // What a caller holds: the implementation or the gRPC client, depending on the parameter.
  HealthService& Health() { return loopback_ ? loopback_->client() : registry_; }

  v1::GetStatesResponse States() {
    Result<v1::GetStatesResponse> states = Health().GetStates({});
    EXPECT_TRUE(states.ok()) << states.status().ToString();
    return states.ok() ? *states : v1::GetStatesResponse();
  }

  HealthRegistry registry_{kVersion};
  ThreadExecutor executor_;                 // outlives the server that queues work in it
  std::unique_ptr<GrpcLoopback> loopback_;  // destroyed first
};

TEST_P(HealthContractTest, ReportsVersionAndNoServicesWithoutProbes) {
  const v1::GetStatesResponse states = States();
  EXPECT_EQ(states.version(), kVersion);
  EXPECT_EQ(states.services_size(), 0);
}

TEST_P(HealthContractTest, OkProbeIsUp) {
  registry_.AddProbe("database", [] { return Status::Ok(); });
  const v1::GetStatesResponse states = States();
  ASSERT_EQ(states.services_size(), 1);
  EXPECT_EQ(states.services(0).name(), "database");
  EXPECT_EQ(states.services(0).state(), kStateUp);
  EXPECT_EQ(states.services(0).detail(), "");
}

TEST_P(HealthContractTest, UnavailableProbeIsDownWithItsMessage) {
  registry_.AddProbe("cache", [] { return Unavailable("redis: connection refused"); });
  const v1::GetStatesResponse states = States();
  ASSERT_EQ(states.services_size(), 1);
  EXPECT_EQ(states.services(0).state(), kStateDown);
  EXPECT_EQ(states.services(0).detail(), "redis: connection refused");
}

TEST_P(HealthContractTest, OtherErrorsAreDegradedWithTheirMessage) {
  registry_.AddProbe("bus", [] { return ResourceExhausted("outbox backlog 12000"); });
  registry_.AddProbe("llm", [] { return DeadlineExceeded("slow answers"); });
  const v1::GetStatesResponse states = States();
  ASSERT_EQ(states.services_size(), 2);
  EXPECT_EQ(states.services(0).state(), kStateDegraded);
  EXPECT_EQ(states.services(0).detail(), "outbox backlog 12000");
  EXPECT_EQ(states.services(1).state(), kStateDegraded);
  EXPECT_EQ(states.services(1).detail(), "slow answers");
}

TEST_P(HealthContractTest, ThrowingProbeIsDown) {
  registry_.AddProbe("auth", []() -> Status { throw std::runtime_error("boom"); });
  const v1::GetStatesResponse states = States();
  ASSERT_EQ(states.services_size(), 1);
  EXPECT_EQ(states.services(0).state(), kStateDown);
  EXPECT_EQ(states.services(0).detail(), "probe threw: boom");
}

TEST_P(HealthContractTest, ServicesComeInRegistrationOrder) {
  registry_.AddProbe("auth", [] { return Status::Ok(); });
  registry_.AddProbe("org", [] { return Unavailable("down"); });
  registry_.AddProbe("rag", [] { return Internal("index rebuilding"); });
  const v1::GetStatesResponse states = States();
  ASSERT_EQ(states.services_size(), 3);
  EXPECT_EQ(states.services(0).name(), "auth");
  EXPECT_EQ(states.services(0).state(), kStateUp);
  EXPECT_EQ(states.services(1).name(), "org");
  EXPECT_EQ(states.services(1).state(), kStateDown);
  EXPECT_EQ(states.services(2).name(), "rag");
  EXPECT_EQ(states.services(2).state(), kStateDegraded);
}

TEST_P(HealthContractTest, ProbesRunOnEveryCall) {
  std::atomic<bool> up = false;
  registry_.AddProbe("auth", [&] { return up ? Status::Ok() : Unavailable("starting"); });
  EXPECT_EQ(States().services(0).state(), kStateDown);
  up = true;
  EXPECT_EQ(States().services(0).state(), kStateUp);
}

TEST_P(HealthContractTest, ConcurrentCallersAllGetAnswers) {
  std::atomic<int> probe_runs = 0;
  registry_.AddProbe("auth", [&] {
    ++probe_runs;
    return Status::Ok();
  });
  constexpr int kThreads = 4;
  constexpr int kCallsEach = 25;
  std::vector<std::thread> callers;
  for (int t = 0; t < kThreads; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < kCallsEach; ++i) {
        Result<v1::GetStatesResponse> states = Health().GetStates({});
        ASSERT_TRUE(states.ok()) << states.status().ToString();
        EXPECT_EQ(states->services(0).state(), kStateUp);
      }
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(probe_runs, kThreads * kCallsEach);
}

INSTANTIATE_TEST_SUITE_P(Transports, HealthContractTest,
                         testing::Values(Transport::kInProcess, Transport::kGrpc,
                                         Transport::kGrpcOnExecutor),
                         TransportName);

// ---- Transport-only behaviour ----

// A HealthService whose answer the test decides.
class ScriptedHealth final : public HealthService {
 public:
  explicit ScriptedHealth(std::function<Result<v1::GetStatesResponse>()> answer)
      : answer_(std::move(answer)) {}
  Result<v1::GetStatesResponse> GetStates(const v1::GetStatesRequest&) override {
    return answer_();
  }

 private:
  std::function<Result<v1::GetStatesResponse>()> answer_;
};

// Opens once; waiters block until then.
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

TEST(HealthGrpcTest, StoppedServerIsUnavailableQuickly) {
  HealthRegistry registry(kVersion);
  GrpcLoopback loopback(registry);
  ASSERT_TRUE(loopback.client().GetStates({}).ok());

  loopback.host().Shutdown(milliseconds(100));

  const auto start = steady_clock::now();
  Result<v1::GetStatesResponse> states = loopback.client().GetStates({});
  const auto elapsed = steady_clock::now() - start;
  ASSERT_FALSE(states.ok());
  EXPECT_EQ(states.status().code(), StatusCode::kUnavailable) << states.status().ToString();
  EXPECT_EQ(states.status().message().rfind("service health unavailable", 0), 0u)
      << states.status().message();
  EXPECT_LT(elapsed, milliseconds(2000));
}

TEST(HealthGrpcTest, NothingListeningIsUnavailableQuickly) {
  std::string address;
  {
    rpc::ServerHost reserve({}, {});
    ASSERT_TRUE(reserve.Start().ok());
    address = reserve.address();
  }
  Result<std::shared_ptr<grpc::Channel>> channel = rpc::MakeChannel(address);
  ASSERT_TRUE(channel.ok());
  std::unique_ptr<HealthService> client = MakeHealthGrpcClient(*channel);

  const auto start = steady_clock::now();
  Result<v1::GetStatesResponse> states = client->GetStates({});
  EXPECT_EQ(states.status().code(), StatusCode::kUnavailable);
  EXPECT_LT(steady_clock::now() - start, milliseconds(2000));
}

TEST(HealthGrpcTest, SlowServiceHitsTheCallDeadline) {
  Gate release;
  ScriptedHealth slow([&]() -> Result<v1::GetStatesResponse> {
    release.Wait();
    return v1::GetStatesResponse();
  });
  ThreadExecutor executor;
  GrpcLoopback loopback(slow, executor.AsExecutor(), milliseconds(200));

  const auto start = steady_clock::now();
  Result<v1::GetStatesResponse> states = loopback.client().GetStates({});
  const auto elapsed = steady_clock::now() - start;
  release.Open();  // lets the server finish the abandoned call so it can shut down

  EXPECT_EQ(states.status().code(), StatusCode::kDeadlineExceeded) << states.status().ToString();
  EXPECT_EQ(states.status().message(), "service health did not answer before the deadline");
  // gRPC keeps deadlines on a millisecond timer wheel that may fire a few ms early (seen: 198 ms
  // under load); what matters is that the call waited for its deadline rather than failing fast.
  EXPECT_GE(elapsed, milliseconds(180));
  EXPECT_LT(elapsed, milliseconds(2000));
}

TEST(HealthGrpcTest, ServiceErrorsCrossTheWireUnchanged) {
  ScriptedHealth failing([]() -> Result<v1::GetStatesResponse> {
    Status invalid = InvalidArgument("bad request");
    invalid.WithField("services", "unknown name").WithField("version", "too long");
    return invalid;
  });
  GrpcLoopback loopback(failing);

  Result<v1::GetStatesResponse> states = loopback.client().GetStates({});
  ASSERT_FALSE(states.ok());
  EXPECT_EQ(states.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(states.status().message(), "bad request");
  const std::vector<FieldError> expected = {{"services", "unknown name"}, {"version", "too long"}};
  EXPECT_EQ(states.status().field_errors(), expected);
}

TEST(HealthGrpcTest, ServiceUnavailableIsNotMistakenForTransport) {
  ScriptedHealth failing(
      []() -> Result<v1::GetStatesResponse> { return Unavailable("database down"); });
  GrpcLoopback loopback(failing);
  Result<v1::GetStatesResponse> states = loopback.client().GetStates({});
  EXPECT_EQ(states.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(states.status().message(), "database down");
}

TEST(HealthGrpcTest, ImplementationThatThrowsIsInternalNotACrash) {
  ScriptedHealth throwing([]() -> Result<v1::GetStatesResponse> { throw std::logic_error("bug"); });
  GrpcLoopback loopback(throwing);
  Result<v1::GetStatesResponse> states = loopback.client().GetStates({});
  EXPECT_EQ(states.status().code(), StatusCode::kInternal);
  EXPECT_EQ(states.status().message(), "internal error");
}

TEST(HealthGrpcTest, ExecutorThatRefusesWorkAnswersUnavailable) {
  HealthRegistry registry(kVersion);
  GrpcLoopback loopback(registry,
                        [](std::function<void()>) { throw std::runtime_error("pool stopped"); });
  Result<v1::GetStatesResponse> states = loopback.client().GetStates({});
  EXPECT_EQ(states.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(states.status().message(), "server busy");
}

// grpcurl and friends find the service through server reflection. grpc++ ships no stub for
// grpc.reflection.v1alpha, so the request is hand-encoded: ServerReflectionRequest with
// list_services = "" (field 7, length 0).
TEST(HealthGrpcTest, ReflectionListsTheHealthService) {
  HealthRegistry registry(kVersion);
  GrpcLoopback loopback(registry);
  Result<std::shared_ptr<grpc::Channel>> channel = rpc::MakeChannel(loopback.host().address());
  ASSERT_TRUE(channel.ok());

  grpc::ClientContext context;
  rpc::SetCallDeadline(context, milliseconds(2000));
  const grpc::internal::RpcMethod method(
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      grpc::internal::RpcMethod::BIDI_STREAMING);
  std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>> stream(
      grpc::internal::ClientReaderWriterFactory<grpc::ByteBuffer, grpc::ByteBuffer>::Create(
          channel->get(), method, &context));
  const std::string list_services("\x3a\x00", 2);
  grpc::Slice request_slice(list_services);
  ASSERT_TRUE(stream->Write(grpc::ByteBuffer(&request_slice, 1)));
  ASSERT_TRUE(stream->WritesDone());
  grpc::ByteBuffer response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_TRUE(stream->Finish().ok());

  grpc::Slice answer;
  ASSERT_TRUE(response.DumpToSingleSlice(&answer).ok());
  const std::string bytes(reinterpret_cast<const char*>(answer.begin()), answer.size());
  EXPECT_NE(bytes.find("milkyhoop.health.v1.HealthService"), std::string::npos);
  EXPECT_NE(bytes.find("grpc.health.v1.Health"), std::string::npos);
}

}  // namespace
}  // namespace milkyhoop::health
