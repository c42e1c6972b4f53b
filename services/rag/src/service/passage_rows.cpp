#include "passage_rows.hpp"

#include "embedding_codec.hpp"

namespace milkyhoop::rag {
namespace {

constexpr char kFaqSelect[] = "SELECT id, question, answer, embedding FROM faqs ";
constexpr char kChunkSelect[] =
    "SELECT id, source_type, source_id, title, body, embedding FROM chunks ";

void AppendFaqs(const sql::Rows& rows, std::vector<Passage>& out) {
  for (std::size_t r = 0; r < rows.size(); ++r) {
    Passage p;
    p.entry_id = "faq:" + rows.Text(r, 0);
    p.source_type = "faq";
    p.source_id = rows.Text(r, 0);
    p.title = rows.Text(r, 1);
    p.text = rows.Text(r, 2);
    p.boost = kFaqBoost;
    p.embedding = DecodeEmbedding(rows.Text(r, 3)).value_or(std::vector<float>());
    out.push_back(std::move(p));
  }
}

void AppendChunks(const sql::Rows& rows, std::vector<Passage>& out) {
  for (std::size_t r = 0; r < rows.size(); ++r) {
    Passage p;
    p.entry_id = "chunk:" + rows.Text(r, 0);
    p.source_type = rows.Text(r, 1);
    p.source_id = rows.Text(r, 2);
    p.title = rows.Text(r, 3);
    p.text = rows.Text(r, 4);
    p.boost = p.source_type == "document" ? kDocumentBoost : kCatalogueBoost;
    p.embedding = DecodeEmbedding(rows.Text(r, 5)).value_or(std::vector<float>());
    out.push_back(std::move(p));
  }
}

}  // namespace

Result<std::vector<Passage>> LoadBusinessPassages(sql::Session& s, const std::string& org_id,
                                                  const std::string& business_id) {
  std::vector<Passage> out;
  MH_ASSIGN_OR_RETURN(
      sql::Rows faqs,
      s.Query(std::string(kFaqSelect) + "WHERE business_id = $1 AND org_id = $2 ORDER BY id",
              {business_id, org_id}));
  AppendFaqs(faqs, out);
  MH_ASSIGN_OR_RETURN(
      sql::Rows chunks,
      s.Query(std::string(kChunkSelect) + "WHERE business_id = $1 AND org_id = $2 ORDER BY id",
              {business_id, org_id}));
  AppendChunks(chunks, out);
  return out;
}

Result<std::vector<Passage>> LoadSourcePassages(sql::Session& s, const std::string& org_id,
                                                const std::string& business_id,
                                                const SourceRef& source) {
  std::vector<Passage> out;
  if (source.type == "faq") {
    MH_ASSIGN_OR_RETURN(
        sql::Rows faqs,
        s.Query(std::string(kFaqSelect) + "WHERE id = $1 AND business_id = $2 AND org_id = $3",
                {source.id, business_id, org_id}));
    AppendFaqs(faqs, out);
    return out;
  }
  MH_ASSIGN_OR_RETURN(sql::Rows chunks, s.Query(std::string(kChunkSelect) +
                                                    "WHERE source_id = $1 AND source_type = $2 AND "
                                                    "business_id = $3 AND org_id = $4 ORDER BY id",
                                                {source.id, source.type, business_id, org_id}));
  AppendChunks(chunks, out);
  return out;
}

Result<std::vector<Passage>> LoadFaqPassages(sql::Session& s, const std::string& org_id,
                                             const std::string& business_id,
                                             const std::vector<std::string>& faq_ids) {
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
    AppendFaqs(rows, out);
  }
  return out;
}

}  // namespace milkyhoop::rag
