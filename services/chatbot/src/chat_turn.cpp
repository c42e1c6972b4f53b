// A customer turn: validation, the conversation and its token, hand-off, the answer cache, the
// tier router, the LLM stream with its extractive fallback and budget, and the records.
#include <algorithm>
#include <chrono>

#include "answer_text.hpp"
#include "bot_settings.hpp"
#include "chatbot_rows.hpp"
#include "chatbot_service_impl.hpp"
#include "handoff_phrases.hpp"
#include "language.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/core/text_validation.hpp"
#include "outbox_events.hpp"
#include "text_normalize.hpp"
#include "turn_lease.hpp"

namespace milkyhoop::chatbot {

struct TurnState {
  std::string org_id;
  std::string business_id;
  std::string conversation_id;
  std::string bot_message_id;  // "" when the bot stays silent
  ChatCallbacks callbacks;
  v1::ChatResponse response;  // meta fields first, the answer once known
  std::string extractive;     // the fallback of an LLM answer
  std::optional<AnswerKey> cache_key;
  std::string model;
  std::int64_t budget_milli = -1;  // < 0: no budget check
  std::string budget_currency;
  bool used_llm = false;
  std::string delivered;  // LLM text sent so far (written by the LLM thread only)
  int prompt_tokens = 0;
  int completion_tokens = 0;
  std::chrono::steady_clock::time_point started;
  // The continued conversation's turn, held until the answer is recorded (or the turn fails).
  TurnLease lease;
};

namespace {

class LlmTurn final : public ChatTurn {
 public:
  explicit LlmTurn(std::shared_ptr<llm::ChatStream> stream) : stream_(std::move(stream)) {}
  void Cancel() override {
    if (stream_) stream_->Cancel();
  }

 private:
  std::shared_ptr<llm::ChatStream> stream_;
};

// The knowledge search refuses queries over 1,000 characters (the rag service's limit), while
// a customer may write up to max_message_chars: a longer message is searched by its beginning.
constexpr std::size_t kMaxSearchQueryChars = 1000;

// Turns a caller may send as history, and the length of each (a bot's earlier answer may be long;
// the prompt keeps only what fits its history budget anyway).
constexpr int kMaxCallerHistory = 64;
constexpr std::size_t kMaxCallerHistoryChars = 8000;

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; });
}

std::int64_t ElapsedMs(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               since)
      .count();
}

// Reads the day's spend and, when it reaches the budget, announces it once (event).
Status AnnounceIfSpent(sql::Session& tx, const TurnState& st, const std::string& day,
                       std::int64_t now_ms, bool* exhausted) {
  MH_ASSIGN_OR_RETURN(std::int64_t spent, SpentMilli(tx, st.business_id, day));
  *exhausted = spent >= st.budget_milli;
  if (!*exhausted || st.budget_milli == 0) return Status::Ok();  // 0: LLM off, nothing to tell
  MH_ASSIGN_OR_RETURN(bool first, MarkBudgetAnnounced(tx, st.org_id, st.business_id, day));
  if (!first) return Status::Ok();
  v1::BudgetExhausted e;
  e.set_org_id(st.org_id);
  e.set_business_id(st.business_id);
  e.set_day(day);
  e.mutable_budget()->set_amount(st.budget_milli / 1000);
  e.mutable_budget()->set_currency(st.budget_currency);
  e.set_spent_milli(spent);
  return AppendBudgetExhausted(tx, e, now_ms);
}

}  // namespace

Result<v1::Conversation> ChatbotServiceImpl::LoadConversation(sql::Session& s,
                                                              const std::string& org_id,
                                                              const std::string& conversation_id) {
  if (conversation_id.empty() || conversation_id.size() > 64) {
    return NotFound("conversation not found");
  }
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      s.Query(std::string("SELECT ") + kConversationColumns +
                                  " FROM conversations WHERE id = $1 AND org_id = $2",
                              {conversation_id, org_id}));
  if (rows.empty()) return NotFound("conversation not found");
  return ConversationFromRow(rows, 0);
}

