// Documents: accepted, ingested (now or in the background), listed, deleted. Ingestion writes
// the chunks and the document's final state in one transaction, so a document is either fully
// searchable or not at all.
#include "embedding_codec.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/core/text_validation.hpp"
#include "passage_rows.hpp"
#include "rag_service_impl.hpp"

namespace milkyhoop::rag {
namespace {

constexpr char kDocumentColumns[] =
    "id, business_id, title, content_type, filename, status, chunks, bytes, error, "
    "created_at_ms, updated_at_ms";

v1::Document DocumentFromRow(const sql::Rows& rows, std::size_t r) {
  v1::Document d;
  d.set_id(rows.Text(r, 0));
  d.set_business_id(rows.Text(r, 1));
  d.set_title(rows.Text(r, 2));
  d.set_content_type(rows.Text(r, 3));
  d.set_filename(rows.Text(r, 4));
  d.set_status(rows.Text(r, 5));
  d.set_chunks(static_cast<std::int32_t>(rows.Int(r, 6)));
  d.set_bytes(rows.Int(r, 7));
  d.set_error(rows.Text(r, 8));
  d.set_created_at_ms(rows.Int(r, 9));
  d.set_updated_at_ms(rows.Int(r, 10));
  return d;
}

std::string_view MediaTypeOf(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::kText:
      return "text/plain";
    case DocumentFormat::kMarkdown:
      return "text/markdown";
    case DocumentFormat::kHtml:
      return "text/html";
    case DocumentFormat::kPdf:
      return "application/pdf";
    case DocumentFormat::kCsv:
      return "text/csv";
  }
  return "application/octet-stream";
}

// A quick look at the first bytes, so that what is obviously not the declared format is refused
// with a 4xx before a background job is queued for it.
Status SniffContent(DocumentFormat format, std::string_view content) {
  if (format == DocumentFormat::kPdf) {
    if (!content.starts_with("%PDF-")) {
      return InvalidField("file", "is not a PDF (it does not start with %PDF-)");
    }
    return Status::Ok();
  }
  // A binary file with a text name: NUL bytes never occur in text. Finer checks (invalid UTF-8)
  // are the extractor's.
  if (content.substr(0, 64 << 10).find('\0') != std::string_view::npos) {
    return InvalidField("file", "is not text (it holds NUL bytes)");
  }
  return Status::Ok();
}

}  // namespace

Result<v1::AddDocumentResponse> RagServiceImpl::AddDocument(const v1::AddDocumentRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  if (request.content().empty()) return InvalidField("content", "is empty");
  if (request.content().size() > options_.max_document_bytes) {
    Status s(
        StatusCode::kResourceExhausted,
        "document is larger than " + std::to_string(options_.max_document_bytes >> 20) + " MiB");
    return s;
  }
  auto format = DetectFormat(request.content_type(), request.filename());
  if (!format.ok()) return Status(StatusCode::kUnimplemented, format.status().message());
  MH_TRY(SniffContent(*format, request.content()));
  MH_ASSIGN_OR_RETURN(std::string filename,
                      ValidateText("filename", request.filename(), kMaxTitleChars, false));
  std::string title_in = request.title().empty() ? filename : request.title();
  MH_ASSIGN_OR_RETURN(std::string title, ValidateText("title", title_in, kMaxTitleChars, true));

  IngestJob job;
  job.org_id = request.org_id();
  job.format = *format;
  v1::Document& d = job.document;
  d.set_id(NewId("doc_"));
  d.set_business_id(request.business_id());
  d.set_title(title);
  d.set_content_type(std::string(MediaTypeOf(*format)));
  d.set_filename(filename);
  d.set_status("processing");
  d.set_bytes(static_cast<std::int64_t>(request.content().size()));
  d.set_created_at_ms(clock_.NowUnixMillis());
  d.set_updated_at_ms(d.created_at_ms());

  const bool inline_ingest = request.content().size() <= options_.inline_ingest_bytes;
  if (inline_ingest) {
    // Small: ingest first and write nothing unless it succeeds (a bad file leaves no row).
    job.content = request.content();
    MH_ASSIGN_OR_RETURN(int chunks, IngestAndStore(job));
    d.set_status("indexed");
    d.set_chunks(chunks);
    v1::AddDocumentResponse out;
    *out.mutable_document() = std::move(d);
    return out;
  }
  {
    std::lock_guard lock(queue_mu_);
    if (stopping_ || !worker_.joinable()) {
      return Status(StatusCode::kUnavailable, "document ingestion is not running");
    }
    if (queued_bytes_ + request.content().size() > options_.max_queued_bytes) {
      return Status(StatusCode::kUnavailable,
                    "too many documents are waiting to be processed; retry in a minute");
    }
  }
  // Leased to this process until its worker is done with it (document_leases.cpp).
  MH_TRY(db_.Exec("INSERT INTO documents (id, org_id, business_id, title, content_type, "
                  "filename, status, chunks, bytes, error, created_by, created_at_ms, "
                  "updated_at_ms, lease_owner, lease_until_ms) VALUES ($1, $2, $3, $4, $5, $6, "
                  "'processing', 0, $7, '', $8, $9, $9, $10, $11)",
                  {d.id(), job.org_id, d.business_id(), d.title(), d.content_type(), d.filename(),
                   d.bytes(), request.actor_id(), d.created_at_ms(), lease_owner_, LeaseUntil()})
             .status());
  v1::AddDocumentResponse out;
  *out.mutable_document() = d;
  job.content = request.content();
  job.queued = true;
  {
    std::lock_guard lock(queue_mu_);
    queued_bytes_ += job.content.size();
    queue_.push_back(std::move(job));
  }
  queue_cv_.notify_one();
  return out;
}

