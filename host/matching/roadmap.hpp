// The roadmap: an ordered plan of steps (solution, year, quarter, cost in that year, why now) that a municipality can
// carry, built by simulating its budget, staff, capabilities and maturity stage quarter by quarter. Pure: no I/O, no
// clock (the caller passes the start year), no randomness; the same input always gives the same plan.
// docs/roadmap.md explains every rule with examples.
//
// The rules, in short:
//
// Time. The horizon is `years` calendar years from `start_year`, 4 quarters each. A step begins at the start of a
// quarter. Its rollout occupies max(1, ⌈rollout_months / 3⌉) quarters; the capabilities it provides are available
// from the quarter after the rollout ends, and so is its completion (for the stage progression below). A step may
// begin in the horizon's last quarters even if its rollout ends after it.
//
// Budget. Every year the municipality has `budget_once_eur` for investments — the setup costs of the steps begun
// that year — and `budget_annual_eur` for running costs — the annual cost (annual_cost_eur at its population; no
// shared-operation discount) of every solution adopted so far, counted from the quarter its step begins, prorated by
// quarter in its first year (begun in Q1: 4/4, Q2: 3/4, Q3: 2/4, Q4: 1/4). The running costs must also fit after the
// horizon: the full annual cost of everything adopted ≤ budget_annual_eur, so no step is pushed into a last quarter
// merely to make its prorated first year fit. A step's `cost_in_year_eur` is its setup plus its prorated annual cost.
//
// Staff. In every quarter, the rollout FTE of the rollouts running in it plus the ongoing FTE of the solutions whose
// rollout has ended ≤ staff_fte (also after the horizon: the sum of ongoing FTE ≤ staff_fte).
//
// Other constraints. A step is placed only where check_constraints (constraints.hpp) finds no violation other than
// the budget and staff ones (budget_once, budget_annual, staff_rollout, staff_ongoing, handled by the simulation
// above) for a *simulated* profile: the municipality's capabilities plus those provided by steps completed before
// that quarter, and its stage advanced as below. Reasons thus agree with POST /api/v1/match.
//
// Stage progression. For a municipality at stage start or orientation the plan begins with the seeds' minimum
// building blocks of a strategy, in the seeds' order: first impulse (strategy.vision) → goal definition
// (strategy.goals) → participation (participation.citizens) → communication (communication.citizens); the choice of
// measures (the needs below) follows them. In the simulation the stage advances from start to orientation when the
// vision and goal blocks have completed, and to implementation when all four blocks have completed. A block counts
// as completed from the start when the profile already has its result: the vision block when the profile has the
// capability digital_strategy. A block that cannot be planned holds the stage where it is (and is reported). The
// simulated stage never goes beyond implementation and never goes back; a municipality at implementation or later
// gets no building blocks and keeps its stage.
//
// Order and selection.
//  1. Building blocks (stage start/orientation only), each beginning no earlier than the quarter the previous
//     block completed. For each block's category, the solution whose planning (with its prerequisite chain) adds
//     the least total cost over the horizon (setup + years × annual), ties by id. A block already served by a
//     planned step is not planned again.
//  2. The profile's needs with weight > 0, by descending weight (ties in vocabulary order). A need already served by
//     a planned step is skipped, and so is (for start/orientation) a need that is one of the building blocks: it was
//     planned or reported as such. Otherwise, among the solutions serving it, the one whose planning adds the least
//     total horizon cost, ties by id. For a start/orientation municipality these measures and their prerequisites
//     begin no earlier than the last planned building block completed.
//  Prerequisites: for each required capability that neither the profile nor a planned step provides, the cheapest
//  solution providing it (own total horizon cost, ties by id) that can itself be planned, recursively; so the plan
//  is in topological order: a step begins only after the steps providing its prerequisites completed. Before any
//  search, a fixpoint over requires/provides marks which solutions are obtainable at all (from the profile's
//  capabilities, through usable solutions only); the search tries only those, and a solution met again on its own
//  prerequisite path is skipped, so cycles are never followed. Within the planning of one candidate for a need, a
//  solution that could not be planned is not tried again.
//  Every step is placed in the earliest quarter satisfying all of the above; later steps never change earlier ones,
//  so every year stays within both budgets by construction. Steps are listed by (year, quarter), then plan order.
//  At most max_steps steps are planned.
//
// Issues (stable codes; each with a German and an English message and the solution ids involved):
//  prerequisite_cycle            the solutions' requires/provides form a cycle that keeps a candidate out of reach
//                                (ids in chain order, starting at the smallest id)
//  missing_provider              no solution in the catalog (that the municipality could use) provides a capability
//                                a candidate requires (ids: the solution requiring it)
//  unreachable_need              no solution serving a need (or building block) can be used at all: none in the
//                                catalog, or each is excluded by a lasting constraint, a stage the plan never
//                                reaches, a cycle or a missing provider (ids: the candidates)
//  not_affordable_within_horizon a solution for the need exists but it (with its chain) does not fit the budgets,
//                                staff or time of the horizon (ids: the candidates that failed for this reason)
//  max_steps_reached             the need would fit, but the plan already has max_steps steps
// A need's cycle and missing_provider details are reported only when the need could not be served at all.
#pragma once

