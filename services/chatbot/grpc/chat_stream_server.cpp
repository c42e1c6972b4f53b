#include "chat_stream_server.hpp"

#include <deque>
#include <mutex>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/rpc/status_mapping.hpp"

namespace milkyhoop::chatbot {
namespace {

// The turn's callbacks (any thread, one at a time) queue events; one write is in flight at a
// time. The call finishes only once the turn can call back no more: after `done` is written, or
// when the turn never started. A caller that goes away (cancel, deadline, lost connection)
// cancels the turn, whose `done` then finishes the call without being written.
class ChatStreamReactor final : public grpc::ServerWriteReactor<v1::ChatStreamEvent> {
 public:
  explicit ChatStreamReactor(ChatbotService& service) : service_(service) {}

  void Begin(const v1::ChatRequest& request) {
    ChatCallbacks callbacks;
    callbacks.on_meta = [this](const v1::ChatResponse& meta) {
      v1::ChatStreamEvent e;
      *e.mutable_meta() = meta;
      Enqueue(std::move(e), false);
    };
    callbacks.on_delta = [this](std::string_view text) {
      v1::ChatStreamEvent e;
      e.set_delta(std::string(text));
      Enqueue(std::move(e), false);
    };
    callbacks.on_done = [this](const v1::ChatResponse& done) {
      v1::ChatStreamEvent e;
      *e.mutable_done() = done;
      Enqueue(std::move(e), true);
    };
    Result<std::shared_ptr<ChatTurn>> turn = Status::Ok();
    try {
      turn = service_.StreamChat(request, std::move(callbacks));
    } catch (const std::exception& e) {
      MH_LOG_ERROR("rpc handler threw", {"method", "chatbot.StreamChat"}, {"error", e.what()});
      turn = Internal("internal error");
    }
    if (!turn.ok()) {
      Finish(rpc::ToGrpcStatus(turn.status()));  // no callback has run, none will
      return;
    }
    std::shared_ptr<ChatTurn> cancel;
    bool finish = false;
    {
      std::lock_guard lock(mu_);
      turn_ = *turn;
      starting_ = false;
      if (caller_gone_ && !done_) cancel = turn_;
      // An answer known at once has been queued (or, for a caller already gone, dropped).
      if (done_ && !writing_ && (queue_.empty() || caller_gone_)) finish = ClaimFinishLocked();
    }
    if (cancel) cancel->Cancel();  // outside the lock: Cancel may run on_done at once
    if (finish) Finish(grpc::Status::OK);
  }

  void OnWriteDone(bool ok) override {
    std::shared_ptr<ChatTurn> cancel;
    bool finish = false;
    {
      std::lock_guard lock(mu_);
      writing_ = false;
      if (!ok) {
        // The caller is gone: nothing more is written; the turn is cut if it is still running.
        caller_gone_ = true;
        queue_.clear();
        if (done_) {
          finish = ClaimFinishLocked();
        } else {
          cancel = turn_;
        }
      } else {
        queue_.pop_front();
        finish = WriteNextLocked();
      }
    }
    if (cancel) cancel->Cancel();
    if (finish) Finish(grpc::Status::OK);  // last: OnDone may delete this
  }

  void OnCancel() override {
    std::shared_ptr<ChatTurn> turn;
    {
      std::lock_guard lock(mu_);
      caller_gone_ = true;
      turn = turn_;
    }
    if (turn) turn->Cancel();
  }

  void OnDone() override { delete this; }

 private:
  void Enqueue(v1::ChatStreamEvent event, bool done) {
    bool finish = false;
    {
      std::lock_guard lock(mu_);
      done_ = done_ || done;
      if (caller_gone_) {
        finish = done && !writing_ && ClaimFinishLocked();
      } else {
        queue_.push_back(std::move(event));
        if (!writing_) finish = WriteNextLocked();
      }
    }
    if (finish) Finish(grpc::Status::OK);  // outside the lock: OnDone may delete this
  }

  // Writes the queue's front; true when there is nothing left to write and `done` has been
  // written, so the caller (outside the lock) finishes the call.
  bool WriteNextLocked() {
    if (!queue_.empty()) {
      writing_ = true;
      StartWrite(&queue_.front());  // a deque keeps the front in place while others are added
      return false;
    }
    return done_ && ClaimFinishLocked();
  }

  // The call may finish once: not while Begin still uses this object.
  bool ClaimFinishLocked() {
    if (finished_ || starting_) return false;
    finished_ = true;
    return true;
  }

  ChatbotService& service_;
  std::mutex mu_;
  std::deque<v1::ChatStreamEvent> queue_;
  std::shared_ptr<ChatTurn> turn_;
  bool starting_ = true;  // Begin has not returned yet
  bool writing_ = false;
  bool done_ = false;
  bool caller_gone_ = false;
  bool finished_ = false;
};

}  // namespace

grpc::ServerWriteReactor<v1::ChatStreamEvent>* ServeChatStream(ChatbotService& service,
                                                               const v1::ChatRequest& request,
                                                               const rpc::Executor& executor) {
  auto* reactor = new ChatStreamReactor(service);
  // gRPC keeps `request` alive until the call is finished, which waits for the turn.
  auto begin = [reactor, &request] { reactor->Begin(request); };
  if (!executor) {
    begin();
    return reactor;
  }
  try {
    executor(begin);
  } catch (const std::exception& e) {
    MH_LOG_WARN("rpc executor refused a call", {"method", "chatbot.StreamChat"},
                {"error", e.what()});
    reactor->Finish(rpc::ToGrpcStatus(Unavailable("server busy")));
  }
  return reactor;
}

}  // namespace milkyhoop::chatbot
