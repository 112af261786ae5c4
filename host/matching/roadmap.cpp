#include "host/matching/roadmap.hpp"

#include "host/matching/constraints.hpp"
#include "host/matching/cost_model.hpp"
#include "host/matching/german_format.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>
#include <variant>

namespace lotse::matching {
namespace {

using domain::capability;
using domain::need_category;
using domain::stage;

// Same tolerances as the hard constraints: a budget of exactly the cost fits.
constexpr double money_slack = 0.005;
constexpr double staff_slack = 1e-9;
constexpr int never = std::numeric_limits<int>::max();
// A safety valve against pathological catalogs: prerequisite search calls per planned need or building block.
constexpr std::size_t max_plan_calls = 5000;

// The seeds' minimum building blocks of a strategy, in the seeds' order.
constexpr std::size_t block_count = 4;
constexpr std::array<need_category, block_count> building_blocks = {
    need_category::strategy_vision, need_category::strategy_goals, need_category::participation_citizens,
    need_category::communication_citizens};

constexpr std::array<std::string_view, block_count> block_text = {
    "Baustein 1 der Strategie: erst ein Zukunftsbild, dann Ziele.",
    "Baustein 2 der Strategie: aus dem Zukunftsbild überprüfbare Ziele ableiten, bevor Maßnahmen gewählt werden.",
    "Baustein 3 der Strategie: Bürgerinnen und Bürger beteiligen, bevor die Maßnahmen feststehen.",
    "Baustein 4 der Strategie: verständlich erklären, was geplant ist und warum; danach folgt die Auswahl der "
    "Maßnahmen.",
};
constexpr std::array<std::string_view, block_count> block_text_en = {
    "Strategy building block 1: first a picture of the future, then goals.",
    "Strategy building block 2: derive measurable goals from the picture of the future before choosing measures.",
    "Strategy building block 3: involve the citizens before the measures are fixed.",
    "Strategy building block 4: explain clearly what is planned and why; the choice of measures follows.",
};

bool is_budget_code(std::string_view code) {
  return code == constraint::budget_once || code == constraint::budget_annual || code == constraint::staff_rollout ||
         code == constraint::staff_ongoing;
}

// Codes the simulation can resolve over time: prerequisites get planned, the stage advances.
bool is_dynamic_code(std::string_view code) {
  return code == constraint::missing_capability || code == constraint::stage_range;
}

std::string stage_german(stage value) {
  switch (value) {
    case stage::start: return "Start";
    case stage::orientation: return "Orientierung";
    case stage::implementation: return "Umsetzung";
    case stage::acceptance: return "Akzeptanz";
    case stage::consolidation: return "Konsolidierung";
  }
  return {};
}

std::size_t index_of(capability c) { return static_cast<std::size_t>(c); }
std::size_t index_of(need_category c) { return static_cast<std::size_t>(c); }

std::string quoted(std::string_view text) { return "„" + std::string(text) + "“"; }
std::string quoted_en(std::string_view text) { return "“" + std::string(text) + "”"; }

// "a", "a und b", "a, b und c"
std::string join_list(const std::vector<std::string>& items, std::string_view last_separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += i + 1 == items.size() ? std::string(last_separator) : std::string(", ");
    }
    out += items[i];
  }
  return out;
}

std::string join_arrows(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : " → ") + item;
  }
  return out;
}

std::string join_messages(const std::vector<violation>& violations, bool english) {
  std::string out;
  for (const auto& v : violations) {
    out += (out.empty() ? "" : " ") + (english ? v.message_en : v.message);
  }
  return out;
}

// What a solution's rollout takes: whole quarters, at least one.
int rollout_quarters(const domain::solution& s) {
  const double months = std::isfinite(s.effort.rollout_months) ? std::max(0.0, s.effort.rollout_months) : 0.0;
  const double quarters = std::ceil(months / 3.0 - 1e-9);
  return std::clamp(static_cast<int>(std::min(quarters, 1000.0)), 1, 1000);
}

struct planned_step {
  std::size_t index = 0;  // into the catalog
  int start = 0;          // quarter index from the horizon's first quarter
  int ready = 0;          // first quarter after the rollout
  std::size_t order = 0;  // planning order
  std::string why;
  std::string why_en;
};

// The simulated municipality: what is planned, what it costs per year, what staff it binds per quarter.
struct simulation {
  std::vector<planned_step> steps;
  std::array<int, domain::capability_count> capability_ready{};  // first quarter it is available; never if not
  std::vector<double> investment;  // per year
  std::vector<double> running;     // per year
  double steady_running = 0;       // full annual cost of everything adopted (after the horizon)
  std::vector<double> staff;       // per quarter
  double steady_ongoing = 0;
  std::array<int, block_count> block_ready{};  // first quarter the block counts as completed; never if not
};

enum class failure_kind { permanent, budget, step_limit };

struct failure {
  failure_kind kind = failure_kind::permanent;
  std::string message;
  std::string message_en;
  bool path_dependent = false;  // caused by meeting a solution again on its own prerequisite path
};

// Why a step could not begin one quarter earlier, for its "why now".
enum class delay_cause { none, constraint, investment, running, staff };

// The role a solution is planned in, for its "why now".
struct role {
  enum kind_t { block, prerequisite, need } kind = need;
  std::size_t block_index = 0;
  need_category category = need_category::strategy_vision;
  double weight = 0;
  std::size_t dependent = 0;  // the solution needing this prerequisite (catalog index)
};

// What one attempt to plan a need or block learns besides success: cycles and missing providers it met.
struct attempt_log {
  std::vector<roadmap_issue> details;
  std::map<std::size_t, failure> failed;  // solutions that could not be planned in this attempt: not tried again
  std::size_t calls = 0;
};

