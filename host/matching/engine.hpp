// The matching engine: ranks a catalog's solutions for one municipality profile. Hard constraints exclude, with
// reasons; soft criteria score what remains, each criterion explained; ties break by solution id. Pure: the same
// profile, catalog and options always give the same outcome.
#pragma once

#include "catalog/domain/model.hpp"
#include "host/matching/compiled_catalog.hpp"
#include "host/matching/constraints.hpp"
#include "host/matching/criteria.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace lotse::matching {

struct match_options {
  std::size_t top_k = 10;
  std::size_t max_excluded = 25;  // the most relevant exclusions, with reasons; excluded_count has them all
  criterion_weights weights;
};

struct criterion_result {
  criterion which;
  double weight = 0;        // normalised: the weights of one result sum to 1
  double value = 0;         // in [0,1]
  double contribution = 0;  // weight × value; the contributions sum to the score
  std::string reason;       // German
  std::string reason_en;
};

struct ranked_solution {
  const domain::solution* solution = nullptr;  // points into the catalog passed to match()
  double score = 0;
  double annual_cost_eur = 0;
  std::vector<criterion_result> criteria;
};

struct excluded_solution {
  const domain::solution* solution = nullptr;
  double annual_cost_eur = 0;
  double relevance = 0;  // the need fit it would have had
  constraint_mask violated = 0;
  std::vector<violation> reasons;
};

struct match_outcome {
  std::vector<ranked_solution> results;     // best first, at most top_k
  std::vector<excluded_solution> excluded;  // most relevant first (need fit, then id), at most max_excluded
  std::size_t fitting_count = 0;            // solutions passing every hard constraint, before top_k
  std::size_t excluded_count = 0;           // before max_excluded
};

// Weights must be finite, ≥ 0 and not all 0 (the API validates them); the catalog must outlive the outcome.
match_outcome match(const domain::profile& profile, const compiled_catalog& catalog, const match_options& options);

// Compiles the solutions first: for tests and one-off use; servers keep a compiled_catalog per snapshot.
match_outcome match(const domain::profile& profile, std::span<const domain::solution> catalog,
                    const match_options& options);

}  // namespace lotse::matching
