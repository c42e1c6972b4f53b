#include "confidence.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace milkyhoop::rag {

double KeywordConfidence(std::span<const SlotEvidence> slots, double top_score,
                         double second_score) {
  double total = 0, covered = 0, informative = 0;
  for (const auto& s : slots) {
    const double importance = std::max(0.0, s.importance);
    const double match = std::clamp(s.match, 0.0, 1.0);
    total += importance;
    covered += importance * match;
    if (!s.generic) informative += importance * match;
  }
  if (total <= 0 || covered <= 0 || top_score <= 0) return 0;
  const double coverage = std::clamp(covered / total, 0.0, 1.0);
  if (informative <= 0) return kGenericOnlyCap * coverage;
  const double margin = std::clamp((top_score - std::max(0.0, second_score)) / top_score, 0.0, 1.0);
  const double confidence =
      std::pow(coverage, kCoveragePower) * (1.0 - kMarginWeight * (1.0 - margin));
  return std::isfinite(confidence) ? std::clamp(confidence, 0.0, 1.0) : 0.0;
}

namespace {

// The regularised incomplete beta function I_x(a, b), by its continued fraction (modified Lentz;
// Numerical Recipes §6.4), used for the Student-t tail below.
double IncompleteBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // tgamma, not lgamma: glibc's lgamma writes the global signgam, a race between searches.
  // Finite for the degrees of freedom StudentUpperQuantile passes (a, b ≤ 150).
  const double front = std::tgamma(a + b) / (std::tgamma(a) * std::tgamma(b)) *
                       std::exp(a * std::log(x) + b * std::log1p(-x));
  // The fraction converges fast for x < (a + 1) / (a + b + 2); otherwise by symmetry.
  if (x > (a + 1) / (a + b + 2)) return 1 - IncompleteBeta(b, a, 1 - x);
  constexpr double kTiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  d = 1 / (std::abs(d) < kTiny ? kTiny : d);
  double f = d;
  for (int m = 1; m <= 200; ++m) {
    for (int half = 0; half < 2; ++half) {
      const double num = half == 0 ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                                   : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
      d = 1 + num * d;
      d = 1 / (std::abs(d) < kTiny ? kTiny : d);
      c = 1 + num / c;
      if (std::abs(c) < kTiny) c = kTiny;
      f *= c * d;
    }
    if (std::abs(c * d - 1) < 1e-12) break;
  }
  return front * f / a;
}

// P(T > t) for Student's t with `dof` degrees of freedom, t ≥ 0.
double StudentUpperTail(double t, double dof) {
  return 0.5 * IncompleteBeta(dof / 2, 0.5, dof / (dof + t * t));
}

// The t with P(T > t) = p (bisection: monotone, and called once per search). Beyond 250
// degrees of freedom t is the normal distribution to within 0.5%.
double StudentUpperQuantile(double p, double dof) {
  dof = std::min(dof, 250.0);
  double lo = 0, hi = 1e6;
  for (int i = 0; i < 200 && hi - lo > 1e-9 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (StudentUpperTail(mid, dof) > p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

SimilarityBaseline BaselineOf(std::span<const double> similarities) {
  SimilarityBaseline b;
  b.passages = similarities.size();
  if (similarities.size() < kMinBaselinePassages + 1) return b;
  const auto rest = similarities.subspan(1);
  double sum = 0;
  for (double s : rest) sum += s;
  b.mean = sum / static_cast<double>(rest.size());
  double squares = 0;
  for (double s : rest) squares += (s - b.mean) * (s - b.mean);
  b.stdev = std::sqrt(squares / static_cast<double>(rest.size() - 1));
  // Grubbs-style: a draw from the rest's distribution, standardised by its estimated mean and
  // spread, follows Student's t with rest − 1 degrees of freedom, widened by √(1 + 1/rest) for
  // the estimated mean; the largest of n such draws exceeds the (1 − α/n) quantile with
  // probability at most α (Bonferroni), whatever n.
  const double n = static_cast<double>(b.passages), r = n - 1;
  b.chance = StudentUpperQuantile(kChanceLevel / n, r - 1) * std::sqrt(1 + 1 / r);
  return b;
}

double SimilarityExcess(double similarity, const SimilarityBaseline& baseline) {
  if (!std::isfinite(baseline.chance) || !std::isfinite(similarity) ||
      !std::isfinite(baseline.mean) || !std::isfinite(baseline.stdev)) {
    return -std::numeric_limits<double>::infinity();
  }
  return (similarity - baseline.mean) / std::max(baseline.stdev, kMinSpread) - baseline.chance;
}

double VectorConfidence(double similarity, const SimilarityBaseline& baseline) {
  const double excess = SimilarityExcess(similarity, baseline);
  if (!std::isfinite(excess)) return 0;
  return std::clamp(excess / kExcessFull, 0.0, 1.0);
}

}  // namespace milkyhoop::rag