#include "catalog/domain/model.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::matching {

namespace roadmap_issue_code {
inline constexpr std::string_view prerequisite_cycle = "prerequisite_cycle";
inline constexpr std::string_view missing_provider = "missing_provider";
inline constexpr std::string_view unreachable_need = "unreachable_need";
inline constexpr std::string_view not_affordable_within_horizon = "not_affordable_within_horizon";
inline constexpr std::string_view max_steps_reached = "max_steps_reached";
}  // namespace roadmap_issue_code

inline constexpr int min_roadmap_years = 1;
inline constexpr int max_roadmap_years = 10;
inline constexpr std::size_t max_roadmap_steps = 50;

struct roadmap_options {
  int start_year = 0;  // required: the library has no clock
  int years = 5;       // 1..10
  std::size_t max_steps = 20;  // 1..50
};

struct roadmap_step {
  const domain::solution* solution = nullptr;  // points into the catalog passed to plan_roadmap()
  int year = 0;
  int quarter = 1;  // 1..4
  double setup_eur = 0;
  double annual_cost_eur = 0;    // full annual running cost at the municipality's population
  double cost_in_year_eur = 0;   // setup + annual prorated from the starting quarter to the end of the year
  int ready_year = 0;            // when the rollout has ended and what it provides is available
  int ready_quarter = 1;
  std::string why_now;     // German
  std::string why_now_en;  // English
  std::vector<std::string> enables;  // ids of later steps that require a capability this step provides
};

struct roadmap_year {
  int year = 0;
  double investment_eur = 0;  // setup costs of the steps begun this year
  double running_eur = 0;     // running costs of every solution adopted so far (prorated in its first year)
  double total_eur = 0;       // investment + running
  double budget_once_eur = 0;
  double budget_annual_eur = 0;
};

struct roadmap_issue {
  std::string_view code;  // one of roadmap_issue_code
  std::string message;     // German
  std::string message_en;  // English
  std::vector<std::string> solution_ids;
  std::optional<domain::need_category> need;  // the need or building block concerned, if any
};

struct roadmap {
  std::vector<roadmap_step> steps;  // by (year, quarter), then planning order
  std::vector<roadmap_year> years;  // one per horizon year, in order
  std::vector<roadmap_issue> issues;
  domain::stage final_stage = domain::stage::start;  // the simulated stage at the end of the horizon
};

// Throws std::invalid_argument if options.years is outside 1..10 or max_steps outside 1..50. The catalog must
// outlive the result (steps point into it); solution ids are assumed unique.
roadmap plan_roadmap(const domain::profile& profile, std::span<const domain::solution> catalog,
                     const roadmap_options& options);

}  // namespace lotse::matching