Result<std::shared_ptr<TurnState>> ChatbotServiceImpl::BeginTurn(
    const v1::ChatRequest& request, ChatCallbacks callbacks,
    std::optional<llm::ChatRequest>* llm_request) {
  // ---- Validation, before anything is read or written.
  if (request.org_id().empty()) return InvalidField("org_id", "is required");
  if (request.business_id().empty()) return InvalidField("business_id", "is required");
  if (Blank(request.message())) return InvalidField("message", "is required");
  // UTF-8 without control characters, within the limit; trimmed.
  MH_ASSIGN_OR_RETURN(const std::string message,
                      ValidateText("message", request.message(), options_.max_message_chars,
                                   /*required=*/true, /*multiline=*/true));
  if (request.visitor_id().size() > 128) return InvalidField("visitor_id", "at most 128 bytes");
  const bool continues = !request.conversation_id().empty();
  if (!continues && !request.conversation_token().empty()) {
    return InvalidField("conversation_id", "is required with a conversation_token");
  }
  if (continues && request.history_size() > 0) {
    return InvalidField("history", "not with a conversation_id: its stored turns are its history");
  }
  if (request.history_size() > kMaxCallerHistory) {
    return InvalidField("history", "at most " + std::to_string(kMaxCallerHistory) + " turns");
  }
  for (int i = 0; i < request.history_size(); ++i) {
    const v1::ConversationTurn& turn = request.history(i);
    const std::string field = "history[" + std::to_string(i) + "]";
    if (turn.role() != "customer" && turn.role() != "bot") {
      return InvalidField(field + ".role", "must be customer or bot");
    }
    MH_TRY(ValidateText(field + ".text", turn.text(), kMaxCallerHistoryChars, /*required=*/true,
                        /*multiline=*/true)
               .status());
  }
  if (continues && !tokens_.Verify(request.conversation_id(), request.conversation_token())) {
    return Unauthenticated("conversation_token is missing or not this conversation's");
  }

  // ---- One turn at a time per conversation, whichever socket, route or process it comes
  // through: two at once would interleave their answers in its history. Taken before anything
  // is written; a new conversation has no id anyone else knows yet, so it needs none.
  TurnLease lease;
  if (continues) {
    auto held = turns_.TryBegin(request.conversation_id());
    if (!held.ok()) {
      // The store could not decide: answering twice beats not answering (fail open).
      MH_LOG_WARN("chatbot: conversation turn not guarded", {"error", held.status().ToString()},
                  {"conversation_id", request.conversation_id()});
    } else if (!*held) {
      return Aborted(
          "an answer is still being written in this conversation; wait for it before sending "
          "the next message");
    } else {
      lease = TurnLease(turns_, request.conversation_id(), std::move(**held));
    }
  }

  // ---- The business, its bot and the conversation.
  business::v1::GetBusinessRequest get_business;
  get_business.set_org_id(request.org_id());
  get_business.set_business_id(request.business_id());
  MH_ASSIGN_OR_RETURN(business::v1::GetBusinessResponse biz, businesses_.GetBusiness(get_business));
  v1::BotSettings bot;
  std::string sealed_key;
  std::optional<v1::Conversation> conversation;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(bot, LoadBot(s, request.org_id(), request.business_id(), &sealed_key));
    if (continues) {
      MH_ASSIGN_OR_RETURN(conversation,
                          LoadConversation(s, request.org_id(), request.conversation_id()));
      if (conversation->business_id() != request.business_id()) {
        return NotFound("conversation not found");
      }
    }
    return Status::Ok();
  }));
  // A closed conversation is not reopened: the customer's message starts a new one.
  if (conversation && conversation->status() == "closed") conversation.reset();

  auto st = std::make_shared<TurnState>();
  st->started = std::chrono::steady_clock::now();
  st->lease = std::move(lease);
  st->org_id = request.org_id();
  st->business_id = request.business_id();
  st->callbacks = std::move(callbacks);
  const std::string language = LanguageDetector::Default().Detect(
      message, bot.language().empty() ? biz.business().language() : bot.language());
  st->response.set_language(language);

  // ---- What kind of answer: silent, hand-off notice, known at once, or an LLM stream.
  const bool handoff_on = bot.handoff().enabled();
  const bool handed_off = conversation && conversation->status() == "handed_off";
  int streak = conversation ? conversation->low_confidence_streak() : 0;
  std::string handoff_reason;  // set → this turn hands the conversation over (event)
  bool notice = false;
  bool silent = false;
  if (handed_off) {
    // The owner took over: tell the customer once (the owner may have taken it), then be quiet.
    MH_ASSIGN_OR_RETURN(sql::Rows sent,
                        db_.Query("SELECT handoff_notice_sent FROM conversations WHERE id = $1",
                                  {conversation->id()}));
    notice = !sent.empty() && sent.Int(0, 0) == 0;
    silent = !notice;
  } else if (handoff_on && HandoffPhrases::Default().Matches(message)) {
    handoff_reason = "customer_request";
    notice = true;
  } else {
    rag::v1::KnowledgeVersionRequest version_req;
    version_req.set_org_id(request.org_id());
    version_req.set_business_id(request.business_id());
    MH_ASSIGN_OR_RETURN(rag::v1::KnowledgeVersionResponse version,
                        rag_.KnowledgeVersion(version_req));
    AnswerKey key{request.business_id(), version.version(), language, NormalizeText(message)};
    if (auto hit = cache_.Get(key)) {
      st->response.set_answer(hit->answer);
      st->response.set_tier(hit->tier);
      st->response.set_confidence(hit->confidence);
      for (auto& c : hit->citations) *st->response.add_citations() = std::move(c);
      st->response.set_cached(true);
      streak = 0;
    } else {
      rag::v1::SearchRequest search;
      search.set_org_id(request.org_id());
      search.set_business_id(request.business_id());
      search.set_query(std::string(FirstCodePoints(message, kMaxSearchQueryChars)));
      search.set_top_k(kSearchTopK);
      MH_ASSIGN_OR_RETURN(rag::v1::SearchResponse found, rag_.Search(search));
      RoutedTurn routed = RouteTier(found, bot.thresholds());
      st->response.set_tier(routed.tier);
      st->response.set_confidence(routed.confidence);
      for (auto& c : CitationsOf(routed.sources)) *st->response.add_citations() = std::move(c);
      streak = routed.tier == 4 ? streak + 1 : 0;
      const int after = bot.handoff().after_low_confidence_turns();
      if (routed.tier == 4 && handoff_on && after > 0 && streak >= after) {
        handoff_reason = "low_confidence";
        notice = true;
      } else if (routed.tier == 4) {
        st->response.set_answer(bot.deflection_message().empty()
                                    ? DefaultDeflection(language, biz.business().name())
                                    : bot.deflection_message());
      } else if (routed.tier == 1) {
        st->response.set_answer(routed.sources.front().text());
        st->cache_key = key;
      } else {
        st->extractive = ExtractiveAnswer(routed.sources.front());
        st->cache_key = key;
        bool llm_ready = options_.llm != nullptr && !bot.llm().base_url().empty();
        {
          std::lock_guard lock(mu_);
          llm_ready = llm_ready && !stopped_;
        }
        if (llm_ready) {
          st->budget_milli = bot.daily_budget().amount() * 1000;
          st->budget_currency = bot.daily_budget().currency();
          bool exhausted = false;
          const std::int64_t now = clock_.NowUnixMillis();
          const std::string day = JakartaDay(now);
          MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
            return AnnounceIfSpent(tx, *st, day, now, &exhausted);
          }));
          llm_ready = !exhausted;
        }
        if (llm_ready) {
          PromptInput prompt;
          prompt.persona = bot.persona();
          prompt.business_name = biz.business().name();
          prompt.business_description = biz.business().description();
          prompt.language = language;
          prompt.sources = std::move(routed.sources);
          prompt.question = message;
          prompt.max_source_bytes = options_.max_source_bytes;
          prompt.max_history_messages = options_.max_history_messages;
          prompt.history_token_budget = options_.history_token_budget;
          if (conversation) {
            MH_ASSIGN_OR_RETURN(
                sql::Rows earlier,
                db_.Query("SELECT role, text FROM messages WHERE conversation_id = $1 AND "
                          "org_id = $2 ORDER BY seq DESC LIMIT " +
                              std::to_string(std::max(0, options_.max_history_messages)),
                          {conversation->id(), request.org_id()}));
            for (std::size_t r = earlier.size(); r-- > 0;) {
              prompt.history.push_back({earlier.Text(r, 0), earlier.Text(r, 1)});
            }
          } else {
            for (const v1::ConversationTurn& t : request.history()) {
              prompt.history.push_back({t.role(), t.text()});
            }
          }
          llm::ChatRequest chat;
          chat.endpoint.base_url = bot.llm().base_url();
          chat.endpoint.model = bot.llm().model();
          if (!sealed_key.empty()) {
            security::v1::DecryptRequest dec;
            dec.set_sealed(sealed_key);
            dec.set_context(ApiKeyContext(request.business_id()));
            MH_ASSIGN_OR_RETURN(security::v1::DecryptResponse opened, security_.Decrypt(dec));
            chat.endpoint.api_key = opened.plaintext();
          }
          chat.messages = BuildGroundedPrompt(prompt);
          chat.temperature = bot.llm().temperature();
          chat.max_tokens = bot.llm().max_tokens();
          chat.timeout = std::chrono::milliseconds(bot.llm().timeout_ms());
          chat.first_token_timeout = chat.timeout;
          st->model = chat.endpoint.model;
          st->used_llm = true;
          *llm_request = std::move(chat);
        } else {
          st->response.set_answer(st->extractive);
          st->response.set_fallback(true);
        }
      }
    }
  }
  if (notice) {
    st->response.set_answer(HandoffNotice(language));
    st->response.set_tier(4);
    st->response.clear_citations();
    st->response.set_confidence(0);
    st->cache_key.reset();
    streak = 0;
  }
  if (silent) {
    st->response.set_answer("");
    st->response.set_tier(4);
    st->response.set_confidence(0);
  }
  st->response.set_handoff(handed_off || !handoff_reason.empty());

  // ---- The customer's message and the conversation's new state, with the hand-off event.
  const std::int64_t now = clock_.NowUnixMillis();
  st->conversation_id = conversation ? conversation->id() : NewId("cnv_");
  v1::Message customer;
  customer.set_id(NewId("msg_"));
  customer.set_conversation_id(st->conversation_id);
  customer.set_role("customer");
  customer.set_text(message);
  customer.set_created_at_ms(now);
  const std::string status = st->response.handoff() ? "handed_off" : "open";
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    if (!conversation) {
      MH_TRY(tx.Exec("INSERT INTO conversations (id, org_id, business_id, visitor_id, status, "
                     "low_confidence_streak, handoff_notice_sent, message_count, created_at_ms, "
                     "updated_at_ms) VALUES ($1, $2, $3, $4, 'open', 0, 0, 0, $5, $5)",
                     {st->conversation_id, st->org_id, st->business_id, request.visitor_id(), now})
                 .status());
    }
    MH_TRY(InsertMessage(tx, st->org_id, st->business_id, customer));
    MH_TRY(tx.Exec("UPDATE conversations SET status = $2, low_confidence_streak = $3, "
                   "handoff_notice_sent = CASE WHEN $4 = 1 THEN 1 ELSE handoff_notice_sent END, "
                   "updated_at_ms = $5 WHERE id = $1",
                   {st->conversation_id, status, std::int64_t{streak}, std::int64_t{notice ? 1 : 0},
                    now})
               .status());
    if (handoff_reason.empty()) return Status::Ok();
    MH_ASSIGN_OR_RETURN(v1::Conversation current,
                        LoadConversation(tx, st->org_id, st->conversation_id));
    return AppendHandedOff(tx, st->org_id, current, handoff_reason, now);
  }));

  st->bot_message_id = silent ? "" : NewId("msg_");
  st->response.set_conversation_id(st->conversation_id);
  st->response.set_conversation_token(tokens_.Issue(st->conversation_id));
  st->response.set_message_id(silent ? customer.id() : st->bot_message_id);
  if (st->callbacks.on_meta) st->callbacks.on_meta(st->response);
  return st;
}

