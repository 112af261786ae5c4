// Small hand-made profiles and solutions shared by the matching tests.
#pragma once

#include "catalog/domain/model.hpp"

#include <initializer_list>
#include <string>

namespace lotse::matching::test {

inline domain::capability_set caps(std::initializer_list<domain::capability> list) {
  domain::capability_set set;
  for (auto c : list) {
    set.set(static_cast<std::size_t>(c));
  }
  return set;
}

inline domain::need_category_set categories(std::initializer_list<domain::need_category> list) {
  domain::need_category_set set;
  for (auto c : list) {
    set.set(static_cast<std::size_t>(c));
  }
  return set;
}

// A stage-start village of 800 inhabitants with 0.2 FTE and €3,000 a year, no DMS: the seeds' typical case.
inline domain::profile small_village() {
  domain::profile p;
  p.ags = "07131001";
  p.name = "Dorf";
  p.district_ags = "07131";
  p.population = 800;
  p.maturity_info.current_stage = domain::stage::start;
  p.resources_info = {5000, 3000, 0.2, domain::it_skill::basic};
  p.needs = {{domain::need_category::strategy_vision, 0.9}, {domain::need_category::administration_documents, 0.6}};
  return p;
}

inline domain::solution make_solution(std::string id, domain::need_category category, double setup, double annual,
                                      double rollout_fte, double ongoing_fte) {
  domain::solution s;
  s.id = std::move(id);
  s.provider_id = "test-provider";
  s.name = s.id;
  s.summary = "test";
  s.categories = categories({category});
  s.cost.setup_eur = setup;
  s.cost.annual_base_eur = annual;
  s.effort = {rollout_fte, ongoing_fte, 3};
  return s;
}

}  // namespace lotse::matching::test
