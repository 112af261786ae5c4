#include "host/matching/relaxation.hpp"

#include "host/matching/constraints.hpp"
#include "host/matching/cost_model.hpp"
#include "host/matching/german_format.hpp"
#include "host/matching/profile_view.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <iterator>

namespace lotse::matching {
namespace {

// Constraints no change to the profile can repair: a municipality does not change its size, its IT service
// provider or a council's open-source decision to adopt one solution, and does not go back to an earlier stage.
constexpr constraint_mask unrepairable = violates_population_range | violates_service_provider | violates_open_source;
constexpr constraint_mask cost_or_staff =
    violates_budget_once | violates_budget_annual | violates_staff_rollout | violates_staff_ongoing;
constexpr std::size_t max_offers = 3;

// Sovereignty first: the hosting option a German municipality accepts most easily.
constexpr std::array<domain::hosting, domain::hosting_count> hosting_preference = {
    domain::hosting::provider_datacenter, domain::hosting::german_cloud, domain::hosting::on_premises,
    domain::hosting::any_eu_cloud};

profile_change make_change(change_kind kind) {
  profile_change change;
  change.kind = kind;
  return change;
}

double ceil_to(double value, double step) { return std::ceil(value / step - 1e-9) * step; }

// Solutions that provide the capability: those the municipality can carry now first, then by cost, then by id.
std::vector<const domain::solution*> offers_for(domain::capability capability, const profile_view& view,
                                                const compiled_catalog& catalog) {
  struct offer {
    std::uint32_t index;
    bool fits;
    double cost;
  };
  std::vector<offer> offers;
  for (const auto i : catalog.providers_of(capability)) {
    const double annual = catalog.annual_cost(i, view.population);
    offers.push_back({i, violated_constraints(view, catalog, i, annual) == 0, catalog.rows()[i].setup_eur + annual});
  }
  std::sort(offers.begin(), offers.end(), [&](const offer& a, const offer& b) {
    if (a.fits != b.fits) {
      return a.fits;
    }
    return a.cost != b.cost ? a.cost < b.cost : catalog.id_rank(a.index) < catalog.id_rank(b.index);
  });
  std::vector<const domain::solution*> out;
  for (std::size_t k = 0; k < offers.size() && k < max_offers; ++k) {
    out.push_back(&catalog.solutions()[offers[k].index]);
  }
  return out;
}

domain::solution shared_terms(const domain::solution& solution, std::int64_t population) {
  // One neighbour of similar size: half the setup, half the annual cost at the combined population less the
  // discount, half the staff effort.
  auto shared = solution;
  const double discount = solution.cost.shared_operation_discount.value_or(0);
  shared.cost.setup_eur = solution.cost.setup_eur / 2;
  shared.cost.annual_base_eur = annual_cost_eur(solution.cost, 2 * population) * (1 - discount) / 2;
  shared.cost.annual_per_inhabitant_eur = 0;
  shared.cost.population_bands.clear();
  shared.effort.rollout_fte = solution.effort.rollout_fte / 2;
  shared.effort.ongoing_fte = solution.effort.ongoing_fte / 2;
  return shared;
}

void describe(profile_change& change, const domain::solution& solution, std::int64_t population) {
  switch (change.kind) {
    case change_kind::add_capability: {
      const std::string de_name(domain::german_name_of(change.capability));
      const std::string en_name(domain::name_of(change.capability));
      if (change.offered_by.empty()) {
        change.message = "zuerst " + de_name + " einführen (im Katalog noch nicht angeboten)";
        change.message_en = "first introduce " + en_name + " (not offered in the catalog yet)";
      } else {
        const auto& first = *change.offered_by.front();
        change.message = "zuerst " + de_name + " einführen – angeboten als „" + first.name + "“";
        change.message_en = "first introduce " + en_name + " — offered as “" + first.name + "”";
      }
      return;
    }
    case change_kind::advance_stage:
      change.message = "zuerst die Phase " + std::string(german_name_of(change.stage)) + " erreichen";
      change.message_en = "first reach the " + std::string(domain::name_of(change.stage)) + " stage";
      return;
    case change_kind::accept_hosting:
      change.message = "den Betrieb " + std::string(german_name_of(change.hosting)) + " zulassen";
      change.message_en = "accept hosting: " + std::string(domain::name_of(change.hosting));
      return;
    case change_kind::joint_operation: {
      const auto shared = shared_terms(solution, population);
      change.message = "gemeinsam mit einer Nachbarkommune betreiben: je " + format_eur(shared.cost.setup_eur) +
                       " einmalig und " + format_eur(shared.cost.annual_base_eur) + " im Jahr";
      change.message_en = "operate it jointly with a neighbour: " + format_eur_english(shared.cost.setup_eur) +
                          " once and " + format_eur_english(shared.cost.annual_base_eur) + " a year each";
      return;
    }
    case change_kind::add_staff:
      change.message = "+" + format_fte(change.amount) + " Personal";
      change.message_en = "+" + format_fte_english(change.amount) + " staff";
      return;
    case change_kind::raise_budget_once:
      change.message = "+" + format_eur(change.amount) + " einmaliges Budget";
      change.message_en = "+" + format_eur_english(change.amount) + " one-off budget";
      return;
    case change_kind::raise_budget_annual:
      change.message = "+" + format_eur(change.amount) + " Jahresbudget";
      change.message_en = "+" + format_eur_english(change.amount) + " annual budget";
      return;
  }
}

struct candidate_set {
  std::vector<profile_change> changes;
  unsigned competing;  // bit set over the competing changes it uses
  double effort;       // how hard the set is for the municipality; lower first
};

// The competing changes, in the order of their bits.
constexpr std::array<change_kind, 4> competing_kinds = {change_kind::joint_operation, change_kind::add_staff,
                                                        change_kind::raise_budget_once,
                                                        change_kind::raise_budget_annual};

// Tries forced + the competing changes in `subset`; sizes the parametric ones to exactly the shortfall. Returns
// nullopt when the set does not repair everything or a change in it is unnecessary (then a subset works too).
std::optional<candidate_set> try_subset(const domain::profile& profile, const domain::solution& solution,
                                        const std::vector<profile_change>& forced, unsigned subset) {
  std::vector<profile_change> changes = forced;
  if ((subset & 1u) != 0) {
    changes.push_back(make_change(change_kind::joint_operation));
  }
  const auto base = apply_changes(profile, solution, changes);
  const auto& res = base.profile.resources_info;
  const double once_short = base.solution.cost.setup_eur - res.budget_once_eur;
  const double annual_short = annual_cost_eur(base.solution.cost, profile.population) - res.budget_annual_eur;
  const double staff_short = std::max(base.solution.effort.rollout_fte, base.solution.effort.ongoing_fte) - res.staff_fte;
  const std::array<std::pair<double, double>, 3> shortfalls = {
      {{staff_short, fte_tolerance}, {once_short, eur_tolerance}, {annual_short, eur_tolerance}}};
  double effort = (subset & 1u) != 0 ? 1.0 : 0.0;
  for (std::size_t k = 0; k < shortfalls.size(); ++k) {
    const bool chosen = (subset & (2u << k)) != 0;
    const auto [shortfall, tolerance] = shortfalls[k];
    if (chosen != (shortfall > tolerance)) {
      return std::nullopt;  // either a shortfall stays, or the change would be unnecessary
    }
    if (!chosen) {
      continue;
    }
    auto change = make_change(competing_kinds[k + 1]);
    change.amount = k == 0 ? ceil_to(shortfall, 0.01) : ceil_to(shortfall, 1.0);
    const double current = k == 0 ? res.staff_fte : (k == 1 ? res.budget_once_eur : res.budget_annual_eur);
    // Raising a budget fourfold is harder than adding a tenth: the relative raise counts.
    effort += 2.0 + change.amount / std::max(current, k == 0 ? 0.1 : 1000.0);
    changes.push_back(std::move(change));
  }
  const auto relaxed = apply_changes(profile, solution, changes);
  if (!check_constraints(relaxed.profile, relaxed.solution).empty()) {
    return std::nullopt;
  }
  return candidate_set{std::move(changes), subset, effort};
}

std::vector<relaxation> relax(const domain::profile& profile, const profile_view& view,
                                const compiled_catalog& catalog, const excluded_solution& excluded,
                                const relaxation_options& options) {
  const auto& solution = *excluded.solution;
  const auto mask = excluded.violated;
  if ((mask & unrepairable) != 0 ||
      ((mask & violates_stage_range) != 0 && profile.maturity_info.current_stage > solution.stages.max)) {
    return {};
  }
  std::vector<profile_change> forced;
  const auto missing = solution.requires_capabilities & ~profile.it.capabilities;
  for (std::size_t c = 0; c < domain::capability_count; ++c) {
    if (missing.test(c)) {
      const auto cap = static_cast<domain::capability>(c);
      auto change = make_change(change_kind::add_capability);
      change.capability = cap;
      change.offered_by = offers_for(cap, view, catalog);
      forced.push_back(std::move(change));
    }
  }
  if ((mask & violates_stage_range) != 0) {
    auto change = make_change(change_kind::advance_stage);
    change.stage = solution.stages.min;
    forced.push_back(std::move(change));
  }
  if ((mask & violates_hosting) != 0) {
    for (const auto option : hosting_preference) {
      if (solution.hosting_options.test(static_cast<std::size_t>(option))) {
        auto change = make_change(change_kind::accept_hosting);
        change.hosting = option;
        forced.push_back(std::move(change));
        break;
      }
    }
  }
  const bool can_share = catalog.rows()[static_cast<std::size_t>(&solution - catalog.solutions().data())].shared_operation != 0;
  std::vector<candidate_set> minimal;
  // Subsets of the four competing changes by size, so a kept set never contains a later one.
  std::array<unsigned, 16> subsets{};
  for (unsigned s = 0; s < 16; ++s) {
    subsets[s] = s;
  }
  std::stable_sort(subsets.begin(), subsets.end(),
                   [](unsigned a, unsigned b) { return std::popcount(a) < std::popcount(b); });
  for (const auto subset : subsets) {
    if ((subset & 1u) != 0 && (!can_share || (mask & cost_or_staff) == 0)) {
      continue;
    }
    if (std::any_of(minimal.begin(), minimal.end(),
                    [&](const candidate_set& kept) { return (kept.competing & subset) == kept.competing; })) {
      continue;  // contains a smaller correction set: not minimal
    }
    if (auto found = try_subset(profile, solution, forced, subset)) {
      minimal.push_back(std::move(*found));
    }
  }
  std::stable_sort(minimal.begin(), minimal.end(),
                   [](const candidate_set& a, const candidate_set& b) { return a.effort < b.effort; });
  std::vector<relaxation> out;
  for (std::size_t k = 0; k < minimal.size() && k < options.max_alternatives; ++k) {
    relaxation item{&solution, std::move(minimal[k].changes), {}, {}};
    std::string de;
    std::string en;
    for (auto& change : item.changes) {
      describe(change, solution, profile.population);
      de += (de.empty() ? "" : "; ") + change.message;
      en += (en.empty() ? "" : "; ") + change.message_en;
    }
    item.message = "„" + solution.name + "“ passt, wenn Sie " + de + ".";
    item.message_en = "“" + solution.name + "” fits if you " + en + ".";
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

std::string_view name_of(change_kind kind) {
  constexpr std::array<std::string_view, 7> names = {"add_capability", "advance_stage",     "accept_hosting",
                                                     "joint_operation", "add_staff",        "raise_budget_once",
                                                     "raise_budget_annual"};
  return names.at(static_cast<std::size_t>(kind));
}

relaxed_case apply_changes(const domain::profile& profile, const domain::solution& solution,
                           std::span<const profile_change> changes) {
  relaxed_case out{profile, solution};
  auto& res = out.profile.resources_info;
  for (const auto& change : changes) {
    switch (change.kind) {
      case change_kind::add_capability:
        out.profile.it.capabilities.set(static_cast<std::size_t>(change.capability));
        break;
      case change_kind::advance_stage:
        out.profile.maturity_info.current_stage = change.stage;
        break;
      case change_kind::accept_hosting:
        out.profile.it.accepted_hosting.set(static_cast<std::size_t>(change.hosting));
        break;
      case change_kind::joint_operation:
        out.profile.cooperation_info.open_to_cooperation = true;
        out.solution = shared_terms(solution, profile.population);
        break;
      case change_kind::add_staff:
        res.staff_fte += change.amount;
        break;
      case change_kind::raise_budget_once:
        res.budget_once_eur += change.amount;
        break;
      case change_kind::raise_budget_annual:
        res.budget_annual_eur += change.amount;
        break;
    }
  }
  return out;
}

std::vector<relaxation> find_relaxations(const domain::profile& profile, const compiled_catalog& catalog,
                                         const match_outcome& outcome, const match_options& match,
                                         const relaxation_options& options) {
  const auto view = prepare(profile, catalog);
  const bool too_few_fit = outcome.fitting_count < match.top_k;
  std::vector<relaxation> out;
  std::size_t relaxed_solutions = 0;
  // outcome.excluded is ordered by relevance already.
  for (const auto& excluded : outcome.excluded) {
    if (relaxed_solutions >= options.max_solutions) {
      break;
    }
    if (excluded.relevance <= 0 && !too_few_fit) {
      continue;
    }
    auto found = relax(profile, view, catalog, excluded, options);
    if (!found.empty()) {
      ++relaxed_solutions;
      std::move(found.begin(), found.end(), std::back_inserter(out));
    }
  }
  return out;
}

}  // namespace lotse::matching
