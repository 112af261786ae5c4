// Soft criteria: how well a solution that passed every hard constraint suits the municipality. Each criterion gives
// a value in [0,1] (computed on compiled rows for every fitting solution) and, for the results shown, a reason.
// docs/matching.md states every formula.
#pragma once

#include "catalog/domain/model.hpp"
#include "host/matching/compiled_catalog.hpp"
#include "host/matching/profile_view.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace lotse::matching {

enum class criterion : std::uint8_t {
  need_fit,
  maturity_fit,
  affordability,
  effort_fit,
  skill_fit,
  dependency_fit,
  references,
  cooperation,
};
inline constexpr std::size_t criterion_count = 8;

std::string_view name_of(criterion value);
std::optional<criterion> parse_criterion(std::string_view name);
std::string_view all_criterion_names();  // "need_fit, maturity_fit, …"

// Relative weights; the engine normalises them to sum 1, so only their ratios matter.
struct criterion_weights {
  std::array<double, criterion_count> values{0.35, 0.15, 0.12, 0.10, 0.08, 0.10, 0.05, 0.05};

  double& operator[](criterion c) { return values[static_cast<std::size_t>(c)]; }
  double operator[](criterion c) const { return values[static_cast<std::size_t>(c)]; }
};

// What the scan learns about one row before scoring it: its annual cost and the lists it appears in.
struct row_facts {
  double annual_eur = 0;
  int endorsement = -1;     // -1 none, else domain::endorsement_kind by the profile's service provider
  int reference_level = 0;  // 0 none, 1 references elsewhere, 2 in the same state, 3 in the same district
};

using criterion_values = std::array<double, criterion_count>;

// The need fit alone: also how the engine orders excluded solutions by relevance.
double need_fit_value(const profile_view& profile, const solution_row& row);

// The weighted sum of the criteria in criterion order, skipping those whose weight is 0 (adding 0.0 changes no
// sum, so this equals the sum of an explanation's contributions exactly).
double weighted_score(const profile_view& profile, const compiled_catalog& catalog, std::size_t i,
                      const row_facts& facts, const std::array<double, criterion_count>& weights);

criterion_values evaluate_all(const profile_view& profile, const compiled_catalog& catalog, std::size_t i,
                              const row_facts& facts);

// The reason for a value computed by evaluate_all, in German (the API's "reason") and English.
struct criterion_reason {
  std::string de;
  std::string en;
};
criterion_reason explain_criterion(criterion which, double value, const profile_view& profile,
                                   const compiled_catalog& catalog, std::size_t i, const row_facts& facts);

}  // namespace lotse::matching
