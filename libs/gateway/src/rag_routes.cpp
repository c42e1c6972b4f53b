// Routes of FAQs (CRUD and import) and knowledge search, under /v1/businesses/{business_id}.
#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/list_page.hpp"
#include "milkyhoop/gateway/rag_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/org/permissions.hpp"
#include "rag_routes_support.hpp"

namespace milkyhoop::gateway {
Status RegisterDocumentRoutes(http::Router& router, const rag_routes::Deps& deps);

namespace {

using nlohmann::json;
using rag_routes::Deps;
using rag_routes::KnowledgeProblem;
namespace rv1 = rag::v1;

constexpr std::size_t kMaxImportBody = 4u << 20;

const char kFaqSchema[] = R"({
  "type": "object",
  "required": ["id", "business_id", "question", "answer", "tags", "created_at", "updated_at"],
  "properties": {
    "id": {"type": "string"},
    "business_id": {"type": "string"},
    "question": {"type": "string"},
    "answer": {"type": "string"},
    "tags": {"type": "array", "items": {"type": "string"}},
    "created_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"}
  }
})";

std::string FaqBodySchema(bool create) {
  return std::string(R"({"type": "object",)") +
         (create ? R"( "required": ["question", "answer"],)" : "") + R"( "properties": {
    "question": {"type": "string", "minLength": 1, "maxLength": 500},
    "answer": {"type": "string", "minLength": 1, "maxLength": 5000},
    "tags": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 50}}
  }})";
}

json FaqJson(const rv1::Faq& f) {
  return {{"id", f.id()},
          {"business_id", f.business_id()},
          {"question", f.question()},
          {"answer", f.answer()},
          {"tags", json(std::vector<std::string>(f.tags().begin(), f.tags().end()))},
          {"created_at", FormatTimestamp(f.created_at_ms())},
          {"updated_at", FormatTimestamp(f.updated_at_ms())}};
}

// tags: absent → nullopt; otherwise an array of strings (errors recorded in `in`).
std::optional<std::vector<std::string>> ReadTags(BodyReader& in, const json& body) {
  auto it = body.find("tags");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_array()) {
    in.Add("tags", "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> tags;
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      in.Add("tags[" + std::to_string(i) + "]", "must be a string");
      return std::nullopt;
    }
    tags.push_back((*it)[i].get<std::string>());
  }
  return tags;
}

http::Response CreateFaq(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kKnowledgeWrite);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  rv1::CreateFaqRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_actor_id(a.actor_id);
  if (auto v = in.RequiredString("question")) req.set_question(*v);
  if (auto v = in.RequiredString("answer")) req.set_answer(*v);
  if (auto tags = ReadTags(in, body)) {
    for (auto& t : *tags) req.add_tags(std::move(t));
  }
  if (!in.ok()) return in.Problem();
  auto created = deps.rag.CreateFaq(req);
  if (!created.ok()) return KnowledgeProblem(created.status());
  http::Response response = http::JsonResponse(201, FaqJson(created->faq()));
  response.SetHeader("Location",
                     "/v1/businesses/" + a.business_id + "/faqs/" + created->faq().id());
  return response;
}

http::Response ListFaqs(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kKnowledgeRead);
  rv1::ListFaqsRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  return ListPage(
      request, req, [&](const auto& r) { return deps.rag.ListFaqs(r); },
      [](const auto& item) { return FaqJson(item); },
      [](const Status& s) { return KnowledgeProblem(s); });
}

http::Response GetFaq(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kKnowledgeRead);
  rv1::GetFaqRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_faq_id(request.Param("faq_id"));
  auto got = deps.rag.GetFaq(req);
  if (!got.ok()) return KnowledgeProblem(got.status());
  return http::JsonResponse(200, FaqJson(got->faq()));
}

http::Response UpdateFaq(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kKnowledgeWrite);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  rv1::UpdateFaqRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_faq_id(request.Param("faq_id"));
  req.set_actor_id(a.actor_id);
  if (body.contains("question")) {
    if (auto v = in.RequiredString("question")) req.set_question(*v);
  }
  if (body.contains("answer")) {
    if (auto v = in.RequiredString("answer")) req.set_answer(*v);
  }
  if (auto tags = ReadTags(in, body)) {
    req.set_replace_tags(true);
    for (auto& t : *tags) req.add_tags(std::move(t));
  }
  if (!in.ok()) return in.Problem();
  auto updated = deps.rag.UpdateFaq(req);
  if (!updated.ok()) return KnowledgeProblem(updated.status());
  return http::JsonResponse(200, FaqJson(updated->faq()));
}

http::Response DeleteFaq(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kKnowledgeWrite);
  rv1::DeleteFaqRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_faq_id(request.Param("faq_id"));
  req.set_actor_id(a.actor_id);
  auto deleted = deps.rag.DeleteFaq(req);
  if (!deleted.ok()) return KnowledgeProblem(deleted.status());
  return http::Response::NoContent();
}

