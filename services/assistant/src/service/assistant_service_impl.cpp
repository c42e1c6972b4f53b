#include "assistant_service_impl.hpp"

#include <functional>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/core/text_validation.hpp"
#include "milkyhoop/sql/migration.hpp"

namespace milkyhoop::assistant {

AssistantService::~AssistantService() = default;

namespace {

// Categories whose goods are made to order (a meal, a wash, a haircut): their sales must not be
// refused for lack of a counted stock, so their business allows negative stock.
bool MadeToOrder(const std::string& category) {
  for (std::string_view c :
       {"makanan", "kafe", "toko kue", "laundry", "salon", "bengkel", "percetakan"}) {
    if (category == c) return true;
  }
  return false;
}

Result<std::string> ValidateMessage(const std::string& message) {
  return ValidateText("message", message, kMaxMessageChars, /*required=*/true,
                      /*multiline=*/true);
}

}  // namespace

std::span<const sql::MigrationFile> Migrations();  // embedded from migrations/

Status MigrateAssistantDatabase(sql::Database& db) {
  return sql::Migrate(db, "assistant", Migrations());
}

std::unique_ptr<AssistantService> MakeAssistantService(sql::Database& db, AssistantDeps deps,
                                                       const Clock& clock,
                                                       AssistantOptions options) {
  return std::make_unique<AssistantServiceImpl>(db, deps, clock, options);
}

std::mutex& AssistantServiceImpl::LockFor(std::string_view session_id) {
  return locks_[std::hash<std::string_view>()(session_id) % locks_.size()];
}

Result<v1::OwnerChatResponse> AssistantServiceImpl::OwnerChat(const v1::OwnerChatRequest& request) {
  if (request.org_id().empty() || request.business_id().empty()) {
    return InvalidArgument("org_id and business_id are required");
  }
  if (request.user_id().empty()) return InvalidField("user_id", "is required");
  MH_ASSIGN_OR_RETURN(const std::string message, ValidateMessage(request.message()));
  if (!request.session_id().empty() && !IsOwnerSessionId(request.session_id())) {
    return InvalidField("session_id", "is not an assistant session id");
  }

  OwnerSession session;
  std::unique_lock<std::mutex> lock;
  if (request.session_id().empty()) {
    session = store_.NewOwnerSession(request.org_id(), request.business_id(), request.user_id());
  } else {
    lock = std::unique_lock<std::mutex>(LockFor(request.session_id()));
    MH_ASSIGN_OR_RETURN(session, store_.LoadOwnerSession(request.org_id(), request.business_id(),
                                                         request.user_id(), request.session_id()));
  }
  MH_ASSIGN_OR_RETURN(const owner::TurnOutcome outcome, owner_.Turn(session, message));

  v1::OwnerTurn turn;
  turn.set_text(message);
  turn.set_intent(outcome.intent);
  turn.set_entities_json(outcome.entities_json);
  if (!outcome.action_type.empty()) {
    turn.mutable_action()->set_type(outcome.action_type);
    turn.mutable_action()->set_data_json(outcome.action_data);
  }
  turn.set_reply(outcome.reply);
  turn.set_parsed_by(outcome.parsed_by);
  MH_TRY(store_.SaveOwnerTurn(session, turn, clock_.NowUnixMillis()));

  v1::OwnerChatResponse out;
  out.set_session_id(session.id);
  out.set_reply(outcome.reply);
  out.set_intent(outcome.intent);
  out.set_entities_json(outcome.entities_json);
  out.set_language(outcome.language);
  if (turn.has_action()) *out.mutable_action() = turn.action();
  return out;
}

Result<v1::ListOwnerTurnsResponse> AssistantServiceImpl::ListOwnerTurns(
    const v1::ListOwnerTurnsRequest& request) {
  if (request.org_id().empty() || request.business_id().empty()) {
    return InvalidArgument("org_id and business_id are required");
  }
  if (!request.session_id().empty() && !IsOwnerSessionId(request.session_id())) {
    return InvalidField("session_id", "is not an assistant session id");
  }
  return store_.ListOwnerTurns(request);
}

Result<v1::SetupChatResponse> AssistantServiceImpl::SetupChat(const v1::SetupChatRequest& request) {
  if (request.user_id().empty()) return InvalidField("user_id", "is required");
  MH_ASSIGN_OR_RETURN(const std::string message, ValidateMessage(request.message()));
  if (!request.session_id().empty() && !IsSetupSessionId(request.session_id())) {
    return InvalidField("session_id", "is not a setup session id");
  }
  SetupSession row;
  std::unique_lock<std::mutex> lock;
  if (request.session_id().empty()) {
    row = store_.NewSetupSession(request.user_id());
  } else {
    lock = std::unique_lock<std::mutex>(LockFor(request.session_id()));
    MH_ASSIGN_OR_RETURN(row, store_.LoadSetupSession(request.user_id(), request.session_id()));
  }
  setup::SetupState state = setup::StateFromJson(row.data);
  setup::StepResult step = setup::Step(state, message, faq_writer_);
  if (step.finish) {
    // Progress is saved after each creation, so a failure here is retried by sending "ya" again.
    MH_TRY(Finish(row, state, request));
    state.state = setup::kDone;
    step.reply = setup::DoneReply(state);
  }
  row.state = state.state;
  row.data = setup::StateToJson(state);
  row.org_id = state.org_id;
  row.business_id = state.business_id;
  MH_TRY(store_.SaveSetup(row, message, step.reply, clock_.NowUnixMillis()));

  v1::SetupChatResponse out;
  out.set_session_id(row.id);
  out.set_reply(step.reply);
  out.set_state(state.state);
  out.set_progress(setup::Progress(state));
  v1::BusinessDraft* draft = out.mutable_business_draft();
  const setup::BusinessFacts& f = state.facts;
  draft->set_name(f.name);
  draft->set_category(f.category);
  draft->set_address(f.address);
  draft->set_phone(f.phone);
  if (f.hours) {
    draft->set_opening_hours_text(f.hours->text);
    for (const setup::DayHours& d : f.hours->week) {
      business::v1::OpeningHours* h = draft->add_opening_hours();
      h->set_weekday(d.weekday);
      h->set_open(d.open);
      h->set_close(d.close);
    }
  }
  for (const setup::ProductFact& p : f.products) {
    v1::DraftProduct* dp = draft->add_products();
    dp->set_name(p.name);
    dp->set_price(p.price);
  }
  if (!f.name.empty()) draft->set_description(setup::Describe(f));
  for (const setup::Faq& faq : state.faqs) {
    v1::SuggestedFaq* sf = out.add_suggested_faqs();
    sf->set_question(faq.question);
    sf->set_answer(faq.answer);
  }
  out.set_done(state.state == setup::kDone);
  out.set_business_id(state.business_id);
  out.set_org_id(state.org_id);
  return out;
}

Status AssistantServiceImpl::SaveProgress(SetupSession& row, const setup::SetupState& state) {
  row.data = setup::StateToJson(state);
  row.org_id = state.org_id;
  row.business_id = state.business_id;
  return store_.SaveSetup(row, "", "", clock_.NowUnixMillis());
}

Status AssistantServiceImpl::Finish(SetupSession& row, setup::SetupState& state,
                                    const v1::SetupChatRequest& request) {
  const setup::BusinessFacts& f = state.facts;
  const std::string& user = request.user_id();
  if (state.org_id.empty()) {
    org::v1::CreateOrgRequest req;
    req.set_name(f.name);
    *req.mutable_audit() = request.audit();
    req.mutable_audit()->set_actor_id(user);
    MH_ASSIGN_OR_RETURN(const org::v1::CreateOrgResponse created, deps_.orgs.CreateOrg(req));
    state.org_id = created.org().id();
    MH_TRY(SaveProgress(row, state));
  }
  if (state.business_id.empty()) {
    business::v1::CreateBusinessRequest req;
    req.set_org_id(state.org_id);
    req.set_actor_id(user);
    req.set_name(f.name);
    req.set_description(setup::Describe(f));
    req.set_category(f.category);
    req.set_address(f.address);
    req.set_phone(f.phone);
    if (f.hours) {
      for (const setup::DayHours& d : f.hours->week) {
        business::v1::OpeningHours* h = req.add_opening_hours();
        h->set_weekday(d.weekday);
        h->set_open(d.open);
        h->set_close(d.close);
      }
    }
    req.set_language("id");
    req.set_currency("IDR");
    req.set_allow_negative_stock(MadeToOrder(f.category));
    MH_ASSIGN_OR_RETURN(const business::v1::CreateBusinessResponse created,
                        deps_.businesses.CreateBusiness(req));
    state.business_id = created.business().id();
    MH_TRY(SaveProgress(row, state));
  }
  while (state.products_created < static_cast<int>(f.products.size())) {
    const setup::ProductFact& p = f.products[static_cast<std::size_t>(state.products_created)];
    business::v1::CreateProductRequest req;
    req.set_org_id(state.org_id);
    req.set_business_id(state.business_id);
    req.set_actor_id(user);
    req.set_name(p.name);
    req.mutable_price()->set_amount(p.price);
    req.mutable_price()->set_currency("IDR");
    req.set_unit("pcs");
    auto created = deps_.businesses.CreateProduct(req);
    if (!created.ok() && created.status().code() != StatusCode::kInvalidArgument) {
      return created.status();
    }
    if (!created.ok()) {
      // A product the business service refuses (a name too odd) is left out, not fatal.
      MH_LOG_WARN("setup skipped a product", {"reason", created.status().message()});
    }
    ++state.products_created;
    MH_TRY(SaveProgress(row, state));
  }
  while (state.faqs_created < static_cast<int>(state.faqs.size())) {
    const setup::Faq& faq = state.faqs[static_cast<std::size_t>(state.faqs_created)];
    rag::v1::CreateFaqRequest req;
    req.set_org_id(state.org_id);
    req.set_business_id(state.business_id);
    req.set_actor_id(user);
    req.set_question(faq.question);
    req.set_answer(faq.answer);
    req.add_tags("setup");
    auto created = deps_.rag.CreateFaq(req);
    if (!created.ok() && created.status().code() != StatusCode::kInvalidArgument) {
      return created.status();
    }
    ++state.faqs_created;
    MH_TRY(SaveProgress(row, state));
  }
  return Status::Ok();
}

}  // namespace milkyhoop::assistant