struct solution_facts {
  double annual = 0;
  double horizon_cost = 0;
  int rollout_quarters = 1;
  std::vector<violation> lasting;  // violations the simulation cannot resolve (service provider, hosting, …);
                                   // the stage range is judged separately, against the stage the plan reaches
  std::vector<violation> too_big;  // budget/staff violations against the whole budget: never fits any year
};

class planner {
 public:
  planner(const domain::profile& profile, std::span<const domain::solution> catalog, const roadmap_options& options)
      : profile_(profile), catalog_(catalog), options_(options), quarters_(options.years * 4), simulated_(profile) {
    blocks_apply_ = profile.maturity_info.current_stage <= stage::orientation;
    reachable_stage_ = blocks_apply_ ? stage::implementation : profile.maturity_info.current_stage;
    facts_.resize(catalog.size());
    for (std::size_t i = 0; i < catalog.size(); ++i) {
      const auto& s = catalog[i];
      auto& f = facts_[i];
      f.annual = annual_cost_eur(s.cost, profile.population);
      f.horizon_cost = s.cost.setup_eur + f.annual * options.years;
      f.rollout_quarters = rollout_quarters(s);
      for (auto& v : check_constraints(profile, s)) {
        if (is_budget_code(v.constraint)) {
          f.too_big.push_back(std::move(v));
        } else if (!is_dynamic_code(v.constraint)) {
          f.lasting.push_back(std::move(v));
        }
      }
      for (std::size_t c = 0; c < domain::capability_count; ++c) {
        if (s.provides_capabilities.test(c)) {
          providers_[c].push_back(i);
        }
      }
    }
    for (auto& list : providers_) {
      sort_by_cost(list);
    }
    sim_.investment.assign(static_cast<std::size_t>(options.years), 0.0);
    sim_.running.assign(static_cast<std::size_t>(options.years), 0.0);
    sim_.staff.assign(static_cast<std::size_t>(quarters_), 0.0);
    for (std::size_t c = 0; c < domain::capability_count; ++c) {
      sim_.capability_ready[c] = profile.it.capabilities.test(c) ? 0 : never;
    }
    sim_.block_ready.fill(never);
    if (profile.it.capabilities.test(index_of(capability::digital_strategy))) {
      sim_.block_ready[0] = 0;  // the picture of the future exists already
    }
    // The simulation checks budgets and staff itself; with unlimited resources in the simulated profile,
    // check_constraints reports only the other constraints (and builds no messages for the budget ones).
    simulated_.resources_info.budget_once_eur = std::numeric_limits<double>::max();
    simulated_.resources_info.budget_annual_eur = std::numeric_limits<double>::max();
    simulated_.resources_info.staff_fte = std::numeric_limits<double>::max();
    analyse_structure();
  }

  roadmap run() {
    if (blocks_apply_) {
      in_block_phase_ = true;
      int not_before = 0;
      for (std::size_t k = 0; k < block_count; ++k) {
        current_block_ = k;
        if (sim_.block_ready[k] == never) {
          if (const auto served = ready_of_step_serving(building_blocks[k])) {
            sim_.block_ready[k] = *served;
          } else {
            role r;
            r.kind = role::block;
            r.block_index = k;
            r.category = building_blocks[k];
            plan_item(building_blocks[k], r, not_before);
          }
        }
        if (sim_.block_ready[k] != never) {
          not_before = std::max(not_before, sim_.block_ready[k]);
        }
      }
      in_block_phase_ = false;
      measures_not_before_ = not_before;
      // The stage progression is fixed now: solutions beyond the stage it reaches can never be planned.
      reachable_stage_ = stage_at(sim_, never - 1);
      analyse_structure();
    }

    std::vector<domain::need> needs;
    for (const auto& n : profile_.needs) {
      if (n.weight > 0) {
        needs.push_back(n);
      }
    }
    std::stable_sort(needs.begin(), needs.end(), [](const domain::need& a, const domain::need& b) {
      if (a.weight != b.weight) {
        return a.weight > b.weight;
      }
      return a.category < b.category;
    });
    for (const auto& n : needs) {
      const bool is_block = std::find(building_blocks.begin(), building_blocks.end(), n.category) !=
                            building_blocks.end();
      if (ready_of_step_serving(n.category) || (blocks_apply_ && is_block)) {
        continue;  // served, or planned (or reported) as a building block already
      }
      role r;
      r.kind = role::need;
      r.category = n.category;
      r.weight = n.weight;
      plan_item(n.category, r, measures_not_before_);
    }
    return result();
  }

 private:
  // ---- the simulation -------------------------------------------------------------------------------------------

  int year_index(int quarter) const { return quarter / 4; }

  stage stage_at(const simulation& sim, int quarter) const {
    const auto current = profile_.maturity_info.current_stage;
    if (!blocks_apply_) {
      return current;
    }
    const int strategy_done = std::max(sim.block_ready[0], sim.block_ready[1]);
    const int all_done = std::max({strategy_done, sim.block_ready[2], sim.block_ready[3]});
    if (all_done <= quarter) {
      return std::max(current, stage::implementation);
    }
    if (strategy_done <= quarter) {
      return std::max(current, stage::orientation);
    }
    return current;
  }

  const domain::profile& simulated_profile(const simulation& sim, int quarter) {
    auto caps = profile_.it.capabilities;
    for (std::size_t c = 0; c < domain::capability_count; ++c) {
      if (sim.capability_ready[c] <= quarter) {
        caps.set(c);
      }
    }
    simulated_.it.capabilities = caps;
    simulated_.maturity_info.current_stage = stage_at(sim, quarter);
    return simulated_;
  }

