#pragma once
// Client of the standard grpc.health.v1 health checking service that every ServerHost serves.
// In the split shape the composition root probes each remote process with it, e.g.
//   health_probes.push_back({"auth", [channel] { return rpc::CheckGrpcHealth(*channel, 500ms); }});

#include <chrono>
#include <string>

#include "milkyhoop/core/status.hpp"

namespace grpc {
class Channel;
}  // namespace grpc

namespace milkyhoop::rpc {

// OK when the remote reports SERVING for `service` ("" is the whole server). kUnavailable when
// it is unreachable or NOT_SERVING (shutting down), kDeadlineExceeded when it does not answer in
// time, kNotFound when it does not know `service`.
Status CheckGrpcHealth(grpc::Channel& channel, std::chrono::milliseconds deadline,
                       const std::string& service = "");

}  // namespace milkyhoop::rpc