http::Response ImportFaqs(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kKnowledgeWrite);
  const std::string type = request.ContentType();
  rv1::ImportFaqsRequest req;
  if (type == "application/json") {
    req.set_format("json");
  } else if (type == "text/csv") {
    req.set_format("csv");
  } else {
    return http::Problem(415, http::code::kUnsupportedMediaType,
                         "send application/json (an array of {question, answer}) or text/csv "
                         "(header question,answer)");
  }
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_actor_id(a.actor_id);
  req.set_body(std::string(request.body));
  auto imported = deps.rag.ImportFaqs(req);
  if (!imported.ok()) return KnowledgeProblem(imported.status());
  json rejected = json::array();
  for (const auto& r : imported->rejected()) {
    rejected.push_back({{"line", r.line()}, {"reason", r.reason()}});
  }
  return http::JsonResponse(200, {{"imported", imported->imported()}, {"rejected", rejected}});
}

json SearchResultJson(const rv1::SearchResult& r, bool explain) {
  json out = {{"source_type", r.source_type()},
              {"source_id", r.source_id()},
              {"title", r.title()},
              {"text", r.text()},
              {"score", r.score()}};
  if (explain) {
    const rv1::SearchExplain& e = r.explain();
    out["explain"] = {
        {"keyword_rank", e.has_keyword_rank() ? json(e.keyword_rank()) : json(nullptr)},
        {"keyword_score", e.has_keyword_score() ? json(e.keyword_score()) : json(nullptr)},
        {"vector_rank", e.has_vector_rank() ? json(e.vector_rank()) : json(nullptr)},
        {"vector_similarity",
         e.has_vector_similarity() ? json(e.vector_similarity()) : json(nullptr)},
        {"rrf", e.rrf()}};
  }
  return out;
}

http::Response Search(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kKnowledgeRead);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  rv1::SearchRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  if (auto v = in.RequiredString("query")) req.set_query(*v);
  if (auto v = ReadInt(in, body, "top_k", false)) {
    if (*v < 1 || *v > 50) {
      in.Add("top_k", "must be between 1 and 50");
    } else {
      req.set_top_k(static_cast<std::int32_t>(*v));
    }
  }
  if (auto v = in.OptionalString("mode")) req.set_mode(*v);
  bool explain = request.QueryParam("explain").value_or("") == "true";
  if (auto v = ReadBool(in, body, "explain")) explain = explain || *v;
  req.set_explain(explain);
  if (!in.ok()) return in.Problem();
  auto found = deps.rag.Search(req);
  if (!found.ok()) return KnowledgeProblem(found.status());
  json results = json::array();
  for (const auto& r : found->results()) results.push_back(SearchResultJson(r, explain));
  json out = {{"results", std::move(results)},
              {"confidence", found->confidence()},
              {"mode", found->mode()}};
  if (explain)
    out["terms"] = std::vector<std::string>(found->terms().begin(), found->terms().end());
  return http::JsonResponse(200, out);
}

const char kSearchResponseSchema[] = R"({
  "type": "object",
  "required": ["results", "confidence", "mode"],
  "properties": {
    "results": {"type": "array", "items": {
      "type": "object",
      "required": ["source_type", "source_id", "title", "text", "score"],
      "properties": {
        "source_type": {"type": "string", "enum": ["faq", "document", "product", "profile"]},
        "source_id": {"type": "string"},
        "title": {"type": "string"},
        "text": {"type": "string"},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "explain": {"type": "object", "description": "With explain: each method's rank and score.",
          "properties": {
            "keyword_rank": {"type": ["integer", "null"]},
            "keyword_score": {"type": ["number", "null"], "description": "BM25"},
            "vector_rank": {"type": ["integer", "null"]},
            "vector_similarity": {"type": ["number", "null"], "description": "cosine"},
            "rrf": {"type": "number", "description": "reciprocal-rank fusion score"}}}
      }}},
    "confidence": {"type": "number", "minimum": 0, "maximum": 1,
                   "description": "Calibrated confidence that the first result answers the query; below 0.30 nothing fits."},
    "mode": {"type": "string", "enum": ["hybrid", "keyword", "vector"], "description": "The mode used: hybrid falls back to keyword without an embedding provider or while it is unavailable (then a vector search answers 503 with Retry-After)."},
    "terms": {"type": "array", "items": {"type": "string"}, "description": "With explain: the query's terms after normalisation."}
  }
})";

}  // namespace