  std::optional<int> ready_of_step_serving(need_category category) const {
    for (const auto& step : sim_.steps) {
      if (catalog_[step.index].categories.test(index_of(category))) {
        return step.ready;
      }
    }
    return std::nullopt;
  }

  bool fits_investment(const simulation& sim, std::size_t i, int quarter) const {
    const auto y = static_cast<std::size_t>(year_index(quarter));
    return sim.investment[y] + catalog_[i].cost.setup_eur <= profile_.resources_info.budget_once_eur + money_slack;
  }

  bool fits_running(const simulation& sim, std::size_t i, int quarter) const {
    const double budget = profile_.resources_info.budget_annual_eur + money_slack;
    const double annual = facts_[i].annual;
    if (sim.steady_running + annual > budget) {
      return false;
    }
    const auto first = static_cast<std::size_t>(year_index(quarter));
    const double first_share = annual * static_cast<double>(4 - quarter % 4) / 4.0;
    for (std::size_t y = first; y < sim.running.size(); ++y) {
      if (sim.running[y] + (y == first ? first_share : annual) > budget) {
        return false;
      }
    }
    return true;
  }

  bool fits_staff(const simulation& sim, std::size_t i, int quarter) const {
    const double staff = profile_.resources_info.staff_fte + staff_slack;
    const auto& effort = catalog_[i].effort;
    if (sim.steady_ongoing + effort.ongoing_fte > staff) {
      return false;
    }
    const int ready = quarter + facts_[i].rollout_quarters;
    for (int q = quarter; q < quarters_; ++q) {
      if (sim.staff[static_cast<std::size_t>(q)] + (q < ready ? effort.rollout_fte : effort.ongoing_fte) > staff) {
        return false;
      }
    }
    return true;
  }

  void place(simulation& sim, std::size_t i, int quarter, std::string why, std::string why_en) {
    const auto& s = catalog_[i];
    const auto& f = facts_[i];
    const int ready = quarter + f.rollout_quarters;
    const auto first = static_cast<std::size_t>(year_index(quarter));
    sim.investment[first] += s.cost.setup_eur;
    for (std::size_t y = first; y < sim.running.size(); ++y) {
      sim.running[y] += y == first ? f.annual * static_cast<double>(4 - quarter % 4) / 4.0 : f.annual;
    }
    sim.steady_running += f.annual;
    for (int q = quarter; q < quarters_; ++q) {
      sim.staff[static_cast<std::size_t>(q)] += q < ready ? s.effort.rollout_fte : s.effort.ongoing_fte;
    }
    sim.steady_ongoing += s.effort.ongoing_fte;
    for (std::size_t c = 0; c < domain::capability_count; ++c) {
      if (s.provides_capabilities.test(c)) {
        sim.capability_ready[c] = std::min(sim.capability_ready[c], ready);
      }
    }
    // While the building blocks are planned, a step serving this or a later block completes it (the stage
    // progression is fixed before any measure is planned, so no placed step ever sees its stage change).
    if (in_block_phase_) {
      for (std::size_t k = current_block_; k < block_count; ++k) {
        if (sim.block_ready[k] == never && s.categories.test(index_of(building_blocks[k]))) {
          sim.block_ready[k] = ready;
        }
      }
    }
    sim.steps.push_back({i, quarter, ready, sim.steps.size(), std::move(why), std::move(why_en)});
  }

  // ---- planning one solution with its prerequisite chain --------------------------------------------------------

  void sort_by_cost(std::vector<std::size_t>& list) const {
    std::sort(list.begin(), list.end(), [this](std::size_t a, std::size_t b) {
      if (facts_[a].horizon_cost != facts_[b].horizon_cost) {
        return facts_[a].horizon_cost < facts_[b].horizon_cost;
      }
      return catalog_[a].id < catalog_[b].id;
    });
  }

  std::string name_of_solution(std::size_t i) const {
    return catalog_[i].name.empty() ? catalog_[i].id : catalog_[i].name;
  }

  static void add_detail(attempt_log& log, roadmap_issue issue) {
    for (const auto& existing : log.details) {
      if (existing.code == issue.code && existing.solution_ids == issue.solution_ids &&
          existing.message == issue.message) {
        return;
      }
    }
    log.details.push_back(std::move(issue));
  }

  // ---- what can be planned at all, regardless of money and time ------------------------------------------------

  // Why solution i can never be planned for this municipality, for reasons the simulation cannot change: a
  // lasting constraint (service provider, hosting, population, …) or a stage range the plan never reaches.
  std::optional<failure> lasting_failure(std::size_t i) const {
    const auto& s = catalog_[i];
    const auto& f = facts_[i];
    if (!f.lasting.empty()) {
      return failure{failure_kind::permanent, join_messages(f.lasting, false), join_messages(f.lasting, true)};
    }
    const auto current = profile_.maturity_info.current_stage;
    if (s.stages.max < current || s.stages.min > reachable_stage_) {
      const auto range = quoted(stage_german(s.stages.min)) + " bis " + quoted(stage_german(s.stages.max));
      const auto range_en = std::string(domain::name_of(s.stages.min)) + " to " +
                            std::string(domain::name_of(s.stages.max));
      if (s.stages.max < current) {
        return failure{failure_kind::permanent,
                       "Die Lösung passt zu den Phasen " + range + ", Ihre Kommune ist schon in der Phase " +
                           quoted(stage_german(current)) + ".",
                       "The solution suits stages " + range_en + "; your municipality is already at stage " +
                           std::string(domain::name_of(current)) + "."};
      }
      return failure{failure_kind::permanent,
                     "Die Lösung passt zu den Phasen " + range + "; in diesem Plan erreicht Ihre Kommune höchstens "
                         "die Phase " + quoted(stage_german(reachable_stage_)) +
                         (blocks_apply_ && reachable_stage_ < stage::implementation
                              ? ", weil Bausteine der Strategie fehlen."
                              : "."),
                     "The solution suits stages " + range_en + "; in this plan your municipality reaches stage " +
                         std::string(domain::name_of(reachable_stage_)) + " at most" +
                         (blocks_apply_ && reachable_stage_ < stage::implementation
                              ? ", because strategy building blocks are missing."
                              : ".")};
    }
    return std::nullopt;
  }

