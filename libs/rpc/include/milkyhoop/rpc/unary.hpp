#pragma once
// The two halves of a unary call across the seam, so every service adapter is a few lines:
//   server: ServeUnary calls the implementation (inline or on an Executor) and maps its Result
//           with ToGrpcStatus;
//   client: CallUnary sets the deadline, makes the call and maps the grpc::Status back with
//           FromGrpcStatus.
// Included by adapters only (services/<name>/grpc/), never by a service's interface header.

#include <chrono>
#include <exception>
#include <functional>
#include <string_view>
#include <utility>

#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>
#include <grpcpp/support/status.h>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/executor.hpp"
#include "milkyhoop/rpc/status_mapping.hpp"

namespace milkyhoop::rpc {

namespace internal {

// Implementations return errors as values; an exception is a bug. It is turned into INTERNAL
// rather than let loose on a gRPC thread, where it would terminate the process.
template <typename Request, typename Response, typename Handler>
grpc::Status RunHandler(std::string_view method, const Request& request, Response* response,
                        Handler& handler) {
  try {
    Result<Response> result = handler(request);
    if (!result.ok()) return ToGrpcStatus(result.status());
    *response = std::move(result).value();
    return grpc::Status::OK;
  } catch (const std::exception& e) {
    MH_LOG_ERROR("rpc handler threw", {"method", method}, {"error", e.what()});
  } catch (...) {
    MH_LOG_ERROR("rpc handler threw", {"method", method}, {"error", "non-standard exception"});
  }
  return ToGrpcStatus(Internal("internal error"));
}

}  // namespace internal

// Server side: answers a callback-API unary call with `handler(const Request&) ->
// Result<Response>`. `method` names the call in logs and must outlive it (a string literal).
// Without an executor the handler runs inline on the gRPC thread that received the call: only for
// work that never blocks, since a blocked gRPC thread stalls other calls. With one, the handler
// runs there and finishes the call from there; gRPC keeps context, request and response alive
// until Finish(). An executor that throws instead of taking the task answers kUnavailable.
template <typename Request, typename Response, typename Handler>
grpc::ServerUnaryReactor* ServeUnary(std::string_view method, grpc::CallbackServerContext* context,
                                     const Request* request, Response* response, Handler handler,
                                     const Executor& executor = {}) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (!executor) {
    reactor->Finish(internal::RunHandler(method, *request, response, handler));
    return reactor;
  }
  try {
    executor([reactor, method, request, response, handler = std::move(handler)]() mutable {
      reactor->Finish(internal::RunHandler(method, *request, response, handler));
    });
  } catch (const std::exception& e) {
    // A pool may refuse work (full, or stopping). The call must still finish, or it hangs until
    // its deadline and holds up the server's shutdown.
    MH_LOG_WARN("rpc executor refused a call", {"method", method}, {"error", e.what()});
    reactor->Finish(ToGrpcStatus(Unavailable("server busy")));
  }
  return reactor;
}

// Client side: `call(grpc::ClientContext*, Response*) -> grpc::Status` makes the blocking stub
// call. `service` names the remote in transport errors ("service health unavailable: ...").
template <typename Response, typename Call>
Result<Response> CallUnary(std::string_view service, std::chrono::milliseconds deadline,
                           Call&& call) {
  grpc::ClientContext context;
  SetCallDeadline(context, deadline);
  Response response;
  grpc::Status status = std::forward<Call>(call)(&context, &response);
  if (!status.ok()) return FromGrpcStatus(status, service);
  return response;
}

}  // namespace milkyhoop::rpc
