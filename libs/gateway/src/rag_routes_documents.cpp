// Routes of documents: added as JSON text or a multipart file upload, listed, shown (with
// their ingestion status), deleted.
#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/list_page.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/multipart.hpp"
#include "milkyhoop/org/permissions.hpp"
#include "rag_routes_support.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;
using rag_routes::Deps;
using rag_routes::KnowledgeProblem;
namespace rv1 = rag::v1;

// The service refuses beyond 25 MiB of file; the multipart envelope adds a little.
constexpr std::size_t kMaxDocumentBody = (25u << 20) + (64u << 10);

const char kDocumentSchema[] = R"({
  "type": "object",
  "required": ["id", "business_id", "title", "content_type", "status", "chunks", "bytes"],
  "properties": {
    "id": {"type": "string"},
    "business_id": {"type": "string"},
    "title": {"type": "string"},
    "content_type": {"type": "string", "enum": ["text/plain", "text/markdown", "text/html", "application/pdf", "text/csv"]},
    "filename": {"type": ["string", "null"]},
    "status": {"type": "string", "enum": ["processing", "indexed", "failed"]},
    "chunks": {"type": "integer", "description": "Searchable passages made of it."},
    "bytes": {"type": "integer"},
    "error": {"type": ["string", "null"], "description": "Why it failed, when it did."},
    "created_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"}
  }
})";

json DocumentJson(const rv1::Document& d) {
  return {{"id", d.id()},
          {"business_id", d.business_id()},
          {"title", d.title()},
          {"content_type", d.content_type()},
          {"filename", OptionalText(d.filename())},
          {"status", d.status()},
          {"chunks", d.chunks()},
          {"bytes", d.bytes()},
          {"error", OptionalText(d.error())},
          {"created_at", FormatTimestamp(d.created_at_ms())},
          {"updated_at", FormatTimestamp(d.updated_at_ms())}};
}

// Fills `req` from a JSON body {title, content, content_type}, or a problem.
std::optional<http::Response> FromJson(http::Request& request, rv1::AddDocumentRequest* req) {
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  if (auto v = in.RequiredString("title")) req->set_title(*v);
  if (auto v = in.RequiredString("content")) req->set_content(*v);
  if (auto v = in.OptionalString("content_type")) {
    if (*v != "text/plain" && *v != "text/markdown" && *v != "text/html" && !v->empty()) {
      in.Add("content_type", "must be text/plain, text/markdown or text/html");
    }
    req->set_content_type(v->empty() ? "text/plain" : *v);
  } else {
    req->set_content_type("text/plain");
  }
  if (!in.ok()) return in.Problem();
  return std::nullopt;
}

// Fills `req` from multipart/form-data: a part "file" (with its file name and type) and an
// optional part "title".
std::optional<http::Response> FromMultipart(http::Request& request, rv1::AddDocumentRequest* req) {
  auto parts = http::ParseMultipart(request.Header("Content-Type"), request.body);
  if (!parts.ok()) {
    return http::Problem(400, http::code::kInvalidArgument, parts.status().message());
  }
  const http::MultipartPart* file = nullptr;
  for (const http::MultipartPart& p : *parts) {
    if (p.name == "file" && !file) file = &p;
    if (p.name == "title") req->set_title(std::string(p.data));
  }
  if (!file) {
    return http::Problem(400, http::code::kInvalidArgument, "the form has no part named \"file\"",
                         {{"file", "is required"}});
  }
  req->set_filename(file->filename);
  req->set_content_type(file->content_type);
  req->set_content(std::string(file->data));
  return std::nullopt;
}

http::Response AddDocument(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kKnowledgeWrite);
  rv1::AddDocumentRequest req;
  const std::string type = request.ContentType();
  std::optional<http::Response> problem;
  if (type == "application/json") {
    problem = FromJson(request, &req);
  } else if (type == "multipart/form-data") {
    problem = FromMultipart(request, &req);
  } else {
    return http::Problem(415, http::code::kUnsupportedMediaType,
                         "send application/json {title, content, content_type} or "
                         "multipart/form-data with a part named file");
  }
  if (problem) return std::move(*problem);
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_actor_id(a.actor_id);
  auto added = deps.rag.AddDocument(req);
  if (!added.ok()) return KnowledgeProblem(added.status());
  const bool done = added->document().status() == "indexed";
  http::Response response = http::JsonResponse(done ? 201 : 202, DocumentJson(added->document()));
  response.SetHeader("Location",
                     "/v1/businesses/" + a.business_id + "/documents/" + added->document().id());
  return response;
}