Status ChatbotServiceImpl::RecordBotMessage(TurnState& st) {
  const std::int64_t now = clock_.NowUnixMillis();
  v1::Message m;
  m.set_id(st.bot_message_id);
  m.set_conversation_id(st.conversation_id);
  m.set_role("bot");
  m.set_text(st.response.answer());
  m.set_tier(st.response.tier());
  m.set_confidence(st.response.confidence());
  *m.mutable_citations() = st.response.citations();
  m.set_prompt_tokens(st.prompt_tokens);
  m.set_completion_tokens(st.completion_tokens);
  m.set_latency_ms(ElapsedMs(st.started));
  m.set_fallback(st.response.fallback());
  m.set_cached(st.response.cached());
  m.set_created_at_ms(now);
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_TRY(InsertMessage(tx, st.org_id, st.business_id, m));
    if (!st.used_llm || (st.prompt_tokens == 0 && st.completion_tokens == 0)) {
      return Status::Ok();
    }
    const std::string day = JakartaDay(now);
    MH_TRY(RecordSpend(tx, st.org_id, st.business_id, day,
                       prices_.CostMilli(st.model, st.prompt_tokens, st.completion_tokens),
                       st.prompt_tokens, st.completion_tokens));
    bool exhausted = false;
    return AnnounceIfSpent(tx, st, day, now, &exhausted);
  }));
  // Only answers from the knowledge as it is, LLM or FAQ, are worth repeating.
  const int tier = st.response.tier();
  if (st.cache_key && tier >= 1 && tier <= 3 && !st.response.fallback() && !st.response.cached() &&
      !st.response.answer().empty()) {
    CachedAnswer c;
    c.answer = st.response.answer();
    c.tier = tier;
    c.confidence = st.response.confidence();
    c.citations.assign(st.response.citations().begin(), st.response.citations().end());
    cache_.Put(*st.cache_key, std::move(c));
  }
  return Status::Ok();
}

