#pragma once
// The chatbot service across gRPC, for the composition root: serve an implementation, or reach
// a remote one behind the same ChatbotService interface. Only the composition root and tests
// include this header; callers include chatbot_service.hpp.
//
// Over gRPC a turn is answered whole (unary Chat); the client's StreamChat replays it as deltas.
// Streaming LLM deltas across processes needs a server-streaming rpc (not yet).

#include <chrono>
#include <memory>

#include <grpcpp/channel.h>
#include <grpcpp/impl/service_type.h>

#include "milkyhoop/chatbot/chatbot_service.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::chatbot {

// Name of the service in transport errors ("service chatbot unavailable: ...").
inline constexpr char kServiceName[] = "chatbot";

// Callback-API gRPC service forwarding to `service`, which must outlive it. Calls touch the
// database and Chat may wait for an LLM: give it the blocking pool as `executor`.
std::unique_ptr<grpc::Service> MakeChatbotGrpcService(ChatbotService& service,
                                                      rpc::Executor executor = {});

// ChatbotService implemented by calls over `channel`, each with `deadline` (give Chat room for
// the LLM's timeout).
std::unique_ptr<ChatbotService> MakeChatbotGrpcClient(
    std::shared_ptr<grpc::Channel> channel,
    std::chrono::milliseconds deadline = std::chrono::seconds(30));

}  // namespace milkyhoop::chatbot
