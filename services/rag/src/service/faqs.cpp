// FAQs: CRUD and bulk import. Each write commits its row, the knowledge version and its change
// log entry together, then has the business's index apply it.
#include "embedding_codec.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/text_validation.hpp"
#include "milkyhoop/rag/faq_import.hpp"
#include "passage_rows.hpp"
#include "rag_service_impl.hpp"

namespace milkyhoop::rag {
namespace {

constexpr char kFaqColumns[] =
    "id, business_id, question, answer, tags, created_at_ms, updated_at_ms";

std::string JoinTags(const v1::Faq& faq) {
  std::string out;
  for (const std::string& t : faq.tags()) {
    if (!out.empty()) out += '\n';
    out += t;
  }
  return out;
}

v1::Faq FaqFromRow(const sql::Rows& rows, std::size_t r) {
  v1::Faq f;
  f.set_id(rows.Text(r, 0));
  f.set_business_id(rows.Text(r, 1));
  f.set_question(rows.Text(r, 2));
  f.set_answer(rows.Text(r, 3));
  const std::string tags = rows.Text(r, 4);
  std::size_t start = 0;
  while (start < tags.size()) {
    std::size_t end = tags.find('\n', start);
    if (end == std::string::npos) end = tags.size();
    f.add_tags(tags.substr(start, end - start));
    start = end + 1;
  }
  f.set_created_at_ms(rows.Int(r, 5));
  f.set_updated_at_ms(rows.Int(r, 6));
  return f;
}

Result<v1::Faq> SelectFaq(sql::Session& s, const std::string& org_id,
                          const std::string& business_id, const std::string& faq_id) {
  if (faq_id.empty()) return InvalidField("faq_id", "is required");
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      s.Query(std::string("SELECT ") + kFaqColumns +
                                  " FROM faqs WHERE id = $1 AND org_id = $2 AND business_id = $3",
                              {faq_id, org_id, business_id}));
  if (rows.empty()) return NotFound("FAQ not found");
  return FaqFromRow(rows, 0);
}

}  // namespace

Result<RagServiceImpl::FaqFields> RagServiceImpl::ValidateFaq(
    std::string_view question, std::string_view answer,
    const google::protobuf::RepeatedPtrField<std::string>& tags) {
  FaqFields f;
  MH_ASSIGN_OR_RETURN(f.question, ValidateText("question", question, kMaxQuestionChars, true));
  MH_ASSIGN_OR_RETURN(f.answer, ValidateText("answer", answer, kMaxAnswerChars, true, true));
  if (static_cast<std::size_t>(tags.size()) > kMaxTags) {
    return InvalidField("tags", "must hold at most " + std::to_string(kMaxTags) + " tags");
  }
  for (int i = 0; i < tags.size(); ++i) {
    const std::string field = "tags[" + std::to_string(i) + "]";
    MH_ASSIGN_OR_RETURN(std::string tag, ValidateText(field, tags[i], kMaxTagChars, true));
    f.tags.push_back(std::move(tag));
  }
  return f;
}

Status RagServiceImpl::InsertFaq(sql::Session& tx, const v1::Faq& faq, const std::string& org_id,
                                 const std::string& actor_id, const std::vector<float>& embedding) {
  return tx
      .Exec(
          "INSERT INTO faqs (id, org_id, business_id, question, answer, tags, embedding, "
          "embedding_model, created_by, created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, "
          "$5, $6, $7, $8, $9, $10, $10)",
          {faq.id(), org_id, faq.business_id(), faq.question(), faq.answer(), JoinTags(faq),
           EncodeEmbedding(embedding),
           embedding.empty() ? std::string() : options_.embeddings->model(), actor_id,
           faq.created_at_ms()})
      .status();
}

