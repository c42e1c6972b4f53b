#pragma once
// The searchable passages of a business as its rows hold them: FAQs (table faqs) and every other
// source (table chunks: document chunks, products, the profile). The one place that turns rows
// into Passages, for a full load and for re-reading one changed source.
//
// `model` is the configured embedding provider's model ("" without one): a stored vector is
// loaded only when the row says that model made it. Vectors of another model — even of the same
// dimension — are not comparable with the provider's query vectors; such a passage is
// keyword-only until the backfill (embedding_backfill.hpp) embeds it again.
#include <string>
#include <string_view>
#include <vector>

#include "change_log.hpp"
#include "knowledge_index.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::rag {

// Per-source priors: the owner's own FAQ answer wins over a document, a document over a
// product or profile passage when both match.
inline constexpr double kFaqBoost = 1.0;
inline constexpr double kDocumentBoost = 0.9;
inline constexpr double kCatalogueBoost = 0.8;

// The text a passage is embedded from, the same for every writer and for the backfill.
std::string EmbeddingInput(std::string_view title, std::string_view text);

Result<std::vector<Passage>> LoadBusinessPassages(sql::Session& s, const std::string& org_id,
                                                  const std::string& business_id,
                                                  const std::string& model);
// The source's passages now (none when it was deleted).
Result<std::vector<Passage>> LoadSourcePassages(sql::Session& s, const std::string& org_id,
                                                const std::string& business_id,
                                                const SourceRef& source, const std::string& model);

// The FAQs among `faq_ids` that still exist (an import changes thousands at once: one query per
// batch, not per FAQ).
Result<std::vector<Passage>> LoadFaqPassages(sql::Session& s, const std::string& org_id,
                                             const std::string& business_id,
                                             const std::vector<std::string>& faq_ids,
                                             const std::string& model);

}  // namespace milkyhoop::rag
