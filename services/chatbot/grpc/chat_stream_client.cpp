#include "chat_stream_client.hpp"

#include <condition_variable>
#include <mutex>

#include "milkyhoop/chatbot/chatbot_grpc.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/status_mapping.hpp"

namespace milkyhoop::chatbot {
namespace {

// Leaves the turn's ChatStreams at the very end of the turn's destruction (Start joined it).
class Membership {
 public:
  Membership(ChatStreams& streams, const ChatTurn* turn) : streams_(streams), turn_(turn) {}
  ~Membership() { streams_.Leave(turn_); }
  Membership(const Membership&) = delete;
  Membership& operator=(const Membership&) = delete;

 private:
  ChatStreams& streams_;
  const ChatTurn* turn_;
};

// Keeps itself alive (self_) until gRPC reports the call over, whoever holds the ChatTurn.
class RemoteChatTurn final : public ChatTurn,
                             public grpc::ClientReadReactor<v1::ChatStreamEvent>,
                             public std::enable_shared_from_this<RemoteChatTurn> {
 public:
  RemoteChatTurn(ChatStreams& streams, ChatCallbacks callbacks)
      : membership_(streams, this), callbacks_(std::move(callbacks)) {}

  Status Start(v1::ChatbotService::Stub& stub, const v1::ChatRequest& request,
               std::chrono::milliseconds deadline) {
    request_ = request;
    rpc::SetCallDeadline(context_, deadline);
    self_ = shared_from_this();
    stub.async()->StreamChat(&context_, &request_, this);
    StartRead(&event_);
    StartCall();
    std::unique_lock lock(mu_);
    started_.wait(lock, [this] { return meta_seen_ || over_; });
    if (meta_seen_) return Status::Ok();
    if (status_.ok()) return Internal("chatbot stream ended before the answer started");
    return rpc::FromGrpcStatus(status_, kServiceName);
  }

  void Cancel() override {
    // Not once the call is over: OnDone may be destroying the context.
    std::lock_guard lock(mu_);
    if (!over_) context_.TryCancel();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream is over; OnDone follows
    switch (event_.event_case()) {
      case v1::ChatStreamEvent::kMeta:
        meta_ = event_.meta();
        if (callbacks_.on_meta) callbacks_.on_meta(meta_);
        {
          std::lock_guard lock(mu_);
          meta_seen_ = true;
        }
        started_.notify_all();
        break;
      case v1::ChatStreamEvent::kDelta:
        text_ += event_.delta();
        if (callbacks_.on_delta) callbacks_.on_delta(event_.delta());
        break;
      case v1::ChatStreamEvent::kDone:
        done_delivered_ = true;
        if (callbacks_.on_done) callbacks_.on_done(event_.done());
        break;
      case v1::ChatStreamEvent::EVENT_NOT_SET:
        break;
    }
    StartRead(&event_);
  }

  void OnDone(const grpc::Status& status) override {
    bool cut_short = false;
    {
      std::lock_guard lock(mu_);
      status_ = status;
      over_ = true;
      cut_short = meta_seen_ && !done_delivered_;
    }
    started_.notify_all();
    if (cut_short && callbacks_.on_done) {
      // Cancelled, past the deadline, or the chatbot process went away mid-answer: `done` still
      // runs once, with what arrived.
      v1::ChatResponse done = meta_;
      done.set_answer(text_);
      callbacks_.on_done(done);
    }
    auto last_reference = std::move(self_);  // may destroy this on return
  }

 private:
  Membership membership_;  // first: it leaves after every other member, the call included, is gone
  ChatCallbacks callbacks_;
  grpc::ClientContext context_;
  v1::ChatRequest request_;
  v1::ChatStreamEvent event_;
  // Read and written on gRPC's reaction thread only (reads are sequential).
  v1::ChatResponse meta_;
  std::string text_;
  bool done_delivered_ = false;
  std::mutex mu_;
  std::condition_variable started_;
  bool meta_seen_ = false;
  bool over_ = false;
  grpc::Status status_;
  std::shared_ptr<RemoteChatTurn> self_;
};

}  // namespace

ChatStreams::~ChatStreams() {
  std::vector<std::shared_ptr<ChatTurn>> running;
  {
    std::lock_guard lock(mu_);
    for (auto& [raw, weak] : live_) {
      if (auto turn = weak.lock()) running.push_back(std::move(turn));
    }
  }
  // Outside the lock: dropping the last reference destroys a turn, which leaves (takes mu_).
  for (auto& turn : running) turn->Cancel();
  running.clear();
  std::unique_lock lock(mu_);
  // A cancelled call ends at once; what remains is a caller still holding its ChatTurn.
  if (!empty_.wait_for(lock, std::chrono::seconds(10), [this] { return live_.empty(); })) {
    MH_LOG_ERROR("chatbot client closing with streamed turns still held",
                 {"turns", static_cast<std::int64_t>(live_.size())});
  }
}

void ChatStreams::Join(const std::shared_ptr<ChatTurn>& turn) {
  std::lock_guard lock(mu_);
  live_.emplace(turn.get(), turn);
}

void ChatStreams::Leave(const ChatTurn* turn) {
  std::lock_guard lock(mu_);
  live_.erase(turn);
  if (live_.empty()) empty_.notify_all();
}

Result<std::shared_ptr<ChatTurn>> ChatStreams::Start(v1::ChatbotService::Stub& stub,
                                                     const v1::ChatRequest& request,
                                                     std::chrono::milliseconds deadline,
                                                     ChatCallbacks callbacks) {
  auto turn = std::make_shared<RemoteChatTurn>(*this, std::move(callbacks));
  Join(turn);
  MH_TRY(turn->Start(stub, request, deadline));
  return std::shared_ptr<ChatTurn>(std::move(turn));
}

}  // namespace milkyhoop::chatbot