Result<v1::CreateFaqResponse> RagServiceImpl::CreateFaq(const v1::CreateFaqRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  MH_ASSIGN_OR_RETURN(FaqFields f,
                      ValidateFaq(request.question(), request.answer(), request.tags()));
  v1::CreateFaqResponse out;
  v1::Faq& faq = *out.mutable_faq();
  faq.set_id(NewId("faq_"));
  faq.set_business_id(request.business_id());
  faq.set_question(f.question);
  faq.set_answer(f.answer);
  for (auto& t : f.tags) faq.add_tags(std::move(t));
  faq.set_created_at_ms(clock_.NowUnixMillis());
  faq.set_updated_at_ms(faq.created_at_ms());
  // Embedding before the transaction: a slow provider never holds the writer.
  auto embedding = EmbedOrEmpty({EmbeddingInput(faq.question(), faq.answer())});
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_TRY(InsertFaq(tx, faq, request.org_id(), request.actor_id(), embedding[0]));
    return RecordChange(tx, request.org_id(), request.business_id(), {{"faq", faq.id()}});
  }));
  ApplyCommitted(request.org_id(), request.business_id());
  return out;
}

Result<v1::ListFaqsResponse> RagServiceImpl::ListFaqs(const v1::ListFaqsRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      db_.Query(std::string("SELECT ") + kFaqColumns +
                                    " FROM faqs WHERE org_id = $1 AND business_id = $2 AND "
                                    "id > $3 ORDER BY id LIMIT $4",
                                {request.org_id(), request.business_id(), request.cursor(),
                                 std::int64_t{limit + 1}}));
  v1::ListFaqsResponse out;
  for (std::size_t r = 0; r < rows.size() && r < static_cast<std::size_t>(limit); ++r) {
    *out.add_items() = FaqFromRow(rows, r);
  }
  if (rows.size() > static_cast<std::size_t>(limit)) {
    out.set_next_cursor(out.items(limit - 1).id());
  }
  return out;
}

Result<v1::GetFaqResponse> RagServiceImpl::GetFaq(const v1::GetFaqRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  v1::GetFaqResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(*out.mutable_faq(),
                        SelectFaq(s, request.org_id(), request.business_id(), request.faq_id()));
    return Status::Ok();
  }));
  return out;
}

Result<v1::UpdateFaqResponse> RagServiceImpl::UpdateFaq(const v1::UpdateFaqRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  // Read, validate and embed outside the write transaction; the update then applies only if the
  // row is unchanged since (updated_at_ms), so a concurrent edit is not silently overwritten.
  MH_ASSIGN_OR_RETURN(v1::GetFaqResponse current, GetFaq([&] {
                        v1::GetFaqRequest get;
                        get.set_org_id(request.org_id());
                        get.set_business_id(request.business_id());
                        get.set_faq_id(request.faq_id());
                        return get;
                      }()));
  v1::Faq faq = current.faq();
  google::protobuf::RepeatedPtrField<std::string> tags =
      request.replace_tags() ? request.tags() : faq.tags();
  MH_ASSIGN_OR_RETURN(FaqFields f,
                      ValidateFaq(request.has_question() ? request.question() : faq.question(),
                                  request.has_answer() ? request.answer() : faq.answer(), tags));
  faq.set_question(f.question);
  faq.set_answer(f.answer);
  faq.clear_tags();
  for (auto& t : f.tags) faq.add_tags(std::move(t));
  const std::int64_t previous_update = faq.updated_at_ms();
  faq.set_updated_at_ms(std::max(clock_.NowUnixMillis(), previous_update + 1));
  auto embedding = EmbedOrEmpty({EmbeddingInput(faq.question(), faq.answer())});
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(
        const std::int64_t changed,
        tx.Exec("UPDATE faqs SET question = $1, answer = $2, tags = $3, embedding = $4, "
                "embedding_model = $5, updated_at_ms = $6 WHERE id = $7 AND org_id = $8 AND "
                "business_id = $9 AND updated_at_ms = $10",
                {faq.question(), faq.answer(), JoinTags(faq), EncodeEmbedding(embedding[0]),
                 embedding[0].empty() ? std::string() : options_.embeddings->model(),
                 faq.updated_at_ms(), faq.id(), request.org_id(), request.business_id(),
                 previous_update}));
    if (changed == 0) {
      return Status(StatusCode::kAborted, "the FAQ changed meanwhile; read it again and retry");
    }
    return RecordChange(tx, request.org_id(), request.business_id(), {{"faq", faq.id()}});
  }));
  ApplyCommitted(request.org_id(), request.business_id());
  v1::UpdateFaqResponse out;
  *out.mutable_faq() = std::move(faq);
  return out;
}

