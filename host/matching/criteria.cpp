#include "host/matching/criteria.hpp"

#include "host/matching/cost_model.hpp"
#include "host/matching/german_format.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace lotse::matching {
namespace {

constexpr std::array<std::string_view, criterion_count> criterion_names = {"need_fit", "maturity_fit",
                                                                           "affordability", "effort_fit"};

std::string percent(double fraction) { return std::to_string(static_cast<int>(std::lround(fraction * 100))) + " %"; }

// The strongest need the solution serves: a solution for the municipality's most pressing need ranks first, and
// serving several minor needs does not outweigh it.
criterion_value need_fit(const domain::profile& profile, const domain::solution& solution) {
  const domain::need* best = nullptr;
  for (const auto& item : profile.needs) {
    if (solution.categories.test(static_cast<std::size_t>(item.category)) && (best == nullptr || item.weight > best->weight)) {
      best = &item;
    }
  }
  if (best == nullptr) {
    return {0, profile.needs.empty() ? "Es sind keine Bedarfe angegeben."
                                     : "Die Lösung deckt keinen der angegebenen Bedarfe."};
  }
  return {best->weight, "Deckt den Bedarf „" + std::string(domain::german_name_of(best->category)) + "“ (Gewicht " +
                            percent(best->weight) + ")."};
}

// How far the municipality's maturity levels fall short of what the solution expects, over all dimensions.
criterion_value maturity_fit(const domain::profile& profile, const domain::solution& solution) {
  int required = 0;
  int missing = 0;
  for (std::size_t i = 0; i < domain::dimension_count; ++i) {
    required += solution.min_levels[i];
    missing += std::max(0, static_cast<int>(solution.min_levels[i]) - static_cast<int>(profile.maturity_info.levels[i]));
  }
  if (required == 0) {
    return {1, "Die Lösung setzt keinen besonderen Reifegrad voraus."};
  }
  if (missing == 0) {
    return {1, "Ihr Reifegrad erfüllt alle Erwartungen der Lösung."};
  }
  const double value = 1.0 - static_cast<double>(missing) / static_cast<double>(required);
  return {value, "Ihrem Reifegrad fehlen " + std::to_string(missing) + " von " + std::to_string(required) +
                     " erwarteten Stufen."};
}

double headroom(double cost, double budget) {
  if (cost <= 0) {
    return 1;
  }
  return budget <= 0 ? 0 : std::clamp(1.0 - cost / budget, 0.0, 1.0);
}

// Budget left after the solution: a solution that uses the whole budget leaves nothing for the next step.
criterion_value affordability(const domain::profile& profile, const domain::solution& solution) {
  const auto& res = profile.resources_info;
  const double annual = annual_cost_eur(solution.cost, profile.population);
  const double value = 0.5 * headroom(solution.cost.setup_eur, res.budget_once_eur) +
                       0.5 * headroom(annual, res.budget_annual_eur);
  return {value, "Kosten: " + format_eur(solution.cost.setup_eur) + " einmalig und " + format_eur(annual) +
                     " im Jahr; es bleiben " + percent(value) + " des Budgets frei."};
}

criterion_value effort_fit(const domain::profile& profile, const domain::solution& solution) {
  const double need = std::max(solution.effort.rollout_fte, solution.effort.ongoing_fte);
  const double value = headroom(need, profile.resources_info.staff_fte);
  return {value, "Aufwand: " + format_fte(solution.effort.rollout_fte) + " in der Einführung, " +
                     format_fte(solution.effort.ongoing_fte) + " im Betrieb, bei " +
                     format_fte(profile.resources_info.staff_fte) + " verfügbar."};
}

}  // namespace

std::string_view name_of(criterion value) { return criterion_names.at(static_cast<std::size_t>(value)); }

std::optional<criterion> parse_criterion(std::string_view name) {
  const auto it = std::find(criterion_names.begin(), criterion_names.end(), name);
  if (it == criterion_names.end()) {
    return std::nullopt;
  }
  return static_cast<criterion>(it - criterion_names.begin());
}

criterion_value evaluate(criterion which, const domain::profile& profile, const domain::solution& solution) {
  switch (which) {
    case criterion::need_fit: return need_fit(profile, solution);
    case criterion::maturity_fit: return maturity_fit(profile, solution);
    case criterion::affordability: return affordability(profile, solution);
    case criterion::effort_fit: return effort_fit(profile, solution);
  }
  return {};
}

}  // namespace lotse::matching
