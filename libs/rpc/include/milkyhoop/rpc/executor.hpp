#pragma once
// Where a server adapter runs an implementation that may block (SQL, outbound HTTP). Any thread
// pool adapts to it. It must run every task it accepts, even while shutting down: the server's
// graceful shutdown waits for the calls queued in it.

#include <functional>

namespace milkyhoop::rpc {

using Executor = std::function<void(std::function<void()>)>;

}  // namespace milkyhoop::rpc