Result<v1::DeleteFaqResponse> RagServiceImpl::DeleteFaq(const v1::DeleteFaqRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  if (request.faq_id().empty()) return InvalidField("faq_id", "is required");
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(const std::int64_t changed,
                        tx.Exec("DELETE FROM faqs WHERE id = $1 AND org_id = $2 AND "
                                "business_id = $3",
                                {request.faq_id(), request.org_id(), request.business_id()}));
    if (changed == 0) return NotFound("FAQ not found");
    return RecordChange(tx, request.org_id(), request.business_id(), {{"faq", request.faq_id()}});
  }));
  ApplyCommitted(request.org_id(), request.business_id());
  return v1::DeleteFaqResponse();
}

Result<v1::ImportFaqsResponse> RagServiceImpl::ImportFaqs(const v1::ImportFaqsRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  Result<FaqImport> parsed = request.format() == "json"
                                 ? ParseFaqJson(request.body(), options_.max_faqs_per_import)
                             : request.format() == "csv"
                                 ? ParseFaqCsv(request.body(), options_.max_faqs_per_import)
                                 : Result<FaqImport>(InvalidField("format", "must be json or csv"));
  MH_TRY(parsed.status());
  v1::ImportFaqsResponse out;
  for (const ImportRejection& r : parsed->rejected) {
    auto* rej = out.add_rejected();
    rej->set_line(static_cast<std::int64_t>(r.line));
    rej->set_reason(r.reason);
  }
  std::vector<v1::Faq> faqs;
  const std::int64_t now = clock_.NowUnixMillis();
  for (FaqRow& row : parsed->rows) {
    google::protobuf::RepeatedPtrField<std::string> tags(row.tags.begin(), row.tags.end());
    auto f = ValidateFaq(row.question, row.answer, tags);
    if (!f.ok()) {
      // The parser already refused what it could; this is the service's own rule set.
      auto* rej = out.add_rejected();
      rej->set_reason(f.status().message());
      continue;
    }
    v1::Faq& faq = faqs.emplace_back();
    faq.set_id(NewId("faq_"));
    faq.set_business_id(request.business_id());
    faq.set_question(std::move(f->question));
    faq.set_answer(std::move(f->answer));
    for (auto& t : f->tags) faq.add_tags(std::move(t));
    faq.set_created_at_ms(now);
    faq.set_updated_at_ms(now);
  }
  std::vector<std::string> texts;
  texts.reserve(faqs.size());
  for (const v1::Faq& f : faqs) texts.push_back(EmbeddingInput(f.question(), f.answer()));
  auto embeddings = EmbedOrEmpty(texts);
  if (!faqs.empty()) {
    MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
      std::vector<SourceRef> sources;
      sources.reserve(faqs.size());
      for (std::size_t i = 0; i < faqs.size(); ++i) {
        MH_TRY(InsertFaq(tx, faqs[i], request.org_id(), request.actor_id(), embeddings[i]));
        sources.push_back({"faq", faqs[i].id()});
      }
      return RecordChange(tx, request.org_id(), request.business_id(), sources);
    }));
    ApplyCommitted(request.org_id(), request.business_id());
  }
  out.set_imported(static_cast<std::int32_t>(faqs.size()));
  return out;
}

}  // namespace milkyhoop::rag
