#pragma once
// Server side of StreamChat: a streamed turn of the implementation, written to a remote caller
// as ChatStreamEvents.
#include <grpcpp/grpcpp.h>

#include "milkyhoop/chatbot/chatbot_service.hpp"
#include "milkyhoop/chatbot/v1/chatbot.grpc.pb.h"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::chatbot {

// Starts the turn (on `executor`: it searches and may read the database before the first
// event) and returns the reactor gRPC drives; it deletes itself when the call is over.
grpc::ServerWriteReactor<v1::ChatStreamEvent>* ServeChatStream(ChatbotService& service,
                                                               const v1::ChatRequest& request,
                                                               const rpc::Executor& executor);

}  // namespace milkyhoop::chatbot
