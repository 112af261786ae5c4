// The domain model of ../shared/design/domain.md: what a plugin describes (provider, solution) and what a
// municipality says about itself (profile). Plain values; parsing and validation live in *_json.hpp.
#pragma once

#include "catalog/domain/vocabulary.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lotse::domain {

using level_array = std::array<std::uint8_t, dimension_count>;  // 0..4 per dimension, indexed by dimension

struct population_band {
  std::int64_t max_population = 0;  // the band covers populations up to and including this
  double annual_eur = 0;            // replaces annual_base_eur + per-inhabitant cost inside the band
};

struct cost_model {
  double setup_eur = 0;
  double annual_base_eur = 0;
  double annual_per_inhabitant_eur = 0;
  std::vector<population_band> population_bands;  // ascending max_population; optional
  std::optional<double> shared_operation_discount;  // fraction 0..1 off annual cost when operated jointly
};

struct effort_model {
  double rollout_fte = 0;
  double ongoing_fte = 0;
  double rollout_months = 0;
};

struct stage_range {
  stage min = stage::start;
  stage max = stage::consolidation;
};

struct population_range {
  std::int64_t min = 0;
  std::optional<std::int64_t> max;
};

struct solution {
  std::string id;
  std::string provider_id;  // set from the describing provider, never taken from the solution's own JSON
  std::string name;
  std::string summary;
  solution_kind kind = solution_kind::software;
  need_category_set categories;
  stage_range stages;
  level_array min_levels{};
  cost_model cost;
  effort_model effort;
  it_skill required_skill = it_skill::none;
  capability_set requires_capabilities;
  capability_set provides_capabilities;
  std::vector<std::string> compatible_service_providers;  // empty = works with any service provider
  std::vector<std::string> standards;
  hosting_set hosting_options;  // empty = not applicable (e.g. a workshop)
  operating_model_set operating_models;
  bool open_source = false;
  population_range populations;
  std::vector<std::string> references;  // AGS of municipalities using it
};

struct provider {
  std::string id;
  std::string name;
  provider_kind kind = provider_kind::other;
  std::string website;
  std::string contact;
};

// What one plugin describes: one provider and its solutions.
struct provider_description {
  provider provider_info;
  std::vector<solution> solutions;
};

// An IT service provider's word on a solution for the municipalities it serves (set by curators).
struct endorsement {
  std::string curator_id;  // the IT service provider's organisation id, as in profile.it.service_provider
  std::string solution_id;
  endorsement_kind kind = endorsement_kind::compatible_with_our_platform;
};

struct maturity {
  stage current_stage = stage::start;
  level_array levels{};
};

struct resources {
  double budget_once_eur = 0;
  double budget_annual_eur = 0;
  double staff_fte = 0;
  it_skill skill = it_skill::none;
};

struct it_landscape {
  std::string service_provider;  // organisation id; empty if none
  capability_set capabilities;
  hosting_set accepted_hosting;  // empty = no restriction stated
  bool open_source_preferred = false;
  bool open_source_required = false;  // extension of design/domain.md: a council decision to buy only open source
  std::vector<std::string> standards;
};

struct need {
  need_category category;
  double weight = 0;  // 0..1
};

struct cooperation {
  bool open_to_cooperation = false;
  std::vector<std::string> memberships;
};

struct profile {
  std::string ags;           // 8 digits
  std::string name;
  std::string state;
  std::string district_ags;  // 5 digits
  std::int64_t population = 0;
  maturity maturity_info;
  resources resources_info;
  it_landscape it;
  std::vector<need> needs;  // at most one entry per category, in the order given
  cooperation cooperation_info;
};

}  // namespace lotse::domain
