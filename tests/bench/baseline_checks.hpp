// What the SQL baselines (SQLite and PostgreSQL) are checked against: the engine's own ranking, for the same
// profiles and weightings, so a benchmark never compares the engine with a query that answers something else.
#pragma once

#include "tests/bench/catalog_generator.hpp"
#include "tests/bench/sql_baseline.hpp"  // four_criteria_weights

#include "host/matching/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <span>
#include <vector>

namespace lotse::bench {

// The engine's options under which a baseline must agree: its default top_k, only the four modelled criteria.
inline matching::match_options four_criteria(std::size_t top_k = 10) {
  matching::match_options options;
  options.top_k = top_k;
  options.weights = four_criteria_weights();
  return options;
}

// exact: the same doubles in the same order of operations give the same bits (PostgreSQL, float8 throughout).
enum class score_match { exact, within_4_ulps };

// Compares a baseline's top k with the engine's; returns the engine's fitting count.
template <typename Baseline>
std::size_t expect_same_ranking(const domain::profile& profile, std::span<const domain::solution> catalog,
                                Baseline& sql, const matching::match_options& options, score_match scores) {
  const auto engine = matching::match(profile, catalog, options);
  const auto hits = sql.match(profile, options.weights, options.top_k);
  EXPECT_EQ(hits.size(), engine.results.size()) << "profile " << profile.ags;
  for (std::size_t i = 0; i < std::min(hits.size(), engine.results.size()); ++i) {
    EXPECT_EQ(hits[i].id, engine.results[i].solution->id) << "profile " << profile.ags << ", rank " << i;
    if (scores == score_match::exact) {
      EXPECT_EQ(hits[i].score, engine.results[i].score) << "profile " << profile.ags << ", rank " << i;
    } else {
      EXPECT_DOUBLE_EQ(hits[i].score, engine.results[i].score) << "profile " << profile.ags << ", rank " << i;
    }
  }
  return engine.fitting_count;
}

// Twenty profiles (seed 7), the first seven bent into edge cases each baseline must handle like the engine.
inline std::vector<domain::profile> edge_profiles() {
  auto profiles = generate_profiles(20, 7);
  profiles[0].needs.clear();                         // need fit 0 everywhere: ties break by id
  profiles[1].it.service_provider.clear();           // no service provider: compatibility lists do not apply
  profiles[2].it.accepted_hosting.reset();           // no hosting restriction
  profiles[3].resources_info.budget_annual_eur = 0;  // only solutions without running cost
  profiles[4].resources_info.staff_fte = 2;          // plenty of staff
  profiles[5].maturity_info.levels.fill(4);
  profiles[6].it.open_source_required = true;        // only open-source solutions
  return profiles;
}

// The default four-criteria weighting, one that puts affordability first, and a deeper top 25.
inline std::vector<matching::match_options> edge_weightings() {
  auto affordability_first = four_criteria();
  affordability_first.weights[matching::criterion::need_fit] = 1;
  affordability_first.weights[matching::criterion::maturity_fit] = 0;
  affordability_first.weights[matching::criterion::affordability] = 3;
  affordability_first.weights[matching::criterion::effort_fit] = 1;
  return {four_criteria(), affordability_first, four_criteria(25)};
}

}  // namespace lotse::bench