Result<int> RagServiceImpl::IngestAndStore(const IngestJob& job) {
  const v1::Document& d = job.document;
  std::vector<Chunk> chunks;
  IngestLimits limits;
  limits.max_input_bytes = options_.max_document_bytes;
  MH_TRY(IngestDocument(job.format, job.content, limits, ChunkOptions{}, [&](Chunk&& c) -> Status {
           chunks.push_back(std::move(c));
           return Status::Ok();
         }).status());
  if (chunks.empty()) return InvalidField("file", "holds no text to index");

  // Each chunk's title names its document and heading; it is embedded with the text, as the
  // backfill embeds a stored chunk (EmbeddingInput).
  std::vector<std::string> titles, texts;
  titles.reserve(chunks.size());
  texts.reserve(chunks.size());
  for (const Chunk& c : chunks) {
    titles.push_back(c.heading.empty() ? d.title() : d.title() + " — " + c.heading);
    texts.push_back(EmbeddingInput(titles.back(), c.text));
  }
  auto embeddings = EmbedOrEmpty(texts);
  const std::string model = options_.embeddings ? options_.embeddings->model() : std::string();

  std::vector<Passage> passages;
  passages.reserve(chunks.size());
  const std::int64_t now = clock_.NowUnixMillis();
  // The chunks are stored with the document still "processing", put into the in-memory index,
  // and only then is the document marked "indexed": a client that sees "indexed" finds its text.
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    passages.clear();
    if (job.queued) {
      // Still this process's to finish: not deleted, and not failed by another process that
      // took this one for dead (its lease ran out).
      MH_ASSIGN_OR_RETURN(
          const std::int64_t existing,
          tx.Exec("UPDATE documents SET chunks = $1, error = '', updated_at_ms = $2, "
                  "lease_until_ms = $3 WHERE id = $4 AND org_id = $5 AND business_id = $6 AND "
                  "status = 'processing' AND lease_owner = $7",
                  {static_cast<std::int64_t>(chunks.size()), now, LeaseUntil(), d.id(), job.org_id,
                   d.business_id(), lease_owner_}));
      if (existing == 0) return NotFound("the document was deleted while it was processed");
    } else {
      MH_TRY(tx.Exec("INSERT INTO documents (id, org_id, business_id, title, content_type, "
                     "filename, status, chunks, bytes, error, created_by, created_at_ms, "
                     "updated_at_ms, lease_owner, lease_until_ms) VALUES ($1, $2, $3, $4, $5, "
                     "$6, 'processing', $7, $8, '', '', $9, $9, $10, $11)",
                     {d.id(), job.org_id, d.business_id(), d.title(), d.content_type(),
                      d.filename(), static_cast<std::int64_t>(chunks.size()), d.bytes(), now,
                      lease_owner_, LeaseUntil()})
                 .status());
    }
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      Passage p;
      p.entry_id = "chunk:" + NewId("chk_");
      p.source_type = "document";
      p.source_id = d.id();
      p.title = titles[i];
      p.text = std::move(chunks[i].text);
      p.boost = kDocumentBoost;
      p.embedding = std::move(embeddings[i]);
      MH_TRY(tx.Exec("INSERT INTO chunks (id, org_id, business_id, source_type, source_id, "
                     "ordinal, title, body, embedding, embedding_model, updated_at_ms) VALUES "
                     "($1, $2, $3, 'document', $4, $5, $6, $7, $8, $9, $10)",
                     {p.entry_id.substr(6), job.org_id, d.business_id(), d.id(),
                      static_cast<std::int64_t>(i), p.title, p.text, EncodeEmbedding(p.embedding),
                      p.embedding.empty() ? std::string() : model, now})
                 .status());
      passages.push_back(std::move(p));
    }
    return RecordChange(tx, job.org_id, d.business_id(), {{"document", d.id()}});
  }));
  const int stored = static_cast<int>(passages.size());
  ApplyCommitted(job.org_id, d.business_id());
  MH_ASSIGN_OR_RETURN(const std::int64_t marked,
                      db_.Exec("UPDATE documents SET status = 'indexed', updated_at_ms = $1 "
                               "WHERE id = $2 AND org_id = $3 AND business_id = $4 AND "
                               "status = 'processing'",
                               {clock_.NowUnixMillis(), d.id(), job.org_id, d.business_id()}));
  if (marked == 0) {
    // Deleted while its chunks went into the index: the deletion's own change log entry has
    // taken them out again.
    return NotFound("the document was deleted while it was processed");
  }
  return stored;
}