Status RegisterRagRoutes(http::Router& router, org::OrgService& orgs,
                         business::BusinessService& businesses, rag::RagService& rag) {
  // Owned by the router's handlers (each keeps a copy of these references).
  const Deps deps{orgs, businesses, rag};
  struct Spec {
    std::string method;
    std::string path;
    std::string operation_id;
    std::string summary;
    std::string_view permission;
    std::string request_schema;
    http::ResponseDoc ok;
    http::Response (*fn)(const Deps&, http::Request&);
    std::vector<http::ParamDoc> params;
  };
  const std::string faqs = "/v1/businesses/{business_id}/faqs";
  const std::string faq = faqs + "/{faq_id}";
  const std::vector<Spec> specs = {
      {"POST",
       faqs,
       "createFaq",
       "Add an FAQ (searchable at once)",
       org::perm::kKnowledgeWrite,
       FaqBodySchema(true),
       {201, "Created", kFaqSchema},
       CreateFaq,
       {}},
      {"GET",
       faqs,
       "listFaqs",
       "List the FAQs of a business",
       org::perm::kKnowledgeRead,
       "",
       {200, "A page of FAQs", ListSchema(kFaqSchema)},
       ListFaqs,
       PageParamDocs()},
      {"GET",
       faq,
       "getFaq",
       "Get an FAQ",
       org::perm::kKnowledgeRead,
       "",
       {200, "The FAQ", kFaqSchema},
       GetFaq,
       {}},
      {"PATCH",
       faq,
       "updateFaq",
       "Change an FAQ (tags replace the old ones)",
       org::perm::kKnowledgeWrite,
       FaqBodySchema(false),
       {200, "The updated FAQ", kFaqSchema},
       UpdateFaq,
       {}},
      {"DELETE",
       faq,
       "deleteFaq",
       "Delete an FAQ (gone from search at once)",
       org::perm::kKnowledgeWrite,
       "",
       {204, "Deleted", ""},
       DeleteFaq,
       {}},
      {"POST",
       "/v1/businesses/{business_id}/knowledge/search",
       "searchKnowledge",
       "Search the business's FAQs, documents, products and profile",
       org::perm::kKnowledgeRead,
       R"({"type": "object", "required": ["query"], "properties": {
          "query": {"type": "string", "minLength": 1, "maxLength": 1000},
          "top_k": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5},
          "mode": {"type": "string", "enum": ["hybrid", "keyword", "vector"], "default": "hybrid"},
          "explain": {"type": "boolean", "default": false}}})",
       {200, "Results, best first, with the calibrated confidence", kSearchResponseSchema},
       Search,
       {{.name = "explain",
         .schema = R"({"type": "string", "enum": ["true", "false"]})",
         .description = "true: explain each result's scores per method"}}},
  };
  for (const Spec& s : specs) {
    http::Route r =
        rag_routes::MakeKnowledgeRoute(s.method, s.path, s.operation_id, s.summary, s.permission);
    r.request_schema = s.request_schema;
    r.params = s.params;
    r.responses = {s.ok};
    const bool writes = std::string_view(s.method) != "GET";
    for (auto& d : CommonErrorDocs(!s.request_schema.empty() || !s.params.empty(), writes)) {
      r.responses.push_back(std::move(d));
    }
    auto fn = s.fn;
    r.handler = [deps, fn](http::Request& req) { return fn(deps, req); };
    MH_TRY(router.Add(std::move(r)));
  }

  http::Route import = rag_routes::MakeKnowledgeRoute(
      "POST", faqs + "/import", "importFaqs",
      "Import FAQs from a JSON array or a CSV file; bad lines are reported, good ones kept",
      org::perm::kKnowledgeWrite);
  import.request_media_types = {"application/json", "text/csv"};
  import.request_schema = R"({"type": "array", "maxItems": 10000, "items": {
      "type": "object", "required": ["question", "answer"], "properties": {
        "question": {"type": "string"}, "answer": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}}}},
      "description": "As text/csv: a header with question and answer columns (tags optional, separated by ;)."})";
  import.max_body_bytes = kMaxImportBody;
  import.responses = {{200, "What was imported and which lines were refused",
                       R"({"type": "object", "required": ["imported", "rejected"], "properties": {
                         "imported": {"type": "integer"},
                         "rejected": {"type": "array", "items": {"type": "object",
                           "required": ["line", "reason"], "properties": {
                             "line": {"type": "integer"}, "reason": {"type": "string"}}}}}})"},
                      ProblemDoc(413, "The import is over 4 MiB or 10,000 rows"),
                      ProblemDoc(415, "Neither JSON nor CSV")};
  for (auto& d : CommonErrorDocs(true, true)) import.responses.push_back(std::move(d));
  import.handler = [deps](http::Request & req) { return ImportFaqs(deps, req);
};
MH_TRY(router.Add(std::move(import)));
return RegisterDocumentRoutes(router, deps);
}  // namespace milkyhoop::gateway

}  // namespace milkyhoop::gateway
