#pragma once
// The one place a milkyhoop::Status crosses the gRPC seam. Code and message map 1:1 (StatusCode
// uses the gRPC numbers); field errors travel as a milkyhoop.common.v1.ErrorDetail in
// grpc::Status::error_details. That detail is always present on a status a service produced, so
// the client side can tell a service's own error from one raised by the transport.

#include <string_view>

#include <grpcpp/support/status.h>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::rpc {

// Server side: the Status an implementation returned, ready for reactor->Finish().
grpc::Status ToGrpcStatus(const Status& status);

// Client side. A status produced by ToGrpcStatus comes back unchanged, field errors included.
// A transport failure (no ErrorDetail: connection refused, deadline, server not hosting the
// service) gets a message naming `service`, e.g. "service health unavailable: ...":
//   UNAVAILABLE, UNIMPLEMENTED -> kUnavailable   DEADLINE_EXCEEDED -> kDeadlineExceeded
//   CANCELLED -> kCancelled                       anything else keeps its code
Status FromGrpcStatus(const grpc::Status& status, std::string_view service = "remote");

}  // namespace milkyhoop::rpc
