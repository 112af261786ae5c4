// Hard constraints: what excludes a solution for a municipality. Each violation has a stable code (the API's
// "constraint") and a message a clerk understands, in German and English.
#pragma once

#include "catalog/domain/model.hpp"

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
}  // namespace constraint

struct violation {
  std::string_view constraint;
  std::string message;     // German
  std::string message_en;  // English
};

// Every constraint the solution violates for this profile, in a fixed order; empty means it fits.
std::vector<violation> check_constraints(const domain::profile& profile, const domain::solution& solution);

}  // namespace lotse::matching
