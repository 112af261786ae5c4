#include "host/matching/engine.hpp"

#include <algorithm>
#include <numeric>

namespace lotse::matching {
namespace {

struct candidate {
  const domain::solution* solution;
  double score;
};

bool better(double score_a, const domain::solution& a, double score_b, const domain::solution& b) {
  if (score_a != score_b) {
    return score_a > score_b;
  }
  return a.id < b.id;
}

std::array<double, criterion_count> normalised(const criterion_weights& weights) {
  const double total = std::accumulate(weights.values.begin(), weights.values.end(), 0.0);
  std::array<double, criterion_count> out{};
  for (std::size_t i = 0; i < criterion_count; ++i) {
    out[i] = total > 0 ? weights.values[i] / total : 1.0 / criterion_count;
  }
  return out;
}

// The explained score. The score is the sum of the contributions in criterion order, so the explanation adds up
// exactly to the number shown.
ranked_solution explain(const domain::profile& profile, const domain::solution& solution,
                        const std::array<double, criterion_count>& weights) {
  ranked_solution out{&solution, 0, {}};
  out.criteria.reserve(criterion_count);
  for (std::size_t i = 0; i < criterion_count; ++i) {
    const auto which = static_cast<criterion>(i);
    auto evaluated = evaluate(which, profile, solution);
    const double contribution = weights[i] * evaluated.value;
    out.score += contribution;
    out.criteria.push_back({which, weights[i], evaluated.value, contribution, std::move(evaluated.reason)});
  }
  return out;
}

double score_only(const domain::profile& profile, const domain::solution& solution,
                  const std::array<double, criterion_count>& weights) {
  double score = 0;
  for (std::size_t i = 0; i < criterion_count; ++i) {
    score += weights[i] * evaluate(static_cast<criterion>(i), profile, solution).value;
  }
  return score;
}

}  // namespace

match_outcome match(const domain::profile& profile, std::span<const domain::solution> catalog,
                    const match_options& options) {
  const auto weights = normalised(options.weights);
  match_outcome out;
  std::vector<candidate> fitting;
  std::vector<std::pair<double, excluded_solution>> excluded;

  for (const auto& solution : catalog) {
    auto violations = check_constraints(profile, solution);
    if (violations.empty()) {
      fitting.push_back({&solution, score_only(profile, solution, weights)});
    } else {
      const double relevance = evaluate(criterion::need_fit, profile, solution).value;
      excluded.push_back({relevance, excluded_solution{&solution, std::move(violations)}});
    }
  }
  out.fitting_count = fitting.size();
  out.excluded_count = excluded.size();

  const auto top = std::min(options.top_k, fitting.size());
  std::partial_sort(fitting.begin(), fitting.begin() + static_cast<std::ptrdiff_t>(top), fitting.end(),
                    [](const candidate& a, const candidate& b) { return better(a.score, *a.solution, b.score, *b.solution); });
  out.results.reserve(top);
  for (std::size_t i = 0; i < top; ++i) {
    out.results.push_back(explain(profile, *fitting[i].solution, weights));
  }

  const auto shown = std::min(options.max_excluded, excluded.size());
  std::partial_sort(excluded.begin(), excluded.begin() + static_cast<std::ptrdiff_t>(shown), excluded.end(),
                    [](const auto& a, const auto& b) {
                      return better(a.first, *a.second.solution, b.first, *b.second.solution);
                    });
  out.excluded.reserve(shown);
  for (std::size_t i = 0; i < shown; ++i) {
    out.excluded.push_back(std::move(excluded[i].second));
  }
  return out;
}

}  // namespace lotse::matching