Status RagServiceImpl::MarkFailed(const v1::Document& document, const std::string& org_id,
                                  const std::string& error) {
  // A failure after the chunks were stored (marking it indexed failed) leaves none behind.
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_TRY(tx.Exec("DELETE FROM chunks WHERE source_type = 'document' AND source_id = $1 AND "
                   "org_id = $2",
                   {document.id(), org_id})
               .status());
    MH_TRY(tx.Exec("UPDATE documents SET status = 'failed', chunks = 0, error = $1, "
                   "updated_at_ms = $2 WHERE id = $3 AND org_id = $4",
                   {error, clock_.NowUnixMillis(), document.id(), org_id})
               .status());
    return RecordChange(tx, org_id, document.business_id(), {{"document", document.id()}});
  }));
  ApplyCommitted(org_id, document.business_id());
  return Status::Ok();
}

Result<v1::ListDocumentsResponse> RagServiceImpl::ListDocuments(
    const v1::ListDocumentsRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      db_.Query(std::string("SELECT ") + kDocumentColumns +
                                    " FROM documents WHERE org_id = $1 AND business_id = $2 "
                                    "AND id > $3 ORDER BY id LIMIT $4",
                                {request.org_id(), request.business_id(), request.cursor(),
                                 std::int64_t{limit + 1}}));
  v1::ListDocumentsResponse out;
  for (std::size_t r = 0; r < rows.size() && r < static_cast<std::size_t>(limit); ++r) {
    *out.add_items() = DocumentFromRow(rows, r);
  }
  if (rows.size() > static_cast<std::size_t>(limit)) {
    out.set_next_cursor(out.items(limit - 1).id());
  }
  return out;
}

Result<v1::GetDocumentResponse> RagServiceImpl::GetDocument(const v1::GetDocumentRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  if (request.document_id().empty()) return InvalidField("document_id", "is required");
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      db_.Query(std::string("SELECT ") + kDocumentColumns +
                                    " FROM documents WHERE id = $1 AND org_id = $2 AND "
                                    "business_id = $3",
                                {request.document_id(), request.org_id(), request.business_id()}));
  if (rows.empty()) return NotFound("document not found");
  v1::GetDocumentResponse out;
  *out.mutable_document() = DocumentFromRow(rows, 0);
  return out;
}

Result<v1::DeleteDocumentResponse> RagServiceImpl::DeleteDocument(
    const v1::DeleteDocumentRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  if (request.document_id().empty()) return InvalidField("document_id", "is required");
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(const std::int64_t changed,
                        tx.Exec("DELETE FROM documents WHERE id = $1 AND org_id = $2 AND "
                                "business_id = $3",
                                {request.document_id(), request.org_id(), request.business_id()}));
    if (changed == 0) return NotFound("document not found");
    MH_TRY(tx.Exec("DELETE FROM chunks WHERE source_id = $1 AND org_id = $2 AND business_id = $3 "
                   "AND source_type = 'document'",
                   {request.document_id(), request.org_id(), request.business_id()})
               .status());
    return RecordChange(tx, request.org_id(), request.business_id(),
                        {{"document", request.document_id()}});
  }));
  ApplyCommitted(request.org_id(), request.business_id());
  return v1::DeleteDocumentResponse();
}

}  // namespace milkyhoop::rag
