#include "milkyhoop/rpc/status_mapping.hpp"

#include <gtest/gtest.h>

#include "milkyhoop/common/v1/error.pb.h"

namespace milkyhoop::rpc {
namespace {

TEST(StatusMappingTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(Status::Ok()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK, "health").ok());
}

TEST(StatusMappingTest, FieldErrorsSurviveTheRoundTrip) {
  Status original = InvalidArgument("request is invalid");
  original.WithField("email", "must be an email address").WithField("name", "is required");

  const grpc::Status wire = ToGrpcStatus(original);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wire.error_message(), "request is invalid");

  const Status back = FromGrpcStatus(wire, "auth");
  EXPECT_EQ(back.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(back.message(), "request is invalid");
  const std::vector<FieldError> expected = {{"email", "must be an email address"},
                                            {"name", "is required"}};
  EXPECT_EQ(back.field_errors(), expected);
}

TEST(StatusMappingTest, EveryCodeSurvivesTheRoundTripUnchanged) {
  for (int code = 1; code <= static_cast<int>(StatusCode::kUnauthenticated); ++code) {
    const Status original(static_cast<StatusCode>(code), "service said no");
    const grpc::Status wire = ToGrpcStatus(original);
    EXPECT_EQ(static_cast<int>(wire.error_code()), code);
    const Status back = FromGrpcStatus(wire, "auth");
    EXPECT_EQ(back.code(), original.code()) << StatusCodeName(original.code());
    // A service's own kUnavailable or kDeadlineExceeded keeps its message: only transport
    // errors are reworded.
    EXPECT_EQ(back.message(), "service said no");
    EXPECT_TRUE(back.field_errors().empty());
  }
}

TEST(StatusMappingTest, ErrorDetailIsAlwaysPresentSoServiceErrorsAreRecognised) {
  const grpc::Status wire = ToGrpcStatus(Unavailable("database down"));
  common::v1::ErrorDetail detail;
  ASSERT_TRUE(detail.ParseFromString(wire.error_details()));
  EXPECT_EQ(detail.code(), static_cast<std::uint32_t>(StatusCode::kUnavailable));
}

TEST(StatusMappingTest, TransportUnavailableNamesTheService) {
  const Status s = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect to all addresses"), "health");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "service health unavailable: failed to connect to all addresses");
}

TEST(StatusMappingTest, TransportDeadlineExceededKeepsItsCode) {
  const Status s =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded"), "rag");
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(s.message(), "service rag did not answer before the deadline");
}

TEST(StatusMappingTest, ServiceNotHostedAtTheAddressIsUnavailable) {
  const Status s = FromGrpcStatus(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, ""), "auth");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("service auth"), std::string::npos);
}

TEST(StatusMappingTest, OtherTransportErrorsKeepTheirCode) {
  const Status s =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "message too big"), "rag");
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), "service rag: message too big");
}

TEST(StatusMappingTest, GarbageDetailsAreTreatedAsTransport) {
  const Status s = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection reset", "\xff\xff\xff"), "auth");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "service auth unavailable: connection reset");
}

TEST(StatusMappingTest, UnknownGrpcCodeBecomesUnknown) {
  // 20 is outside gRPC's codes but inside the range grpc::StatusCode can hold (no UB).
  const Status s = FromGrpcStatus(grpc::Status(static_cast<grpc::StatusCode>(20), "odd"), "auth");
  EXPECT_EQ(s.code(), StatusCode::kUnknown);
}

}  // namespace
}  // namespace milkyhoop::rpc
