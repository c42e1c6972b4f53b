#include "embedding_backfill.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "embedding_codec.hpp"
#include "milkyhoop/core/log.hpp"
#include "passage_rows.hpp"

namespace milkyhoop::rag {
namespace {

// What a probe with nothing missing embeds: any short text proves the provider answers.
constexpr char kProbeText[] = "ping";

}  // namespace

EmbeddingBackfill::EmbeddingBackfill(sql::Database& db, EmbeddingProvider& provider,
                                     CircuitBreaker& breaker, EmbeddingBackfillOptions options,
                                     RecordFn record, AppliedFn applied, metrics::Registry* metrics)
    : db_(db),
      provider_(provider),
      breaker_(breaker),
      options_(options),
      model_(provider.model()),
      record_(std::move(record)),
      applied_(std::move(applied)) {
  if (metrics) {
    backfilled_ = metrics->GetCounter(
        "milkyhoop_rag_embeddings_backfilled_total",
        "Passages embedded after they were stored without a vector of the configured model");
  }
}

EmbeddingBackfill::~EmbeddingBackfill() { Stop(); }

Result<std::vector<EmbeddingBackfill::Row>> EmbeddingBackfill::SelectMissing() {
  // Across businesses: this is the service's own upkeep, not a tenant's request; every write
  // below is scoped by the row's organisation and business again.
  std::vector<Row> rows;
  const auto limit = static_cast<std::int64_t>(options_.batch_size);
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    rows.clear();
    MH_ASSIGN_OR_RETURN(sql::Rows faqs,
                        s.Query("SELECT id, org_id, business_id, question, answer FROM faqs "
                                "WHERE embedding_model <> $1 ORDER BY id LIMIT $2",
                                {model_, limit}));
    for (std::size_t r = 0; r < faqs.size(); ++r) {
      rows.push_back({"faqs", faqs.Text(r, 0), faqs.Text(r, 1), faqs.Text(r, 2),
                      SourceRef{"faq", faqs.Text(r, 0)}, faqs.Text(r, 3), faqs.Text(r, 4)});
    }
    const auto left = limit - static_cast<std::int64_t>(rows.size());
    if (left <= 0) return Status::Ok();
    MH_ASSIGN_OR_RETURN(sql::Rows chunks,
                        s.Query("SELECT id, org_id, business_id, source_type, source_id, title, "
                                "body FROM chunks WHERE embedding_model <> $1 ORDER BY id LIMIT $2",
                                {model_, left}));
    for (std::size_t r = 0; r < chunks.size(); ++r) {
      rows.push_back({"chunks", chunks.Text(r, 0), chunks.Text(r, 1), chunks.Text(r, 2),
                      SourceRef{chunks.Text(r, 3), chunks.Text(r, 4)}, chunks.Text(r, 5),
                      chunks.Text(r, 6)});
    }
    return Status::Ok();
  }));
  return rows;
}

Result<std::size_t> EmbeddingBackfill::Store(const std::vector<Row>& rows,
                                             const std::vector<std::vector<float>>& vectors) {
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_business;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    by_business[{rows[i].org_id, rows[i].business_id}].push_back(i);
  }
  std::size_t stored = 0;
  for (const auto& [business, members] : by_business) {
    const auto& [org_id, business_id] = business;
    std::size_t updated = 0;
    MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
      updated = 0;
      std::vector<SourceRef> sources;
      std::set<std::pair<std::string, std::string>> seen;
      for (std::size_t i : members) {
        const Row& row = rows[i];
        // Only the text that was embedded gets this vector: an edit made meanwhile wins. A row
        // that already holds the model's vector (another process, or the edit) is left alone.
        const std::string sql =
            row.table == "faqs"
                ? "UPDATE faqs SET embedding = $1, embedding_model = $2 WHERE id = $3 AND "
                  "org_id = $4 AND business_id = $5 AND question = $6 AND answer = $7 AND "
                  "embedding_model <> $2"
                : "UPDATE chunks SET embedding = $1, embedding_model = $2 WHERE id = $3 AND "
                  "org_id = $4 AND business_id = $5 AND title = $6 AND body = $7 AND "
                  "embedding_model <> $2";
        MH_ASSIGN_OR_RETURN(const std::int64_t changed,
                            tx.Exec(sql, {EncodeEmbedding(vectors[i]), model_, row.id, org_id,
                                          business_id, row.first, row.second}));
        if (changed == 0) continue;
        ++updated;
        if (seen.emplace(row.source.type, row.source.id).second) sources.push_back(row.source);
      }
      if (sources.empty()) return Status::Ok();
      return record_(tx, org_id, business_id, sources);
    }));
    if (updated > 0) applied_(org_id, business_id);
    stored += updated;
  }
  return stored;
}

