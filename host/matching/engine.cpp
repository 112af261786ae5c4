#include "host/matching/engine.hpp"

#include "host/matching/profile_view.hpp"

#include <algorithm>
#include <numeric>

namespace lotse::matching {
namespace {

struct candidate {
  std::uint32_t index;
  double score;
};

struct rejected {
  std::uint32_t index;
  double relevance;
  constraint_mask violated;
  double annual;
};

std::array<double, criterion_count> normalised(const criterion_weights& weights) {
  const double total = std::accumulate(weights.values.begin(), weights.values.end(), 0.0);
  std::array<double, criterion_count> out{};
  for (std::size_t i = 0; i < criterion_count; ++i) {
    out[i] = total > 0 ? weights.values[i] / total : 1.0 / criterion_count;
  }
  return out;
}

// Keeps the best `limit` items offered, under `better`, without storing the rest: a heap whose front is the worst
// item kept, so most offers cost one comparison.
template <typename T, typename Better>
class best_of {
 public:
  best_of(std::size_t limit, Better better) : limit_(limit), better_(better) { heap_.reserve(limit); }

  void offer(const T& item) {
    if (heap_.size() < limit_) {
      heap_.push_back(item);
      std::push_heap(heap_.begin(), heap_.end(), better_);
    } else if (limit_ != 0 && better_(item, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better_);
      heap_.back() = item;
      std::push_heap(heap_.begin(), heap_.end(), better_);
    }
  }

  // Best first.
  std::vector<T> take_sorted() {
    std::sort_heap(heap_.begin(), heap_.end(), better_);
    return std::move(heap_);
  }

 private:
  std::size_t limit_;
  Better better_;
  std::vector<T> heap_;
};

// Walks a sorted index list alongside the scan, which visits rows in ascending order.
template <typename T, typename Key>
const T* find_sorted(std::span<const T> list, std::size_t& cursor, std::uint32_t index, Key key) {
  while (cursor < list.size() && key(list[cursor]) < index) {
    ++cursor;
  }
  return cursor < list.size() && key(list[cursor]) == index ? &list[cursor] : nullptr;
}

row_facts facts_for(const profile_view& view, const compiled_catalog& catalog, std::uint32_t i, double annual,
                    std::array<std::size_t, 3>& cursors) {
  row_facts facts;
  facts.annual_eur = annual;
  if (const auto* e = find_sorted(view.endorsed, cursors[0], i, [](const endorsed_solution& x) { return x.solution; })) {
    facts.endorsement = static_cast<int>(e->kind);
  }
  const auto identity = [](std::uint32_t x) { return x; };
  if (find_sorted(view.district_references, cursors[1], i, identity) != nullptr) {
    facts.reference_level = 3;
  } else if (find_sorted(view.state_references, cursors[2], i, identity) != nullptr) {
    facts.reference_level = 2;
  } else if (catalog.rows()[i].has_references != 0) {
    facts.reference_level = 1;
  }
  return facts;
}

}  // namespace

match_outcome match(const domain::profile& profile, const compiled_catalog& catalog, const match_options& options) {
  const auto weights = normalised(options.weights);
  const auto view = prepare(profile, catalog);
  const auto& rows = catalog.rows();
  const auto better = [&](const candidate& a, const candidate& b) {
    return a.score != b.score ? a.score > b.score : catalog.id_rank(a.index) < catalog.id_rank(b.index);
  };
  const auto more_relevant = [&](const rejected& a, const rejected& b) {
    return a.relevance != b.relevance ? a.relevance > b.relevance : catalog.id_rank(a.index) < catalog.id_rank(b.index);
  };
  best_of<candidate, decltype(better)> fitting(options.top_k, better);
  best_of<rejected, decltype(more_relevant)> excluded(options.max_excluded, more_relevant);
  match_outcome out;
  std::array<std::size_t, 3> cursors{};
  for (std::uint32_t i = 0; i < rows.size(); ++i) {
    const double annual = catalog.annual_cost(i, view.population);
    const auto violated = violated_constraints(view, catalog, i, annual);
    if (violated != 0) {
      ++out.excluded_count;
      excluded.offer({i, need_fit_value(view, rows[i]), violated, annual});
      continue;
    }
    ++out.fitting_count;
    fitting.offer({i, weighted_score(view, catalog, i, facts_for(view, catalog, i, annual, cursors), weights)});
  }

  const auto top = fitting.take_sorted();
  std::array<std::size_t, 3> explain_cursors{};
  out.results.reserve(top.size());
  for (const auto& chosen : top) {
    const auto i = chosen.index;
    // Cursors only move forward; the top results are in score order, so each gets fresh cursors.
    explain_cursors = {};
    const auto facts = facts_for(view, catalog, i, catalog.annual_cost(i, view.population), explain_cursors);
    const auto values = evaluate_all(view, catalog, i, facts);
    ranked_solution result{&catalog.solutions()[i], 0, facts.annual_eur, {}};
    result.criteria.reserve(criterion_count);
    for (std::size_t c = 0; c < criterion_count; ++c) {
      const auto which = static_cast<criterion>(c);
      auto reason = explain_criterion(which, values[c], view, catalog, i, facts);
      const double contribution = weights[c] * values[c];
      result.score += contribution;
      result.criteria.push_back({which, weights[c], values[c], contribution, std::move(reason.de), std::move(reason.en)});
    }
    out.results.push_back(std::move(result));
  }

  const auto shown = excluded.take_sorted();
  out.excluded.reserve(shown.size());
  for (const auto& e : shown) {
    const auto& solution = catalog.solutions()[e.index];
    out.excluded.push_back(
        {&solution, e.annual, e.relevance, e.violated, describe_violations(profile, solution, e.violated, e.annual)});
  }
  return out;
}

match_outcome match(const domain::profile& profile, std::span<const domain::solution> catalog,
                    const match_options& options) {
  const compiled_catalog compiled(catalog);
  return match(profile, compiled, options);
}

}  // namespace lotse::matching
