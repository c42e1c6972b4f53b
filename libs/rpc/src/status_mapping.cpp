#include "milkyhoop/rpc/status_mapping.hpp"

#include <string>

#include "milkyhoop/common/v1/error.pb.h"

namespace milkyhoop::rpc {
namespace {

constexpr int kMaxStatusCode = static_cast<int>(StatusCode::kUnauthenticated);

StatusCode CodeFromGrpc(grpc::StatusCode code) {
  const int value = static_cast<int>(code);
  if (value < 0 || value > kMaxStatusCode) return StatusCode::kUnknown;
  return static_cast<StatusCode>(value);
}

Status TransportStatus(const grpc::Status& status, std::string_view service) {
  std::string name(service.empty() ? std::string_view("remote") : service);
  const std::string& why = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return Unavailable("service " + name + " unavailable: " + why);
    case grpc::StatusCode::UNIMPLEMENTED:
      // The process at the address answered but does not host this service: a deployment
      // mistake, which the caller experiences as the service being unavailable.
      return Unavailable("service " + name + " is not served at the address called: " + why);
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return DeadlineExceeded("service " + name + " did not answer before the deadline");
    case grpc::StatusCode::CANCELLED:
      return Status(StatusCode::kCancelled, "call to service " + name + " cancelled: " + why);
    default:
      return Status(CodeFromGrpc(status.error_code()), "service " + name + ": " + why);
  }
}

}  // namespace

grpc::Status ToGrpcStatus(const Status& status) {
  if (status.ok()) return grpc::Status::OK;
  common::v1::ErrorDetail detail;
  detail.set_code(static_cast<std::uint32_t>(status.code()));
  for (const FieldError& error : status.field_errors()) {
    common::v1::FieldViolation* violation = detail.add_field_violations();
    violation->set_field(error.field);
    violation->set_message(error.message);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), status.message(),
                      detail.SerializeAsString());
}

Status FromGrpcStatus(const grpc::Status& status, std::string_view service) {
  if (status.ok()) return Status::Ok();
  common::v1::ErrorDetail detail;
  const bool from_service = !status.error_details().empty() &&
                            detail.ParseFromString(status.error_details()) && detail.code() != 0;
  if (!from_service) return TransportStatus(status, service);
  // The gRPC code is authoritative; detail.code() only marks the status as the service's own.
  Status out(CodeFromGrpc(status.error_code()), status.error_message());
  for (const common::v1::FieldViolation& violation : detail.field_violations()) {
    out.WithField(violation.field(), violation.message());
  }
  return out;
}

}  // namespace milkyhoop::rpc