  // usable_: no lasting failure. plannable_: usable and every prerequisite obtainable from the profile or from
  // plannable solutions (a least fixpoint, so solutions that depend only on each other in a cycle stay out).
  void analyse_structure() {
    usable_.assign(catalog_.size(), 0);
    plannable_.assign(catalog_.size(), 0);
    for (std::size_t i = 0; i < catalog_.size(); ++i) {
      usable_[i] = lasting_failure(i) ? 0 : 1;
    }
    auto available = profile_.it.capabilities;
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t i = 0; i < catalog_.size(); ++i) {
        if (usable_[i] && !plannable_[i] && (catalog_[i].requires_capabilities & ~available).none()) {
          plannable_[i] = 1;
          available |= catalog_[i].provides_capabilities;
          changed = true;
        }
      }
    }
  }

  // Explains why a usable solution is not plannable: the prerequisites no usable solution provides
  // (missing_provider) and the cycles among the solutions that could provide them (prerequisite_cycle). A
  // depth-first search that visits each solution once.
  void diagnose(std::size_t i, std::vector<char>& colour, std::vector<std::size_t>& path, attempt_log& log) const {
    colour[i] = 1;  // on the path
    path.push_back(i);
    for (std::size_t c = 0; c < domain::capability_count; ++c) {
      if (!catalog_[i].requires_capabilities.test(c) || profile_.it.capabilities.test(c)) {
        continue;
      }
      const auto& providers = providers_[c];
      if (std::any_of(providers.begin(), providers.end(), [this](std::size_t p) { return plannable_[p] != 0; })) {
        continue;
      }
      bool any_usable = false;
      for (const auto p : providers) {
        if (!usable_[p]) {
          continue;
        }
        any_usable = true;
        if (colour[p] == 1) {
          add_detail(log, cycle_issue(std::vector<std::size_t>(std::find(path.begin(), path.end(), p), path.end())));
        } else if (colour[p] == 0) {
          diagnose(p, colour, path, log);
        }
      }
      if (!any_usable) {
        add_detail(log, missing_provider_issue(i, static_cast<capability>(c)));
      }
    }
    path.pop_back();
    colour[i] = 2;  // done
  }

  roadmap_issue cycle_issue(std::vector<std::size_t> cycle) const {
    // The same cycle is met from different entry points: start it at its smallest id, so it is reported once.
    std::rotate(cycle.begin(),
                std::min_element(cycle.begin(), cycle.end(),
                                 [this](std::size_t a, std::size_t b) { return catalog_[a].id < catalog_[b].id; }),
                cycle.end());
    roadmap_issue issue;
    issue.code = roadmap_issue_code::prerequisite_cycle;
    std::vector<std::string> names;
    std::vector<std::string> names_en;
    for (const auto member : cycle) {
      issue.solution_ids.push_back(catalog_[member].id);
      names.push_back(quoted(name_of_solution(member)));
      names_en.push_back(quoted_en(name_of_solution(member)));
    }
    names.push_back(names.front());
    names_en.push_back(names_en.front());
    issue.message = "Die Voraussetzungen bilden einen Kreis: " + join_arrows(names) +
                    ". Keine dieser Lösungen kann als erste eingeführt werden.";
    issue.message_en = "The prerequisites form a cycle: " + join_arrows(names_en) +
                       ". None of these solutions can be introduced first.";
    return issue;
  }

  roadmap_issue missing_provider_issue(std::size_t dependent, capability c) const {
    roadmap_issue issue;
    issue.code = roadmap_issue_code::missing_provider;
    issue.solution_ids = {catalog_[dependent].id};
    issue.message = quoted(name_of_solution(dependent)) + " braucht " + quoted(domain::german_name_of(c)) +
                    ", aber keine für Sie nutzbare Lösung im Katalog bringt das mit.";
    issue.message_en = quoted_en(name_of_solution(dependent)) + " requires " + std::string(domain::name_of(c)) +
                       ", but no solution in the catalog that you can use provides it.";
    return issue;
  }

  // Why a usable solution is not plannable, in one sentence, with the details logged.
  failure structural_failure(std::size_t i, attempt_log& log) const {
    std::vector<char> colour(catalog_.size(), 0);
    std::vector<std::size_t> path;
    const auto before = log.details.size();
    diagnose(i, colour, path, log);
    bool in_cycle = false;
    for (std::size_t k = before; k < log.details.size(); ++k) {
      const auto& ids = log.details[k].solution_ids;
      in_cycle |= log.details[k].code == roadmap_issue_code::prerequisite_cycle &&
                  std::find(ids.begin(), ids.end(), catalog_[i].id) != ids.end();
    }
    for (std::size_t c = 0; c < domain::capability_count; ++c) {
      if (!catalog_[i].requires_capabilities.test(c) || profile_.it.capabilities.test(c)) {
        continue;
      }
      const auto& providers = providers_[c];
      if (std::any_of(providers.begin(), providers.end(), [this](std::size_t p) { return plannable_[p] != 0; })) {
        continue;
      }
      const auto cap = static_cast<capability>(c);
      if (std::none_of(providers.begin(), providers.end(), [this](std::size_t p) { return usable_[p] != 0; })) {
        return failure{failure_kind::permanent,
                       "Keine für Sie nutzbare Lösung im Katalog bringt die Voraussetzung " +
                           quoted(domain::german_name_of(cap)) + " mit.",
                       "No solution in the catalog that you can use provides " + std::string(domain::name_of(cap)) +
                           "."};
      }
      if (in_cycle) {
        return failure{failure_kind::permanent, "Ihre Voraussetzungen bilden einen Kreis.",
                       "Its prerequisites form a cycle."};
      }
      return failure{failure_kind::permanent,
                     "Die Voraussetzung " + quoted(domain::german_name_of(cap)) +
                         " lässt sich mit dem Katalog nicht herstellen.",
                     "The prerequisite " + std::string(domain::name_of(cap)) +
                         " cannot be obtained from the catalog."};
    }
    return failure{failure_kind::permanent, "Die Voraussetzungen lassen sich nicht herstellen.",
                   "Its prerequisites cannot be obtained."};
  }

  // ---- planning one solution with its prerequisite chain --------------------------------------------------------

  // Plans solution i (and whatever it needs first) into sim, no earlier than not_before. Returns the quarter its
  // rollout ends, or why it cannot be planned; on failure sim may hold partial work (callers plan on copies).
  std::variant<int, failure> plan(simulation& sim, std::size_t i, int not_before, std::vector<std::size_t>& stack,
                                  attempt_log& log, const role& why) {
    for (const auto& step : sim.steps) {
      if (step.index == i) {
        return step.ready;
      }
    }
    if (std::find(stack.begin(), stack.end(), i) != stack.end()) {
      // Met again on its own prerequisite path: not this way (the caller tries other providers).
      failure f{failure_kind::permanent, "Ihre Voraussetzungen bilden einen Kreis.", "Its prerequisites form a cycle."};
      f.path_dependent = true;
      return f;
    }
    if (const auto memo = log.failed.find(i); memo != log.failed.end()) {
      return memo->second;
    }
    if (++log.calls > max_plan_calls) {
      return failure{failure_kind::permanent, "Die Voraussetzungen sind zu verzweigt, um sie zu planen.",
                     "The prerequisites branch too much to be planned."};
    }
    auto outcome = plan_uncached(sim, i, not_before, stack, log, why);
    if (auto* failed = std::get_if<failure>(&outcome); failed != nullptr && !failed->path_dependent) {
      log.failed.emplace(i, *failed);
    }
    return outcome;
  }

  std::variant<int, failure> plan_uncached(simulation& sim, std::size_t i, int not_before,
                                           std::vector<std::size_t>& stack, attempt_log& log, const role& why) {
    const auto& s = catalog_[i];
    const auto& f = facts_[i];
    if (auto lasting = lasting_failure(i)) {
      return std::move(*lasting);
    }
    if (!plannable_[i]) {
      return structural_failure(i, log);
    }
    if (!f.too_big.empty()) {
      return failure{failure_kind::budget, join_messages(f.too_big, false), join_messages(f.too_big, true)};
    }
    stack.push_back(i);
    int prerequisites_ready = 0;
    for (std::size_t c = 0; c < domain::capability_count; ++c) {
      if (!s.requires_capabilities.test(c)) {
        continue;
      }
      if (sim.capability_ready[c] == never) {
        auto outcome = plan_provider(sim, i, static_cast<capability>(c), not_before, stack, log);
        if (auto* failed = std::get_if<failure>(&outcome)) {
          stack.pop_back();
          return std::move(*failed);
        }
      }
      prerequisites_ready = std::max(prerequisites_ready, sim.capability_ready[c]);
    }
    stack.pop_back();
    return schedule(sim, i, std::max(not_before, prerequisites_ready), not_before, prerequisites_ready, why);
  }

  // Plans the cheapest plannable provider of capability c (own total horizon cost, ties by id) that fits, for
  // solution `dependent`. Every provider tried is planned on a copy; only the one that fits is kept.
  std::variant<int, failure> plan_provider(simulation& sim, std::size_t dependent, capability c, int not_before,
                                           std::vector<std::size_t>& stack, attempt_log& log) {
    std::optional<failure> first_budget_failure;
    std::optional<failure> first_failure;
    bool path_dependent = false;
    for (const auto p : providers_[index_of(c)]) {
      if (!plannable_[p]) {
        continue;
      }
      simulation trial = sim;
      role r;
      r.kind = role::prerequisite;
      r.dependent = dependent;
      auto outcome = plan(trial, p, not_before, stack, log, r);
      if (std::holds_alternative<int>(outcome)) {
        sim = std::move(trial);
        return outcome;
      }
      auto& failed = std::get<failure>(outcome);
      path_dependent |= failed.path_dependent;
      failure wrapped{failed.kind,
                      "Voraussetzung " + quoted(domain::german_name_of(c)) + " (" + quoted(name_of_solution(p)) +
                          "): " + failed.message,
                      "Prerequisite " + std::string(domain::name_of(c)) + " (" + quoted_en(name_of_solution(p)) +
                          "): " + failed.message_en};
      if (failed.kind == failure_kind::budget && !first_budget_failure) {
        first_budget_failure = wrapped;
      }
      if (!first_failure) {
        first_failure = std::move(wrapped);
      }
    }
    auto out = first_budget_failure ? std::move(*first_budget_failure)
               : first_failure      ? std::move(*first_failure)
                                    : failure{failure_kind::permanent, "Ihre Voraussetzungen bilden einen Kreis.",
                                         "Its prerequisites form a cycle."};
    out.path_dependent = path_dependent || !first_failure;
    return out;
  }

  // Places solution i in the earliest quarter from `earliest` on where every check holds.
  std::variant<int, failure> schedule(simulation& sim, std::size_t i, int earliest, int not_before,
                                      int prerequisites_ready, const role& why) {
    const auto& s = catalog_[i];
    delay_cause cause = delay_cause::none;
    std::string constraint_message;
    std::string constraint_message_en;
    bool blocked_by_investment = false;
    bool blocked_by_running = false;
    bool blocked_by_staff = false;
    // The simulated profile changes only when a capability arrives or the stage advances: check again only then.
    std::optional<std::pair<domain::capability_set, stage>> checked;
    bool lasting_violation = false;
    for (int q = earliest; q < quarters_; ++q) {
      const auto& simulated = simulated_profile(sim, q);
      const std::pair state{simulated.it.capabilities, simulated.maturity_info.current_stage};
      if (!checked || *checked != state) {
        checked = state;
        lasting_violation = false;
        for (auto& v : check_constraints(simulated, s)) {
          if (!is_budget_code(v.constraint)) {
            lasting_violation = true;
            constraint_message = std::move(v.message);
            constraint_message_en = std::move(v.message_en);
            break;
          }
        }
      }
      if (lasting_violation) {
        cause = delay_cause::constraint;
        continue;
      }
      if (!fits_investment(sim, i, q)) {
        cause = delay_cause::investment;
        blocked_by_investment = true;
        continue;
      }
      if (!fits_running(sim, i, q)) {
        cause = delay_cause::running;
        blocked_by_running = true;
        continue;
      }
      if (!fits_staff(sim, i, q)) {
        cause = delay_cause::staff;
        blocked_by_staff = true;
        continue;
      }
      auto [text, text_en] = why_now(sim, i, q, earliest, not_before, prerequisites_ready, cause,
                                     constraint_message, constraint_message_en, why);
      place(sim, i, q, std::move(text), std::move(text_en));
      auto& placed = sim.steps.back();
      // A building block whose completion advances the simulated stage says so.
      if (why.kind == role::block && stage_at(sim, placed.ready) > stage_at(sim, placed.ready - 1)) {
        const auto reached = stage_at(sim, placed.ready);
        placed.why += " Danach ist die Kommune in der Phase " + quoted(stage_german(reached)) + ".";
        placed.why_en += " Afterwards the municipality is at stage " + std::string(domain::name_of(reached)) + ".";
      }
      return placed.ready;
    }
    const auto last_year = std::to_string(options_.start_year + options_.years - 1);
    if (earliest >= quarters_) {
      return failure{failure_kind::budget, "Die Voraussetzungen stehen erst nach " + last_year + " bereit.",
                     "Its prerequisites are only in place after " + last_year + "."};
    }
    std::vector<std::string> limits;
    std::vector<std::string> limits_en;
    if (blocked_by_investment) {
      limits.emplace_back("das Investitionsbudget");
      limits_en.emplace_back("the investment budget");
    }
    if (blocked_by_running) {
      limits.emplace_back("das Budget für laufende Kosten");
      limits_en.emplace_back("the budget for running costs");
    }
    if (blocked_by_staff) {
      limits.emplace_back("das Personal");
      limits_en.emplace_back("the staff");
    }
    if (!limits.empty()) {
      return failure{failure_kind::budget,
                     "Neben den übrigen Schritten reichen " + join_list(limits, " und ") + " bis " + last_year +
                         " in keinem Quartal.",
                     "Alongside the other steps, " + join_list(limits_en, " and ") +
                         " do not suffice in any quarter up to " + last_year + "."};
    }
    // Only constraints the simulation could still resolve (the stage) failed: not within the horizon.
    return failure{failure_kind::budget, constraint_message + " Das ändert sich bis " + last_year + " nicht.",
                   constraint_message_en + " That does not change by " + last_year + "."};
  }

  std::pair<std::string, std::string> why_now(const simulation& sim, std::size_t i, int quarter, int earliest,
                                              int not_before, int prerequisites_ready, delay_cause cause,
                                              const std::string& constraint_message,
                                              const std::string& constraint_message_en, const role& r) {
    const auto& s = catalog_[i];
    std::string text;
    std::string text_en;
    switch (r.kind) {
      case role::block: {
        text = std::string(block_text[r.block_index]);
        text_en = std::string(block_text_en[r.block_index]);
        break;
      }
      case role::prerequisite: {
        const auto& dependent = catalog_[r.dependent];
        std::vector<std::string> caps;
        std::vector<std::string> caps_en;
        const auto provided = dependent.requires_capabilities & s.provides_capabilities;
        for (std::size_t c = 0; c < domain::capability_count; ++c) {
          if (provided.test(c) && sim.capability_ready[c] == never) {
            caps.push_back(quoted(domain::german_name_of(static_cast<capability>(c))));
            caps_en.emplace_back(domain::name_of(static_cast<capability>(c)));
          }
        }
        text = "Voraussetzung für " + quoted(name_of_solution(r.dependent)) + ": bringt " + join_list(caps, " und ") +
               ".";
        text_en = "Prerequisite for " + quoted_en(name_of_solution(r.dependent)) + ": provides " +
                  join_list(caps_en, " and ") + ".";
        break;
      }
      case role::need: {
        const auto percent = std::to_string(static_cast<int>(std::lround(r.weight * 100)));
        text = "Deckt den Bedarf " + quoted(domain::german_name_of(r.category)) + " (Gewicht " + percent + " %).";
        text_en = "Serves the need " + std::string(domain::name_of(r.category)) + " (weight " + percent + "%).";
        break;
      }
    }
    if (quarter > earliest) {
      const int before = quarter - 1;
      switch (cause) {
        case delay_cause::investment: {
          const auto y = static_cast<std::size_t>(year_index(before));
          const auto year = std::to_string(options_.start_year + year_index(before));
          text += " Früher reicht das Investitionsbudget nicht: " + year + " sind schon " +
                  format_eur(sim.investment[y]) + " von " + format_eur(profile_.resources_info.budget_once_eur) +
                  " verplant.";
          text_en += " It cannot start earlier: in " + year + ", " + format_eur_english(sim.investment[y]) +
                     " of the " + format_eur_english(profile_.resources_info.budget_once_eur) +
                     " investment budget are already committed.";
          break;
        }
        case delay_cause::running:
          text += " Früher reicht das Budget für laufende Kosten nicht.";
          text_en += " It cannot start earlier: the budget for running costs would not suffice.";
          break;
        case delay_cause::staff:
          text += " Früher ist das Personal (" + format_fte(profile_.resources_info.staff_fte) +
                  ") mit anderen Vorhaben ausgelastet.";
          text_en += " It cannot start earlier: the staff (" + format_fte_english(profile_.resources_info.staff_fte) +
                     ") is busy with other work.";
          break;
        case delay_cause::constraint:
          if (stage_at(sim, quarter) != stage_at(sim, before)) {
            text += " Erst dann ist die Kommune in der Phase " + quoted(stage_german(stage_at(sim, quarter))) +
                    ", zu der die Lösung passt.";
            text_en += " Only then is the municipality at stage " +
                       std::string(domain::name_of(stage_at(sim, quarter))) + ", which the solution suits.";
          } else {
            text += " Früher nicht möglich: " + constraint_message;
            text_en += " Not possible earlier: " + constraint_message_en;
          }
          break;
        case delay_cause::none:
          break;
      }
    } else if (quarter > 0 && quarter == prerequisites_ready && prerequisites_ready >= not_before) {
      std::vector<std::string> caps;
      std::vector<std::string> caps_en;
      for (std::size_t c = 0; c < domain::capability_count; ++c) {
        if (s.requires_capabilities.test(c) && sim.capability_ready[c] == quarter) {
          caps.push_back(quoted(domain::german_name_of(static_cast<capability>(c))));
          caps_en.emplace_back(domain::name_of(static_cast<capability>(c)));
        }
      }
      if (!caps.empty()) {
        text += " Beginnt, sobald " + join_list(caps, " und ") +
                (caps.size() == 1 ? " bereitsteht." : " bereitstehen.");
        text_en += " Starts as soon as " + join_list(caps_en, " and ") + (caps.size() == 1 ? " is" : " are") +
                   " in place.";
      }
    } else if (quarter > 0 && quarter == not_before && r.kind != role::block && blocks_apply_) {
      text += " Beginnt nach den Bausteinen der Strategie: erst die Strategie, dann die Maßnahmen.";
      text_en += " Starts after the strategy building blocks: first the strategy, then the measures.";
    }
    return {std::move(text), std::move(text_en)};
  }

  // ---- planning one need or building block ----------------------------------------------------------------------

  std::string subject(const role& r) const {
    if (r.kind == role::block) {
      return "Baustein " + std::to_string(r.block_index + 1) + " der Strategie " +
             quoted(domain::german_name_of(r.category));
    }
    return "Bedarf " + quoted(domain::german_name_of(r.category));
  }
  std::string subject_en(const role& r) const {
    if (r.kind == role::block) {
      return "Strategy building block " + std::to_string(r.block_index + 1) + " (" +
             std::string(domain::name_of(r.category)) + ")";
    }
    return "Need " + std::string(domain::name_of(r.category));
  }

  void plan_item(need_category category, const role& r, int not_before) {
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < catalog_.size(); ++i) {
      if (catalog_[i].categories.test(index_of(category))) {
        candidates.push_back(i);
      }
    }
    sort_by_cost(candidates);

    roadmap_issue issue;
    issue.need = category;
    if (candidates.empty()) {
      issue.code = roadmap_issue_code::unreachable_need;
      issue.message = subject(r) + ": Der Katalog enthält keine Lösung dafür.";
      issue.message_en = subject_en(r) + ": the catalog has no solution for it.";
      issues_.push_back(std::move(issue));
      return;
    }

    std::optional<simulation> best;
    double best_added = 0;
    std::size_t best_index = 0;
    std::vector<std::pair<std::size_t, failure>> failures;
    attempt_log log;
    for (const auto i : candidates) {
      simulation trial = sim_;
      std::vector<std::size_t> stack;
      log.calls = 0;
      log.failed.clear();
      auto outcome = plan(trial, i, not_before, stack, log, r);
      if (auto* failed = std::get_if<failure>(&outcome)) {
        failures.emplace_back(i, std::move(*failed));
        continue;
      }
      if (trial.steps.size() > options_.max_steps) {
        failures.emplace_back(i, failure{failure_kind::step_limit, {}, {}});
        continue;
      }
      double added = 0;
      for (std::size_t k = sim_.steps.size(); k < trial.steps.size(); ++k) {
        added += facts_[trial.steps[k].index].horizon_cost;
      }
      if (!best || added < best_added - 1e-6 ||
          (std::abs(added - best_added) <= 1e-6 && catalog_[i].id < catalog_[best_index].id)) {
        best = std::move(trial);
        best_added = added;
        best_index = i;
      }
    }
    if (best) {
      sim_ = std::move(*best);
      return;
    }

    const auto with = [&](failure_kind kind) {
      return std::find_if(failures.begin(), failures.end(), [kind](const auto& f) { return f.second.kind == kind; });
    };
    const auto years_text = std::to_string(options_.start_year) + "–" +
                            std::to_string(options_.start_year + options_.years - 1);
    if (with(failure_kind::step_limit) != failures.end()) {
      issue.code = roadmap_issue_code::max_steps_reached;
      for (const auto& [i, f] : failures) {
        if (f.kind == failure_kind::step_limit) {
          issue.solution_ids.push_back(catalog_[i].id);
        }
      }
      issue.message = subject(r) + ": passt nicht mehr in den Plan, der höchstens " +
                      std::to_string(options_.max_steps) + " Schritte haben soll.";
      issue.message_en = subject_en(r) + ": does not fit into the plan, which is limited to " +
                         std::to_string(options_.max_steps) + " steps.";
      issues_.push_back(std::move(issue));
      return;
    }
    if (const auto first = with(failure_kind::budget); first != failures.end()) {
      issue.code = roadmap_issue_code::not_affordable_within_horizon;
      for (const auto& [i, f] : failures) {
        if (f.kind == failure_kind::budget) {
          issue.solution_ids.push_back(catalog_[i].id);
        }
      }
      issue.message = subject(r) + ": im Zeitraum " + years_text + " nicht finanzierbar. " +
                      quoted(name_of_solution(first->first)) + ": " + first->second.message;
      issue.message_en = subject_en(r) + ": not affordable within " + years_text + ". " +
                         quoted_en(name_of_solution(first->first)) + ": " + first->second.message_en;
      issues_.push_back(std::move(issue));
      return;
    }
    issue.code = roadmap_issue_code::unreachable_need;
    for (const auto& [i, f] : failures) {
      issue.solution_ids.push_back(catalog_[i].id);
    }
    const auto& first = failures.front();
    issue.message = subject(r) + ": keine Lösung im Katalog ist für Ihre Kommune nutzbar. " +
                    quoted(name_of_solution(first.first)) + ": " + first.second.message;
    issue.message_en = subject_en(r) + ": no solution in the catalog is usable for your municipality. " +
                       quoted_en(name_of_solution(first.first)) + ": " + first.second.message_en;
    issues_.push_back(std::move(issue));
    for (auto& detail : log.details) {
      bool seen = false;
      for (const auto& existing : issues_) {
        seen |= existing.code == detail.code && existing.solution_ids == detail.solution_ids &&
                existing.message == detail.message;
      }
      if (!seen) {
        issues_.push_back(std::move(detail));
      }
    }
  }

  // ---- the answer -----------------------------------------------------------------------------------------------

  roadmap result() const {
    roadmap out;
    std::vector<const planned_step*> ordered;
    for (const auto& step : sim_.steps) {
      ordered.push_back(&step);
    }
    std::sort(ordered.begin(), ordered.end(), [](const planned_step* a, const planned_step* b) {
      return a->start != b->start ? a->start < b->start : a->order < b->order;
    });
    for (const auto* step : ordered) {
      const auto& s = catalog_[step->index];
      const auto& f = facts_[step->index];
      roadmap_step out_step;
      out_step.solution = &s;
      out_step.year = options_.start_year + year_index(step->start);
      out_step.quarter = step->start % 4 + 1;
      out_step.setup_eur = s.cost.setup_eur;
      out_step.annual_cost_eur = f.annual;
      out_step.cost_in_year_eur = s.cost.setup_eur + f.annual * static_cast<double>(4 - step->start % 4) / 4.0;
      out_step.ready_year = options_.start_year + year_index(step->ready);
      out_step.ready_quarter = step->ready % 4 + 1;
      out_step.why_now = step->why;
      out_step.why_now_en = step->why_en;
      const auto unlocks = s.provides_capabilities & ~profile_.it.capabilities;
      for (const auto* other : ordered) {
        const auto& o = catalog_[other->index];
        if (other != step && other->start >= step->ready && (o.requires_capabilities & unlocks).any()) {
          out_step.enables.push_back(o.id);
        }
      }
      out.steps.push_back(std::move(out_step));
    }
    for (int y = 0; y < options_.years; ++y) {
      roadmap_year year;
      year.year = options_.start_year + y;
      year.investment_eur = sim_.investment[static_cast<std::size_t>(y)];
      year.running_eur = sim_.running[static_cast<std::size_t>(y)];
      year.total_eur = year.investment_eur + year.running_eur;
      year.budget_once_eur = profile_.resources_info.budget_once_eur;
      year.budget_annual_eur = profile_.resources_info.budget_annual_eur;
      out.years.push_back(year);
    }
    out.issues = issues_;
    out.final_stage = stage_at(sim_, quarters_);
    return out;
  }

  const domain::profile& profile_;
  std::span<const domain::solution> catalog_;
  roadmap_options options_;
  int quarters_;
  domain::profile simulated_;
  bool blocks_apply_ = false;
  stage reachable_stage_ = stage::start;
  std::vector<solution_facts> facts_;
  std::vector<char> usable_;
  std::vector<char> plannable_;
  std::array<std::vector<std::size_t>, domain::capability_count> providers_;
  simulation sim_;
  std::vector<roadmap_issue> issues_;
  bool in_block_phase_ = false;
  std::size_t current_block_ = 0;
  int measures_not_before_ = 0;
};

}  // namespace

roadmap plan_roadmap(const domain::profile& profile, std::span<const domain::solution> catalog,
                     const roadmap_options& options) {
  if (options.years < min_roadmap_years || options.years > max_roadmap_years) {
    throw std::invalid_argument("roadmap years must be from 1 to 10");
  }
  if (options.max_steps < 1 || options.max_steps > max_roadmap_steps) {
    throw std::invalid_argument("roadmap max_steps must be from 1 to 50");
  }
  return planner(profile, catalog, options).run();
}

}  // namespace lotse::matching
