#include "index_sync.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "change_log.hpp"
#include "index_snapshot.hpp"
#include "milkyhoop/core/log.hpp"
#include "passage_rows.hpp"

namespace milkyhoop::rag {
namespace {

constexpr int kPollBatch = 5000;
constexpr int kMaxPollBatches = 20;  // a poll reads at most this many batches; the rest next time
constexpr int kCompactBatch = 10'000;

std::int64_t MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace

IndexSync::IndexSync(sql::Database& db, const Clock& clock, IndexSyncOptions options,
                     metrics::Registry* metrics)
    : db_(db), clock_(clock), options_(std::move(options)) {
  if (metrics) {
    constexpr char kLoadsHelp[] = "Business knowledge indexes loaded, by where from";
    loads_snapshot_ =
        metrics->GetCounter("milkyhoop_rag_index_loads_total", kLoadsHelp, {{"from", "snapshot"}});
    loads_database_ =
        metrics->GetCounter("milkyhoop_rag_index_loads_total", kLoadsHelp, {{"from", "database"}});
    caught_up_ = metrics->GetCounter("milkyhoop_rag_index_catchup_changes_total",
                                     "Change-log entries applied to loaded knowledge indexes");
    constexpr char kSnapshotsHelp[] = "Knowledge index snapshots written or refused at load";
    snapshots_written_ = metrics->GetCounter("milkyhoop_rag_index_snapshots_total", kSnapshotsHelp,
                                             {{"outcome", "written"}});
    snapshots_refused_ = metrics->GetCounter("milkyhoop_rag_index_snapshots_total", kSnapshotsHelp,
                                             {{"outcome", "refused"}});
  }
}

IndexSync::~IndexSync() { Stop(); }

Result<std::shared_ptr<KnowledgeIndex>> IndexSync::Rebuild(const std::string& org_id,
                                                           const std::string& business_id) {
  const auto start = std::chrono::steady_clock::now();
  auto index = std::make_shared<KnowledgeIndex>();
  std::vector<Passage> passages;
  std::int64_t seq = 0;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    // The head before the rows: every change up to it is committed (change_log.hpp), so the rows
    // read next include it; a later one has a higher sequence and is caught up afterwards.
    MH_ASSIGN_OR_RETURN(LogHead head, ReadLogHead(s));
    seq = head.seq;
    MH_ASSIGN_OR_RETURN(passages,
                        LoadBusinessPassages(s, org_id, business_id, options_.embedding_model));
    return Status::Ok();
  }));
  const auto count = static_cast<std::int64_t>(passages.size());
  for (Passage& p : passages) index->Put(std::move(p));
  index->set_applied_seq(seq);
  if (loads_database_) loads_database_->Inc();
  MH_LOG_INFO("knowledge index loaded", {"business_id", business_id}, {"from", "database"},
              {"passages", count}, {"seq", seq}, {"ms", MillisSince(start)});
  return index;
}

std::shared_ptr<KnowledgeIndex> IndexSync::FromSnapshot(const std::string& org_id,
                                                        const std::string& business_id) {
  if (options_.snapshot_dir.empty()) return nullptr;
  const auto start = std::chrono::steady_clock::now();
  const auto file = SnapshotPath(options_.snapshot_dir, org_id, business_id);
  auto image = ReadSnapshot(file, org_id, business_id);
  if (image.ok() && image->embedding_model != options_.embedding_model) {
    // Vectors of another model (the model was switched) must not meet this model's query
    // vectors, and the rows another process meanwhile embedded with this model are not in it:
    // rebuilt from the tables, which take each row's vector only when this model made it.
    image = Status(StatusCode::kDataLoss,
                   "snapshot of another embedding model (\"" + image->embedding_model + "\")");
  }
  Result<std::shared_ptr<KnowledgeIndex>> index =
      image.ok() ? KnowledgeIndex::Restore(std::move(*image), options_.snapshot_dir.string())
                 : image.status();
  if (!index.ok()) {
    if (index.status().code() != StatusCode::kNotFound) {
      if (snapshots_refused_) snapshots_refused_->Inc();
      MH_LOG_WARN("knowledge index snapshot ignored; rebuilding from the database",
                  {"business_id", business_id}, {"file", file.string()},
                  {"reason", index.status().message()});
    }
    return nullptr;
  }
  if (loads_snapshot_) loads_snapshot_->Inc();
  MH_LOG_INFO("knowledge index loaded", {"business_id", business_id}, {"from", "snapshot"},
              {"passages", static_cast<std::int64_t>((*index)->size())},
              {"seq", (*index)->applied_seq()}, {"ms", MillisSince(start)});
  return std::move(*index);
}

