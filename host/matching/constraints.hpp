// Hard constraints: what excludes a solution for a municipality. Each violation has a stable code (the API's
// "constraint") and a message a clerk understands, in German and English. The check itself is a bitmask over
// compiled rows (cheap enough to run on every solution of every match); messages are built only for what is shown.
#pragma once

#include "catalog/domain/model.hpp"
#include "host/matching/compiled_catalog.hpp"
#include "host/matching/profile_view.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::matching {

// Stable codes: clients and statistics key on them, so they never change meaning.
namespace constraint {
inline constexpr std::string_view budget_once = "budget_once";
inline constexpr std::string_view budget_annual = "budget_annual";
inline constexpr std::string_view staff_rollout = "staff_rollout";
inline constexpr std::string_view staff_ongoing = "staff_ongoing";
inline constexpr std::string_view missing_capability = "missing_capability";
inline constexpr std::string_view service_provider = "service_provider";
inline constexpr std::string_view hosting = "hosting";
inline constexpr std::string_view population_range = "population_range";
inline constexpr std::string_view stage_range = "stage_range";
inline constexpr std::string_view open_source = "open_source";
}  // namespace constraint

// One bit per constraint, in the order above.
using constraint_mask = std::uint16_t;
enum constraint_bit : constraint_mask {
  violates_budget_once = 1u << 0,
  violates_budget_annual = 1u << 1,
  violates_staff_rollout = 1u << 2,
  violates_staff_ongoing = 1u << 3,
  violates_missing_capability = 1u << 4,
  violates_service_provider = 1u << 5,
  violates_hosting = 1u << 6,
  violates_population_range = 1u << 7,
  violates_stage_range = 1u << 8,
  violates_open_source = 1u << 9,
};
inline constexpr std::size_t constraint_count = 10;
std::string_view constraint_code(std::size_t bit_index);

// Money compares with a cent's tolerance and staff with a tiny one, so a budget of exactly the cost fits.
inline constexpr double eur_tolerance = 0.005;
inline constexpr double fte_tolerance = 1e-9;

struct violation {
  std::string_view constraint;
  std::string message;     // German
  std::string message_en;  // English
};

// The constraints row i violates for the profile; 0 means it fits. `annual` is the row's annual cost at the
// profile's population (the caller computes it once and reuses it for scoring).
inline constraint_mask violated_constraints(const profile_view& p, const compiled_catalog& catalog, std::size_t i,
                                            double annual) {
  const auto& r = catalog.rows()[i];
  constraint_mask mask = 0;
  mask |= (r.setup_eur > p.budget_once_eur + eur_tolerance) ? violates_budget_once : 0;
  mask |= (annual > p.budget_annual_eur + eur_tolerance) ? violates_budget_annual : 0;
  mask |= (r.rollout_fte > p.staff_fte + fte_tolerance) ? violates_staff_rollout : 0;
  mask |= (r.ongoing_fte > p.staff_fte + fte_tolerance) ? violates_staff_ongoing : 0;
  mask |= (r.requires_caps & ~p.capabilities) != 0 ? violates_missing_capability : 0;
  if (r.compat_count != 0 && p.service_provider != no_service_provider) {
    bool compatible = false;
    const auto* codes = catalog.compat_codes().data() + r.compat_begin;
    for (std::uint16_t k = 0; k < r.compat_count; ++k) {
      compatible |= codes[k] == p.service_provider;
    }
    mask |= compatible ? 0 : violates_service_provider;
  }
  mask |= (p.accepted_hosting != 0 && r.hosting != 0 && (p.accepted_hosting & r.hosting) == 0) ? violates_hosting : 0;
  mask |= (p.population < r.population_min || p.population > r.population_max) ? violates_population_range : 0;
  mask |= (p.stage < r.stage_min || p.stage > r.stage_max) ? violates_stage_range : 0;
  mask |= (p.open_source_required && r.open_source == 0) ? violates_open_source : 0;
  return mask;
}

// The messages for a mask, in the fixed order of the codes; one violation per missing capability.
std::vector<violation> describe_violations(const domain::profile& profile, const domain::solution& solution,
                                           constraint_mask mask, double annual);

// Every constraint the solution violates for this profile, described; empty means it fits. For single checks
// (roadmap, relaxations, tests); matching uses violated_constraints on the compiled catalog.
std::vector<violation> check_constraints(const domain::profile& profile, const domain::solution& solution);

}  // namespace lotse::matching
