#include "passage_rows.hpp"

#include "embedding_codec.hpp"

namespace milkyhoop::rag {
namespace {

constexpr char kFaqSelect[] = "SELECT id, question, answer, embedding, embedding_model FROM faqs ";
constexpr char kChunkSelect[] =
    "SELECT id, source_type, source_id, title, body, embedding, embedding_model FROM chunks ";

// The row's vector when `model` made it; none otherwise.
std::vector<float> VectorOf(const sql::Rows& rows, std::size_t r, int column,
                            const std::string& model) {
  if (model.empty() || rows.Text(r, column + 1) != model) return {};
  return DecodeEmbedding(rows.Text(r, column)).value_or(std::vector<float>());
}

void AppendFaqs(const sql::Rows& rows, const std::string& model, std::vector<Passage>& out) {
  for (std::size_t r = 0; r < rows.size(); ++r) {
    Passage p;
    p.entry_id = "faq:" + rows.Text(r, 0);
    p.source_type = "faq";
    p.source_id = rows.Text(r, 0);
    p.title = rows.Text(r, 1);
    p.text = rows.Text(r, 2);
    p.boost = kFaqBoost;
    p.embedding = VectorOf(rows, r, 3, model);
    out.push_back(std::move(p));
  }
}

void AppendChunks(const sql::Rows& rows, const std::string& model, std::vector<Passage>& out) {
  for (std::size_t r = 0; r < rows.size(); ++r) {
    Passage p;
    p.entry_id = "chunk:" + rows.Text(r, 0);
    p.source_type = rows.Text(r, 1);
    p.source_id = rows.Text(r, 2);
    p.title = rows.Text(r, 3);
    p.text = rows.Text(r, 4);
    p.boost = p.source_type == "document" ? kDocumentBoost : kCatalogueBoost;
    p.embedding = VectorOf(rows, r, 5, model);
    out.push_back(std::move(p));
  }
}

}  // namespace

std::string EmbeddingInput(std::string_view title, std::string_view text) {
  std::string out;
  out.reserve(title.size() + 1 + text.size());
  out.append(title).append("\n").append(text);
  return out;
}

Result<std::vector<Passage>> LoadBusinessPassages(sql::Session& s, const std::string& org_id,
                                                  const std::string& business_id,
                                                  const std::string& model) {
  std::vector<Passage> out;
  MH_ASSIGN_OR_RETURN(
      sql::Rows faqs,
      s.Query(std::string(kFaqSelect) + "WHERE business_id = $1 AND org_id = $2 ORDER BY id",
              {business_id, org_id}));
  AppendFaqs(faqs, model, out);
  MH_ASSIGN_OR_RETURN(
      sql::Rows chunks,
      s.Query(std::string(kChunkSelect) + "WHERE business_id = $1 AND org_id = $2 ORDER BY id",
              {business_id, org_id}));
  AppendChunks(chunks, model, out);
  return out;
}

Result<std::vector<Passage>> LoadSourcePassages(sql::Session& s, const std::string& org_id,
                                                const std::string& business_id,
                                                const SourceRef& source, const std::string& model) {
  std::vector<Passage> out;
  if (source.type == "faq") {
    MH_ASSIGN_OR_RETURN(
        sql::Rows faqs,
        s.Query(std::string(kFaqSelect) + "WHERE id = $1 AND business_id = $2 AND org_id = $3",
                {source.id, business_id, org_id}));
    AppendFaqs(faqs, model, out);
    return out;
  }
  MH_ASSIGN_OR_RETURN(sql::Rows chunks, s.Query(std::string(kChunkSelect) +
                                                    "WHERE source_id = $1 AND source_type = $2 AND "
                                                    "business_id = $3 AND org_id = $4 ORDER BY id",
                                                {source.id, source.type, business_id, org_id}));
  AppendChunks(chunks, model, out);
  return out;
}

Result<std::vector<Passage>> LoadFaqPassages(sql::Session& s, const std::string& org_id,
                                             const std::string& business_id,
                                             const std::vector<std::string>& faq_ids,
                                             const std::string& model) {
  constexpr std::size_t kBatch = 500;  // placeholders per statement, well inside both limits
  std::vector<Passage> out;
  for (std::size_t start = 0; start < faq_ids.size(); start += kBatch) {
    const std::size_t end = std::min(faq_ids.size(), start + kBatch);
    std::vector<sql::Value> params{business_id, org_id};
    std::string sql =
        std::string(kFaqSelect) + "WHERE business_id = $1 AND org_id = $2 AND id IN (";
    for (std::size_t i = start; i < end; ++i) {
      sql += (i == start ? "$" : ", $") + std::to_string(params.size() + 1);
      params.emplace_back(faq_ids[i]);
    }
    sql += ") ORDER BY id";
    MH_ASSIGN_OR_RETURN(sql::Rows rows, s.Query(sql, std::span<const sql::Value>(params)));
    AppendFaqs(rows, model, out);
  }
  return out;
}

}  // namespace milkyhoop::rag