EmbeddingBackfill::Round EmbeddingBackfill::RunRound() {
  for (int batch = 0; batch < options_.max_batches_per_round; ++batch) {
    if (stopping()) return Round::kMore;
    // Asked first, so an open breaker costs no database read; once closed (or this is the
    // probe) every path below reports to the breaker.
    const bool was_closed = breaker_.Closed();
    if (!breaker_.Allow()) return Round::kWaiting;
    auto rows = SelectMissing();
    if (!rows.ok()) {
      MH_LOG_WARN("embedding backfill cannot read the passages",
                  {"error", rows.status().message()});
      return Round::kFailed;
    }
    // A write may have found the provider down while the rows were read (and stored the row
    // without a vector that this read found): no call to a provider known down, unless this
    // round is the probe.
    if (was_closed && !breaker_.Closed()) return Round::kWaiting;
    std::vector<std::string> texts;
    for (const Row& r : *rows) texts.push_back(EmbeddingInput(r.first, r.second));
    if (texts.empty()) {
      if (breaker_.Closed()) return Round::kDone;
      texts.push_back(kProbeText);  // this call is the breaker's probe
    }
    auto vectors = provider_.Embed(texts);
    if (vectors.ok() && vectors->size() != texts.size()) {
      vectors = Status(StatusCode::kInternal, "the provider returned a wrong number of vectors");
    }
    if (!vectors.ok()) {
      // A text the provider refuses is not an outage (and retrying it soon changes nothing);
      // any other failure is.
      const bool refused = vectors.status().code() == StatusCode::kInvalidArgument;
      if (!refused) breaker_.RecordFailure();
      MH_LOG_WARN("embedding backfill: the provider failed; retrying later",
                  {"error", vectors.status().message()},
                  {"texts", static_cast<std::int64_t>(texts.size())});
      return refused ? Round::kRefused : Round::kFailed;
    }
    breaker_.RecordSuccess();
    if (rows->empty()) return Round::kDone;
    auto stored = Store(*rows, *vectors);
    if (!stored.ok()) {
      MH_LOG_WARN("embedding backfill cannot store vectors", {"error", stored.status().message()});
      return Round::kFailed;
    }
    if (backfilled_) backfilled_->Inc(*stored);
    MH_LOG_INFO("embedding backfill stored vectors",
                {"passages", static_cast<std::int64_t>(*stored)}, {"model", model_});
    if (rows->size() < options_.batch_size) return Round::kDone;
  }
  return Round::kMore;
}

void EmbeddingBackfill::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

bool EmbeddingBackfill::stopping() {
  std::lock_guard lock(mu_);
  return stopping_;
}

void EmbeddingBackfill::Start() {
  std::lock_guard lock(mu_);
  if (loop_.joinable()) return;
  stopping_ = false;
  loop_ = std::thread([this] { Loop(); });
}

void EmbeddingBackfill::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!loop_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  loop_.join();
}

void EmbeddingBackfill::Loop() {
  using Steady = std::chrono::steady_clock;
  // At start: rows left without a vector by a previous run, or of a model used before.
  auto next_scan = Steady::now();
  std::unique_lock lock(mu_);
  while (!stopping_) {
    // An open breaker is looked at every retry interval even with nothing missing: the probe
    // that closes it again is this loop's (search and writes never probe).
    const bool due = woken_ || Steady::now() >= next_scan || !breaker_.Closed();
    auto wait = options_.retry_interval;
    if (due) {
      woken_ = false;
      lock.unlock();
      const Round round = RunRound();
      lock.lock();
      const auto now = Steady::now();
      switch (round) {
        case Round::kDone:
        case Round::kRefused:
          next_scan = now + options_.scan_interval;
          break;
        case Round::kMore:
          next_scan = now;
          wait = std::chrono::milliseconds(0);
          break;
        case Round::kWaiting:
        case Round::kFailed:
          next_scan = now + options_.retry_interval;
          break;
      }
    }
    cv_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
  }
}

}  // namespace milkyhoop::rag