Result<std::shared_ptr<KnowledgeIndex>> IndexSync::Get(const std::string& org_id,
                                                       const std::string& business_id) {
  if (auto loaded = registry_.Peek(org_id, business_id)) return loaded;
  std::shared_ptr<KnowledgeIndex> out;
  MH_TRY(registry_.WithSlot(
      org_id, business_id, true, [&](std::shared_ptr<KnowledgeIndex>& index) -> Status {
        if (!index) {
          std::shared_ptr<KnowledgeIndex> loaded = FromSnapshot(org_id, business_id);
          if (!loaded) {
            MH_ASSIGN_OR_RETURN(loaded, Rebuild(org_id, business_id));
          }
          MH_TRY(CatchUpLocked(org_id, business_id, loaded));
          index = std::move(loaded);
        }
        out = index;
        return Status::Ok();
      }));
  return out;
}

Status IndexSync::CatchUpLocked(const std::string& org_id, const std::string& business_id,
                                std::shared_ptr<KnowledgeIndex>& index) {
  std::int64_t applied = 0;
  for (;;) {
    std::vector<Change> changes;
    LogHead head;
    // Each changed source once, in the order of its latest change: every process then places
    // passages in the same order as the writer did, so even exact score ties rank alike.
    std::vector<std::pair<std::string, std::string>> order;
    std::map<std::pair<std::string, std::string>, std::vector<Passage>> sources;
    MH_TRY(db_.Read([&](sql::Session& s) -> Status {
      sources.clear();
      order.clear();
      MH_ASSIGN_OR_RETURN(changes, BusinessChangesAfter(s, org_id, business_id,
                                                        index->applied_seq(), kCatchUpBatch));
      // The horizon after the changes: if compaction deleted some of them before they were read,
      // it had raised the horizon by then, and this read sees it.
      MH_ASSIGN_OR_RETURN(head, ReadLogHead(s));
      if (head.compacted_through > index->applied_seq() || index->applied_seq() > head.seq) {
        return Status::Ok();
      }
      // Read as they are now: entries name sources, not contents. FAQs in batches.
      std::vector<std::string> faq_ids;
      for (auto c = changes.rbegin(); c != changes.rend(); ++c) {
        auto key = std::make_pair(c->source.type, c->source.id);
        if (!sources.try_emplace(key).second) continue;
        order.push_back(key);
        if (c->source.type == "faq") {
          faq_ids.push_back(c->source.id);
          continue;
        }
        MH_ASSIGN_OR_RETURN(sources[key], LoadSourcePassages(s, org_id, business_id, c->source,
                                                             options_.embedding_model));
      }
      std::reverse(order.begin(), order.end());
      MH_ASSIGN_OR_RETURN(
          std::vector<Passage> faqs,
          LoadFaqPassages(s, org_id, business_id, faq_ids, options_.embedding_model));
      for (Passage& p : faqs) sources[{"faq", p.source_id}].push_back(std::move(p));
      return Status::Ok();
    }));
    // Ahead of the log: the snapshot belongs to another database (restored from a backup, or
    // recreated); its sequence means nothing here.
    const bool foreign = index->applied_seq() > head.seq;
    if (head.compacted_through > index->applied_seq() || foreign || applied > kMaxCatchUp) {
      MH_LOG_INFO("knowledge index too far behind the change log; rebuilding",
                  {"business_id", business_id}, {"applied_seq", index->applied_seq()},
                  {"compacted_through", head.compacted_through});
      MH_ASSIGN_OR_RETURN(index, Rebuild(org_id, business_id));
      applied = 0;
      continue;  // and catch up from the rebuilt index's sequence
    }
    if (changes.empty()) return Status::Ok();
    for (const auto& key : order) {
      index->RemoveSource(key.first, key.second);
      for (Passage& p : sources[key]) index->Put(std::move(p));
    }
    index->set_applied_seq(changes.back().seq);
    applied += static_cast<std::int64_t>(changes.size());
    if (caught_up_) caught_up_->Inc(changes.size());
    if (changes.size() < static_cast<std::size_t>(kCatchUpBatch)) return Status::Ok();
  }
}

Status IndexSync::CatchUp(const std::string& org_id, const std::string& business_id) {
  return registry_.WithSlot(org_id, business_id, false,
                            [&](std::shared_ptr<KnowledgeIndex>& index) -> Status {
                              if (!index) return Status::Ok();
                              return CatchUpLocked(org_id, business_id, index);
                            });
}