http::Response ListDocuments(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kKnowledgeRead);
  rv1::ListDocumentsRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  return ListPage(
      request, req, [&](const auto& r) { return deps.rag.ListDocuments(r); },
      [](const auto& item) { return DocumentJson(item); },
      [](const Status& s) { return KnowledgeProblem(s); });
}

http::Response GetDocument(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kKnowledgeRead);
  rv1::GetDocumentRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_document_id(request.Param("document_id"));
  auto got = deps.rag.GetDocument(req);
  if (!got.ok()) return KnowledgeProblem(got.status());
  return http::JsonResponse(200, DocumentJson(got->document()));
}

http::Response DeleteDocument(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kKnowledgeWrite);
  rv1::DeleteDocumentRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_document_id(request.Param("document_id"));
  req.set_actor_id(a.actor_id);
  auto deleted = deps.rag.DeleteDocument(req);
  if (!deleted.ok()) return KnowledgeProblem(deleted.status());
  return http::Response::NoContent();
}

}  // namespace

Status RegisterDocumentRoutes(http::Router& router, const Deps& deps) {
  const std::string documents = "/v1/businesses/{business_id}/documents";
  const std::string document = documents + "/{document_id}";

  http::Route add = rag_routes::MakeKnowledgeRoute(
      "POST", documents, "addDocument",
      "Add a document: JSON text, or a file upload (txt, md, html, pdf, csv)",
      org::perm::kKnowledgeWrite);
  add.request_media_types = {"application/json", "multipart/form-data"};
  add.request_schema = R"({"oneOf": [
      {"type": "object", "required": ["title", "content"], "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "content": {"type": "string", "minLength": 1},
        "content_type": {"type": "string", "enum": ["text/plain", "text/markdown", "text/html"], "default": "text/plain"}}},
      {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "txt, md, html, pdf or csv; at most 25 MiB"},
        "title": {"type": "string", "maxLength": 200}}}]})";
  add.max_body_bytes = kMaxDocumentBody;
  add.responses = {{201, "Ingested and searchable", kDocumentSchema},
                   {202, "Large: accepted and being ingested; GET it to follow", kDocumentSchema},
                   ProblemDoc(413, "Over 25 MiB"),
                   ProblemDoc(415, "A format we do not ingest"),
                   ProblemDoc(503, "Too many documents waiting; retry later")};
  for (auto& d : CommonErrorDocs(true, true)) add.responses.push_back(std::move(d));
  add.handler = [deps](http::Request& req) { return AddDocument(deps, req); };
  MH_TRY(router.Add(std::move(add)));

  struct Spec {
    std::string method;
    std::string path;
    std::string operation_id;
    std::string summary;
    std::string_view permission;
    http::ResponseDoc ok;
    http::Response (*fn)(const Deps&, http::Request&);
    std::vector<http::ParamDoc> params;
  };
  const std::vector<Spec> specs = {
      {"GET",
       documents,
       "listDocuments",
       "List the documents of a business",
       org::perm::kKnowledgeRead,
       {200, "A page of documents", ListSchema(kDocumentSchema)},
       ListDocuments,
       PageParamDocs()},
      {"GET",
       document,
       "getDocument",
       "Get a document and its ingestion status",
       org::perm::kKnowledgeRead,
       {200, "The document", kDocumentSchema},
       GetDocument,
       {}},
      {"DELETE",
       document,
       "deleteDocument",
       "Delete a document and its passages",
       org::perm::kKnowledgeWrite,
       {204, "Deleted", ""},
       DeleteDocument,
       {}},
  };
  for (const Spec& s : specs) {
    http::Route r =
        rag_routes::MakeKnowledgeRoute(s.method, s.path, s.operation_id, s.summary, s.permission);
    r.params = s.params;
    r.responses = {s.ok};
    for (auto& d : CommonErrorDocs(!s.params.empty(), s.method != "GET")) {
      r.responses.push_back(std::move(d));
    }
    auto fn = s.fn;
    r.handler = [deps, fn](http::Request& req) { return fn(deps, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  return Status::Ok();
}

}  // namespace milkyhoop::gateway
