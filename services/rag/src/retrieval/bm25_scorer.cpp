#include "bm25_scorer.hpp"

#include <algorithm>
#include <queue>

namespace milkyhoop::rag {
namespace {

// Per-thread accumulators, reused across searches (cleared through the touched lists), so a
// search allocates nothing proportional to the index.
struct Scratch {
  std::vector<float> total;
  std::vector<std::uint32_t> touched;
  std::vector<float> slot_best;
  std::vector<std::uint32_t> slot_touched;
  void Fit(std::size_t n) {
    if (total.size() < n) {
      total.resize(n, 0.f);
      slot_best.resize(n, 0.f);
    }
  }
};

// Adds weight × BM25F(term) of every live entry of the term's postings into `acc`.
template <typename Sink>
void ScoreTerm(const KeywordIndexImpl& index, KeywordIndexImpl::TermId term, double weight,
               Sink&& sink) {
  const double n = static_cast<double>(index.live_docs());
  const double idf = Idf(n, index.DocFrequency(term));
  const float scale = static_cast<float>(weight * idf * (kBm25K1 + 1.0));
  const float k1 = static_cast<float>(kBm25K1);
  // Length normalisation per field: tf / (1 − b + b · len / avg_len), folded into two factors.
  const float bt = static_cast<float>(kBm25B / index.average_title_length());
  const float bb = static_cast<float>(kBm25B / index.average_body_length());
  const float one_minus_b = static_cast<float>(1.0 - kBm25B);
  const float wt = static_cast<float>(kTitleWeight), wb = static_cast<float>(kBodyWeight);
  const std::uint8_t* alive = index.alive_column();
  const float* title_len = index.title_length_column();
  const float* body_len = index.body_length_column();
  for (const Posting& p : index.Postings(term)) {
    if (alive[p.doc] != KeywordIndexImpl::kAlive) continue;
    float tf = 0;
    if (p.title_tf) tf += wt * p.title_tf / (one_minus_b + bt * title_len[p.doc]);
    if (p.body_tf) tf += wb * p.body_tf / (one_minus_b + bb * body_len[p.doc]);
    sink(p.doc, scale * tf / (k1 + tf));
  }
}

}  // namespace

std::vector<ScoredDoc> ScoreTopK(const KeywordIndexImpl& index, const std::vector<QuerySlot>& slots,
                                 std::size_t top_k) {
  thread_local Scratch scratch;
  scratch.Fit(index.doc_slots());
  auto& total = scratch.total;
  auto& touched = scratch.touched;
  auto add_total = [&](std::uint32_t d, float s) {
    if (total[d] == 0.f) touched.push_back(d);
    total[d] += s;
  };
  for (const auto& slot : slots) {
    if (slot.alternatives.size() == 1) {
      const auto& a = slot.alternatives.front();
      ScoreTerm(index, a.term, a.weight, add_total);
      continue;
    }
    auto& best = scratch.slot_best;
    auto& slot_touched = scratch.slot_touched;
    for (const auto& a : slot.alternatives) {
      ScoreTerm(index, a.term, a.weight, [&](std::uint32_t d, float s) {
        if (best[d] == 0.f) slot_touched.push_back(d);
        best[d] = std::max(best[d], s);
      });
    }
    for (const std::uint32_t d : slot_touched) {
      add_total(d, best[d]);
      best[d] = 0.f;
    }
    slot_touched.clear();
  }

  // Min-heap of the best top_k (score, then lower slot wins ties).
  auto better = [](const ScoredDoc& a, const ScoredDoc& b) {
    return a.score > b.score || (a.score == b.score && a.doc < b.doc);
  };
  std::priority_queue<ScoredDoc, std::vector<ScoredDoc>, decltype(better)> heap(better);
  for (const std::uint32_t d : touched) {
    const double s = static_cast<double>(total[d]) * index.boost(d);
    total[d] = 0.f;
    if (top_k == 0 || s <= 0) continue;
    if (heap.size() < top_k) {
      heap.push({d, s});
    } else if (better({d, s}, heap.top())) {
      heap.pop();
      heap.push({d, s});
    }
  }
  touched.clear();
  std::vector<ScoredDoc> out(heap.size());
  for (std::size_t i = out.size(); i-- > 0;) {
    out[i] = heap.top();
    heap.pop();
  }
  return out;
}

}  // namespace milkyhoop::rag