Status IndexSync::Poll() {
  std::lock_guard lock(poll_mu_);
  std::set<std::pair<std::string, std::string>> changed;
  bool everything = false;
  for (int batch = 0; batch < kMaxPollBatches; ++batch) {
    std::vector<Change> changes;
    LogHead head;
    MH_TRY(db_.Read([&](sql::Session& s) -> Status {
      MH_ASSIGN_OR_RETURN(head, ReadLogHead(s));
      if (cursor_ < 0 || head.compacted_through > cursor_) return Status::Ok();
      MH_ASSIGN_OR_RETURN(changes, ChangesAfter(s, cursor_, kPollBatch));
      return Status::Ok();
    }));
    // First poll, or the log was compacted past the cursor: every loaded index checks itself
    // (each catches up from its own sequence, or rebuilds).
    if (cursor_ < 0 || head.compacted_through > cursor_) {
      everything = true;
      cursor_ = head.seq;
      break;
    }
    for (const Change& c : changes) changed.emplace(c.org_id, c.business_id);
    if (!changes.empty()) cursor_ = changes.back().seq;
    if (changes.size() < static_cast<std::size_t>(kPollBatch)) break;
  }
  Status first = Status::Ok();
  for (const IndexRegistry::Business& b : registry_.Loaded()) {
    if (!everything && !changed.contains({b.org_id, b.business_id})) continue;
    Status s = CatchUp(b.org_id, b.business_id);
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

Status IndexSync::WriteSnapshots() {
  if (options_.snapshot_dir.empty()) return Status::Ok();
  Status first = Status::Ok();
  for (const IndexRegistry::Business& b : registry_.Loaded()) {
    // The image is taken under the slot lock (no catch-up changes it meanwhile); the file is
    // written outside it, so searches and catch-ups of the business go on.
    std::optional<KnowledgeIndexImage> image;
    std::shared_ptr<KnowledgeIndex> index;
    std::error_code ec;
    std::filesystem::create_directories(options_.snapshot_dir, ec);  // also hnswlib's scratch
    Status s = registry_.WithSlot(
        b.org_id, b.business_id, false, [&](std::shared_ptr<KnowledgeIndex>& slot) -> Status {
          if (!slot || slot->applied_seq() == slot->snapshot_seq()) return Status::Ok();
          index = slot;
          MH_ASSIGN_OR_RETURN(image, slot->Export(options_.snapshot_dir.string()));
          image->embedding_model = options_.embedding_model;  // the only model it holds
          return Status::Ok();
        });
    if (s.ok() && !image) continue;
    if (s.ok()) {
      s = WriteSnapshot(SnapshotPath(options_.snapshot_dir, b.org_id, b.business_id), b.org_id,
                        b.business_id, *image);
    }
    if (!s.ok()) {
      MH_LOG_WARN("knowledge index snapshot not written", {"business_id", b.business_id},
                  {"error", s.message()});
      if (first.ok()) first = s;
      continue;
    }
    index->set_snapshot_seq(image->seq);
    if (snapshots_written_) snapshots_written_->Inc();
  }
  return first;
}

Result<std::int64_t> IndexSync::Compact() {
  const std::int64_t cutoff =
      clock_.NowUnixMillis() -
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.change_retention).count();
  return CompactChanges(db_, cutoff, kCompactBatch);
}

void IndexSync::Forget(const std::string& org_id, const std::string& business_id) {
  registry_.Forget(org_id, business_id);
  if (!options_.snapshot_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove(SnapshotPath(options_.snapshot_dir, org_id, business_id), ec);
  }
}

void IndexSync::Start() {
  std::lock_guard lock(loop_mu_);
  if (loop_.joinable()) return;
  stopping_ = false;
  loop_ = std::thread([this] { Loop(); });
}

void IndexSync::Stop() {
  {
    std::lock_guard lock(loop_mu_);
    if (!loop_.joinable()) return;
    stopping_ = true;
  }
  loop_cv_.notify_all();
  loop_.join();
  Status saved = WriteSnapshots();
  if (!saved.ok()) MH_LOG_WARN("snapshots at stop incomplete", {"error", saved.message()});
}

void IndexSync::Loop() {
  using Steady = std::chrono::steady_clock;
  auto next_snapshot = Steady::now() + options_.snapshot_interval;
  auto next_compaction = Steady::now();
  std::string last_error;  // logged once per distinct failure, not every 250 ms
  std::unique_lock lock(loop_mu_);
  while (!stopping_) {
    lock.unlock();
    Status polled = Poll();
    if (!polled.ok() && polled.message() != last_error) {
      MH_LOG_WARN("knowledge index sync failed; retrying", {"error", polled.message()});
    }
    last_error = polled.ok() ? std::string() : polled.message();
    const auto now = Steady::now();
    if (options_.snapshot_interval.count() > 0 && now >= next_snapshot) {
      (void)WriteSnapshots();  // failures are logged per business
      next_snapshot = now + options_.snapshot_interval;
    }
    if (now >= next_compaction) {
      auto compacted = Compact();
      if (!compacted.ok()) {
        MH_LOG_WARN("change log compaction failed", {"error", compacted.status().message()});
      } else if (*compacted > 0) {
        MH_LOG_INFO("change log compacted", {"deleted", *compacted});
      }
      next_compaction = now + options_.compact_interval;
    }
    lock.lock();
    loop_cv_.wait_for(lock, options_.sync_interval, [this] { return stopping_; });
  }
}

}  // namespace milkyhoop::rag