void ChatbotServiceImpl::DeliverImmediate(const std::shared_ptr<TurnState>& st) {
  if (!st->bot_message_id.empty()) {
    if (Status s = RecordBotMessage(*st); !s.ok()) {
      MH_LOG_ERROR("chatbot: cannot record the bot's answer", {"error", s.ToString()},
                   {"conversation_id", st->conversation_id});
    }
  }
  // The history is complete: the customer's next message may come as soon as this one is read.
  st->lease.Release();
  if (st->callbacks.on_delta) {
    for (const std::string& d : SplitIntoDeltas(st->response.answer())) st->callbacks.on_delta(d);
  }
  if (st->callbacks.on_done) st->callbacks.on_done(st->response);
}

void ChatbotServiceImpl::FinishLlm(const std::shared_ptr<TurnState>& st, llm::ChatResult result) {
  st->prompt_tokens = result.usage.prompt_tokens;
  st->completion_tokens = result.usage.completion_tokens;
  if (result.status.ok() && !Blank(result.text)) {
    st->response.set_answer(result.text);
  } else if (result.status.code() == StatusCode::kCancelled) {
    // The client went away (or the server stops): keep what was said, nobody reads more.
    st->response.set_answer(result.text);
  } else {
    MH_LOG_WARN("chatbot: LLM failed, answering from the best source",
                {"error", result.status.ToString()}, {"conversation_id", st->conversation_id},
                {"delivered_bytes", static_cast<std::int64_t>(st->delivered.size())});
    st->response.set_answer(st->extractive);
    st->response.set_fallback(true);
    if (st->callbacks.on_delta) {
      // Part of an answer may already be on the customer's screen: the source follows it.
      if (!st->delivered.empty()) st->callbacks.on_delta("\n\n");
      for (const std::string& d : SplitIntoDeltas(st->extractive)) st->callbacks.on_delta(d);
    }
  }
  if (Status s = RecordBotMessage(*st); !s.ok()) {
    MH_LOG_ERROR("chatbot: cannot record the bot's answer", {"error", s.ToString()},
                 {"conversation_id", st->conversation_id});
  }
  // Before `done`: a customer who answers at once must find the conversation free.
  st->lease.Release();
  if (st->callbacks.on_done) st->callbacks.on_done(st->response);
}

