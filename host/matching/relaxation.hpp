// Minimal relaxations: for a solution the municipality needs but cannot carry, the smallest sets of profile changes
// that would make it fit ("first introduce a DMS — offered by …", "operate it jointly with a neighbour",
// "+€6,000 annual budget").
//
// Method. Each violated hard constraint can be repaired by certain changes. Some repairs are forced: a missing
// capability only by introducing it, a stage too early only by reaching that stage, a hosting mismatch only by
// accepting an offered option. The others compete: a budget or staff shortfall can be repaired by raising the
// budget or staff by exactly the shortfall, or by operating the solution jointly, which shrinks the shortfall.
// Every correction set therefore is the forced changes plus a subset of at most four competing ones; we enumerate
// those subsets by size and keep a set only if it repairs every constraint and contains no smaller kept set —
// the minimal correction sets (the hitting-set dual of QuickXPlain's minimal conflicts), exactly, not by search
// heuristics. A set is "minimal" in the sense: no proper subset makes the solution fit.
// Alternatives are ordered by what a small municipality can do: introducing a prerequisite or cooperating comes
// before raising its budget, and a smaller raise before a larger one.
//
// Joint operation is modelled with one neighbour of similar size (the cooperation issue computes real coalitions):
// each member pays half the setup, half the annual cost at the combined population less the shared-operation
// discount, and carries half the staff effort.
#pragma once

#include "catalog/domain/model.hpp"
#include "host/matching/compiled_catalog.hpp"
#include "host/matching/engine.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::matching {

enum class change_kind : std::uint8_t {
  add_capability,
  advance_stage,
  accept_hosting,
  joint_operation,
  add_staff,
  raise_budget_once,
  raise_budget_annual,
};
std::string_view name_of(change_kind kind);

struct profile_change {
  change_kind kind = change_kind::add_capability;
  domain::capability capability = domain::capability::dms;  // add_capability
  std::vector<const domain::solution*> offered_by;          // add_capability: catalog solutions providing it
  domain::stage stage = domain::stage::start;               // advance_stage: the stage to reach
  domain::hosting hosting = domain::hosting::german_cloud;  // accept_hosting
  double amount = 0;                                        // add_staff (FTE), raise_budget_* (EUR)
  std::string message;                                      // German
  std::string message_en;
};

struct relaxation {
  const domain::solution* solution = nullptr;
  std::vector<profile_change> changes;
  std::string message;  // German: the changes in one sentence
  std::string message_en;
};

struct relaxation_options {
  std::size_t max_solutions = 5;     // solutions to relax, most relevant first
  std::size_t max_alternatives = 2;  // correction sets per solution
};

// Relaxations for the excluded solutions (one entry per minimal correction set, preferred first per solution) of a match outcome that serve a stated need, or for any excluded solutions
// when fewer than top_k fit. Solutions whose exclusion no profile change can repair (population range, a stage
// already past, an incompatible IT service provider) get none.
std::vector<relaxation> find_relaxations(const domain::profile& profile, const compiled_catalog& catalog,
                                         const match_outcome& outcome, const match_options& match,
                                         const relaxation_options& options);

// The profile with the changes applied, and the solution as this municipality would carry it (halved terms under
// joint operation). check_constraints on the pair is empty exactly when the changes make the solution fit.
struct relaxed_case {
  domain::profile profile;
  domain::solution solution;
};
relaxed_case apply_changes(const domain::profile& profile, const domain::solution& solution,
                           std::span<const profile_change> changes);

}  // namespace lotse::matching
