#include "host/matching/constraints.hpp"

#include "host/matching/cost_model.hpp"
#include "host/matching/german_format.hpp"

#include <algorithm>

namespace lotse::matching {
namespace {

// Money and staff compare with a cent's / a hundredth FTE's tolerance, so a budget of exactly the cost fits.
constexpr double eur_tolerance = 0.005;
constexpr double fte_tolerance = 1e-9;

std::string stage_german(domain::stage value) {
  switch (value) {
    case domain::stage::start: return "Start";
    case domain::stage::orientation: return "Orientierung";
    case domain::stage::implementation: return "Umsetzung";
    case domain::stage::acceptance: return "Akzeptanz";
    case domain::stage::consolidation: return "Konsolidierung";
  }
  return {};
}

}  // namespace

std::vector<violation> check_constraints(const domain::profile& profile, const domain::solution& solution) {
  std::vector<violation> out;
  const auto& res = profile.resources_info;

  if (solution.cost.setup_eur > res.budget_once_eur + eur_tolerance) {
    out.push_back({constraint::budget_once,
                   "Die Einmalkosten von " + format_eur(solution.cost.setup_eur) +
                       " übersteigen das einmalige Budget von " + format_eur(res.budget_once_eur) + ".",
                   "The one-off cost of " + format_eur_english(solution.cost.setup_eur) +
                       " exceeds the one-off budget of " + format_eur_english(res.budget_once_eur) + "."});
  }
  const double annual = annual_cost_eur(solution.cost, profile.population);
  if (annual > res.budget_annual_eur + eur_tolerance) {
    out.push_back({constraint::budget_annual,
                   "Die laufenden Kosten von " + format_eur(annual) + " im Jahr übersteigen das Jahresbudget von " +
                       format_eur(res.budget_annual_eur) + ".",
                   "The running cost of " + format_eur_english(annual) + " a year exceeds the annual budget of " +
                       format_eur_english(res.budget_annual_eur) + "."});
  }
  if (solution.effort.rollout_fte > res.staff_fte + fte_tolerance) {
    out.push_back({constraint::staff_rollout,
                   "Die Einführung braucht " + format_fte(solution.effort.rollout_fte) + " Personal, verfügbar sind " +
                       format_fte(res.staff_fte) + ".",
                   "The rollout needs " + format_fte_english(solution.effort.rollout_fte) + " of staff; " +
                       format_fte_english(res.staff_fte) + " are available."});
  }
  if (solution.effort.ongoing_fte > res.staff_fte + fte_tolerance) {
    out.push_back({constraint::staff_ongoing,
                   "Der laufende Betrieb braucht " + format_fte(solution.effort.ongoing_fte) +
                       " Personal, verfügbar sind " + format_fte(res.staff_fte) + ".",
                   "Running it needs " + format_fte_english(solution.effort.ongoing_fte) + " of staff; " +
                       format_fte_english(res.staff_fte) + " are available."});
  }
  const auto missing = solution.requires_capabilities & ~profile.it.capabilities;
  for (std::size_t i = 0; i < domain::capability_count; ++i) {
    if (missing.test(i)) {
      const auto cap = static_cast<domain::capability>(i);
      out.push_back({constraint::missing_capability,
                     "Voraussetzung fehlt: " + std::string(domain::german_name_of(cap)) + ".",
                     "Missing prerequisite: " + std::string(domain::name_of(cap)) + "."});
    }
  }
  const auto& providers = solution.compatible_service_providers;
  if (!providers.empty() && !profile.it.service_provider.empty() &&
      std::find(providers.begin(), providers.end(), profile.it.service_provider) == providers.end()) {
    out.push_back({constraint::service_provider,
                   "Die Lösung läuft nicht bei Ihrem IT-Dienstleister (" + profile.it.service_provider + ").",
                   "The solution does not run with your IT service provider (" + profile.it.service_provider + ")."});
  }
  if (profile.it.accepted_hosting.any() && solution.hosting_options.any() &&
      (profile.it.accepted_hosting & solution.hosting_options).none()) {
    out.push_back({constraint::hosting, "Keine der angebotenen Betriebsorte ist für Sie zulässig.",
                   "None of the offered hosting options is acceptable to you."});
  }
  const auto& range = solution.populations;
  if (profile.population < range.min || (range.max && profile.population > *range.max)) {
    const auto bounds = format_count(range.min) + "–" + (range.max ? format_count(*range.max) : std::string("…"));
    out.push_back({constraint::population_range,
                   "Die Lösung ist für Kommunen mit " + bounds + " Einwohnern gedacht.",
                   "The solution is meant for municipalities of " + bounds + " inhabitants."});
  }
  const auto current = profile.maturity_info.current_stage;
  if (current < solution.stages.min || current > solution.stages.max) {
    out.push_back({constraint::stage_range,
                   "Die Lösung passt zu den Phasen " + stage_german(solution.stages.min) + " bis " +
                       stage_german(solution.stages.max) + ", Ihre Kommune ist in der Phase " +
                       stage_german(current) + ".",
                   "The solution suits stages " + std::string(domain::name_of(solution.stages.min)) + " to " +
                       std::string(domain::name_of(solution.stages.max)) + "; your municipality is at stage " +
                       std::string(domain::name_of(current)) + "."});
  }
  return out;
}

}  // namespace lotse::matching