std::shared_ptr<ChatTurn> ChatbotServiceImpl::StartStream(
    const std::shared_ptr<TurnState>& st, llm::ChatRequest request,
    std::shared_ptr<std::promise<llm::ChatResult>> finish_on_caller, std::uint64_t* stream_id) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mu_);
    id = next_stream_++;
    streams_.emplace(id, nullptr);
    ++in_flight_;
  }
  if (stream_id) *stream_id = id;
  auto on_delta = [st](std::string_view delta) {
    st->delivered.append(delta);
    if (st->callbacks.on_delta) st->callbacks.on_delta(delta);
  };
  std::function<void(llm::ChatResult)> on_done;
  if (finish_on_caller) {
    // The waiting caller records the answer, then ends the stream (EndStream) itself.
    on_done = [finish_on_caller](llm::ChatResult r) { finish_on_caller->set_value(std::move(r)); };
  } else {
    on_done = [this, id, st](llm::ChatResult r) {
      Post([this, id, st, r = std::move(r)]() mutable {
        FinishLlm(st, std::move(r));
        EndStream(id);
      });
    };
  }
  std::shared_ptr<llm::ChatStream> stream =
      options_.llm->StreamChat(std::move(request), std::move(on_delta), std::move(on_done));
  bool cancel_now = false;
  {
    std::lock_guard lock(mu_);
    auto it = streams_.find(id);
    if (it != streams_.end()) it->second = stream;  // not already finished
    // Stop() ran while the request was being started: it could not cancel this one.
    cancel_now = stopped_ && it != streams_.end();
  }
  if (cancel_now) stream->Cancel();
  return std::make_shared<LlmTurn>(std::move(stream));
}

void ChatbotServiceImpl::EndStream(std::uint64_t id) {
  std::lock_guard lock(mu_);
  if (streams_.erase(id) == 0) return;
  --in_flight_;
  idle_.notify_all();
}

}  // namespace milkyhoop::chatbot
