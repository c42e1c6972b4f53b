#include "health_registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace milkyhoop::health {
namespace {

std::vector<std::string> Names(const v1::GetStatesResponse& response) {
  std::vector<std::string> names;
  for (const v1::ServiceState& s : response.services()) names.push_back(s.name());
  return names;
}

TEST(HealthRegistryTest, FactoryRegistersProbesInOrder) {
  std::unique_ptr<HealthService> health = MakeHealthRegistry(
      "9.9.9", {{"database", [] { return Status::Ok(); }},
                {"cache", [] { return Unavailable("redis: connection refused"); }}});
  Result<v1::GetStatesResponse> states = health->GetStates({});
  ASSERT_TRUE(states.ok());
  EXPECT_EQ(states->version(), "9.9.9");
  EXPECT_EQ(Names(*states), (std::vector<std::string>{"database", "cache"}));
  EXPECT_EQ(states->services(1).state(), kStateDown);
}

TEST(HealthRegistryTest, AddingAKnownNameReplacesItsProbe) {
  HealthRegistry registry("v");
  registry.AddProbe("auth", [] { return Unavailable("starting"); });
  registry.AddProbe("org", [] { return Status::Ok(); });
  registry.AddProbe("auth", [] { return Status::Ok(); });
  Result<v1::GetStatesResponse> states = registry.GetStates({});
  ASSERT_TRUE(states.ok());
  EXPECT_EQ(Names(*states), (std::vector<std::string>{"auth", "org"}));
  EXPECT_EQ(states->services(0).state(), kStateUp);
}

TEST(HealthRegistryTest, EmptyProbeIsDown) {
  HealthRegistry registry("v");
  registry.AddProbe("auth", nullptr);
  Result<v1::GetStatesResponse> states = registry.GetStates({});
  ASSERT_TRUE(states.ok());
  EXPECT_EQ(states->services(0).state(), kStateDown);
}

TEST(HealthRegistryTest, ProbesMayBeAddedWhileStatesAreRead) {
  HealthRegistry registry("v");
  std::atomic<bool> stop = false;
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) {
    readers.emplace_back([&] {
      while (!stop) {
        Result<v1::GetStatesResponse> states = registry.GetStates({});
        EXPECT_TRUE(states.ok());
        for (const v1::ServiceState& s : states->services()) EXPECT_EQ(s.state(), kStateUp);
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    registry.AddProbe("probe" + std::to_string(i % 20), [] { return Status::Ok(); });
  }
  stop = true;
  for (std::thread& t : readers) t.join();
  Result<v1::GetStatesResponse> states = registry.GetStates({});
  ASSERT_TRUE(states.ok());
  EXPECT_EQ(states->services_size(), 20);
}

}  // namespace
}  // namespace milkyhoop::health
