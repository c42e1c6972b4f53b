#include "milkyhoop/rpc/grpc_health_check.hpp"

#include <cstdint>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/impl/client_unary_call.h>
#include <grpcpp/impl/rpc_method.h>
#include <grpcpp/support/byte_buffer.h>

#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/status_mapping.hpp"

namespace milkyhoop::rpc {
namespace {

// grpc++ ships the health service but no client stub for it, and its messages are two fields,
// so they are encoded by hand instead of vendoring grpc/health/v1/health.proto into proto/
// (whose descriptors could then clash with another copy linked into the process).
constexpr char kCheckMethod[] = "/grpc.health.v1.Health/Check";
constexpr std::uint32_t kServiceFieldTag = (1 << 3) | 2;  // HealthCheckRequest.service, bytes
constexpr std::uint32_t kStatusFieldTag = (1 << 3) | 0;   // HealthCheckResponse.status, varint
enum ServingStatus : std::uint32_t { kUnknownStatus = 0, kServing = 1, kNotServing = 2 };

std::string EncodeRequest(const std::string& service) {
  std::string out;
  if (service.empty()) return out;  // proto3 omits a default string
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.WriteTag(kServiceFieldTag);
  coded.WriteVarint32(static_cast<std::uint32_t>(service.size()));
  coded.WriteString(service);
  return out;
}

// Returns false on malformed bytes; unknown fields are skipped as protobuf would.
bool DecodeStatus(const std::string& bytes, std::uint32_t* status) {
  *status = kUnknownStatus;
  google::protobuf::io::CodedInputStream coded(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  while (std::uint32_t tag = coded.ReadTag()) {
    if (tag == kStatusFieldTag) {
      if (!coded.ReadVarint32(status)) return false;
    } else if (!google::protobuf::internal::WireFormatLite::SkipField(&coded, tag)) {
      return false;
    }
  }
  return coded.ConsumedEntireMessage();
}

}  // namespace

Status CheckGrpcHealth(grpc::Channel& channel, std::chrono::milliseconds deadline,
                       const std::string& service) {
  const std::string request_bytes = EncodeRequest(service);
  grpc::Slice request_slice(request_bytes);
  grpc::ByteBuffer request(&request_slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  SetCallDeadline(context, deadline);
  const grpc::internal::RpcMethod method(kCheckMethod, grpc::internal::RpcMethod::NORMAL_RPC);
  const grpc::Status status = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
      &channel, method, &context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return NotFound("health check: unknown service '" + service + "'");
  }
  if (!status.ok()) return FromGrpcStatus(status, service.empty() ? "remote" : service);

  grpc::Slice slice;
  if (!response.DumpToSingleSlice(&slice).ok()) return Internal("health check: unreadable answer");
  std::uint32_t serving = kUnknownStatus;
  if (!DecodeStatus(std::string(reinterpret_cast<const char*>(slice.begin()), slice.size()),
                    &serving)) {
    return Internal("health check: malformed answer");
  }
  switch (serving) {
    case kServing:
      return Status::Ok();
    case kNotServing:
      return Unavailable("not serving");
    default:
      return Unavailable("health status " + std::to_string(serving));
  }
}

}  // namespace milkyhoop::rpc
