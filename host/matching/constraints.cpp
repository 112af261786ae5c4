#include "host/matching/constraints.hpp"

#include "host/matching/cost_model.hpp"
#include "host/matching/german_format.hpp"

#include <array>

namespace lotse::matching {
namespace {

constexpr std::array<std::string_view, constraint_count> codes = {
    constraint::budget_once,       constraint::budget_annual,    constraint::staff_rollout,
    constraint::staff_ongoing,     constraint::missing_capability, constraint::service_provider,
    constraint::hosting,           constraint::population_range, constraint::stage_range,
    constraint::open_source,
};

}  // namespace

std::string_view constraint_code(std::size_t bit_index) { return codes.at(bit_index); }

std::vector<violation> describe_violations(const domain::profile& profile, const domain::solution& solution,
                                           constraint_mask mask, double annual) {
  std::vector<violation> out;
  const auto& res = profile.resources_info;
  if ((mask & violates_budget_once) != 0) {
    out.push_back({constraint::budget_once,
                   "Die Einmalkosten von " + format_eur(solution.cost.setup_eur) +
                       " übersteigen das einmalige Budget von " + format_eur(res.budget_once_eur) + ".",
                   "The one-off cost of " + format_eur_english(solution.cost.setup_eur) +
                       " exceeds the one-off budget of " + format_eur_english(res.budget_once_eur) + "."});
  }
  if ((mask & violates_budget_annual) != 0) {
    out.push_back({constraint::budget_annual,
                   "Die laufenden Kosten von " + format_eur(annual) + " im Jahr übersteigen das Jahresbudget von " +
                       format_eur(res.budget_annual_eur) + ".",
                   "The running cost of " + format_eur_english(annual) + " a year exceeds the annual budget of " +
                       format_eur_english(res.budget_annual_eur) + "."});
  }
  if ((mask & violates_staff_rollout) != 0) {
    out.push_back({constraint::staff_rollout,
                   "Die Einführung braucht " + format_fte(solution.effort.rollout_fte) + " Personal, verfügbar sind " +
                       format_fte(res.staff_fte) + ".",
                   "The rollout needs " + format_fte_english(solution.effort.rollout_fte) + " of staff; " +
                       format_fte_english(res.staff_fte) + " are available."});
  }
  if ((mask & violates_staff_ongoing) != 0) {
    out.push_back({constraint::staff_ongoing,
                   "Der laufende Betrieb braucht " + format_fte(solution.effort.ongoing_fte) +
                       " Personal, verfügbar sind " + format_fte(res.staff_fte) + ".",
                   "Running it needs " + format_fte_english(solution.effort.ongoing_fte) + " of staff; " +
                       format_fte_english(res.staff_fte) + " are available."});
  }
  if ((mask & violates_missing_capability) != 0) {
    const auto missing = solution.requires_capabilities & ~profile.it.capabilities;
    for (std::size_t i = 0; i < domain::capability_count; ++i) {
      if (missing.test(i)) {
        const auto cap = static_cast<domain::capability>(i);
        out.push_back({constraint::missing_capability,
                       "Voraussetzung fehlt: " + std::string(domain::german_name_of(cap)) + ".",
                       "Missing prerequisite: " + std::string(domain::name_of(cap)) + "."});
      }
    }
  }
  if ((mask & violates_service_provider) != 0) {
    out.push_back({constraint::service_provider,
                   "Die Lösung läuft nicht bei Ihrem IT-Dienstleister (" + profile.it.service_provider + ").",
                   "The solution does not run with your IT service provider (" + profile.it.service_provider + ")."});
  }
  if ((mask & violates_hosting) != 0) {
    out.push_back({constraint::hosting, "Keiner der angebotenen Betriebsorte ist für Sie zulässig.",
                   "None of the offered hosting options is acceptable to you."});
  }
  if ((mask & violates_population_range) != 0) {
    const auto& range = solution.populations;
    const auto bounds = format_count(range.min) + "–" + (range.max ? format_count(*range.max) : std::string("…"));
    out.push_back({constraint::population_range, "Die Lösung ist für Kommunen mit " + bounds + " Einwohnern gedacht.",
                   "The solution is meant for municipalities of " + bounds + " inhabitants."});
  }
  if ((mask & violates_stage_range) != 0) {
    const auto current = profile.maturity_info.current_stage;
    out.push_back({constraint::stage_range,
                   "Die Lösung passt zu den Phasen " + std::string(german_name_of(solution.stages.min)) + " bis " +
                       std::string(german_name_of(solution.stages.max)) + ", Ihre Kommune ist in der Phase " +
                       std::string(german_name_of(current)) + ".",
                   "The solution suits stages " + std::string(domain::name_of(solution.stages.min)) + " to " +
                       std::string(domain::name_of(solution.stages.max)) + "; your municipality is at stage " +
                       std::string(domain::name_of(current)) + "."});
  }
  if ((mask & violates_open_source) != 0) {
    out.push_back({constraint::open_source, "Ihre Kommune setzt Open Source voraus; diese Lösung ist nicht quelloffen.",
                   "Your municipality requires open source; this solution is not."});
  }
  return out;
}

std::vector<violation> check_constraints(const domain::profile& profile, const domain::solution& solution) {
  const compiled_catalog one(std::span(&solution, 1));
  const auto view = prepare(profile, one);
  const double annual = one.annual_cost(0, profile.population);
  return describe_violations(profile, solution, violated_constraints(view, one, 0, annual), annual);
}

}  // namespace lotse::matching
