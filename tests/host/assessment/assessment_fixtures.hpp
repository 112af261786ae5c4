// Answer sets shared by the assessment tests: the two ends of the seeds' range of small municipalities.
#pragma once

#include "host/assessment/scoring.hpp"

namespace lotse::assessment::test {

// A village that has nothing yet: no Zukunftsbild, nobody responsible, paper files, slow broadband.
inline answers village_without_anything() {
  return {
      {"zukunftsbild", "none"},
      {"current_position", "beginning"},
      {"implementation_help", "no_projects"},
      {"citizen_support", "no_projects_yet"},
      {"staff_effectiveness", "not_yet"},
      {"goals_and_measures", "none"},
      {"leadership_commitment", "not_a_topic"},
      {"lead_responsibility", "nobody"},
      {"digital_pilots", "none"},
      {"staff_skills", "uncertain"},
      {"it_provider", "does_everything"},
      {"broadband", "slow"},
      {"records", "paper"},
      {"online_services", "none"},
      {"digital_data", "hardly_any"},
      {"geodata", "paper_plans"},
      {"citizen_participation", "not_involved"},
  };
}

// Like Heddesheim in the seeds: Digitallotsen in every department, trained and in a working group, a lead
// responsibility, a DMS, in the middle of the transformation and needing help with some projects.
inline answers heddesheim_like() {
  return {
      {"zukunftsbild", "written"},
      {"current_position", "in_transformation"},
      {"implementation_help", "some_help"},
      {"citizen_support", "supported"},
      {"staff_effectiveness", "one_of_several"},
      {"goals_and_measures", "goals"},
      {"leadership_commitment", "chefsache"},
      {"lead_responsibility", "named_lead"},
      {"digital_pilots", "all_trained"},
      {"staff_skills", "confident"},
      {"it_provider", "joint_planning"},
      {"broadband", "fast_town_hall"},
      {"records", "dms"},
      {"online_services", "portal_some"},
      {"digital_data", "evaluated"},
      {"geodata", "gis_shared"},
      {"citizen_participation", "consulted"},
  };
}

inline answers with(answers base, std::initializer_list<std::pair<const char*, const char*>> changes) {
  for (const auto& [question, option] : changes) {
    base[question] = option;
  }
  return base;
}

}  // namespace lotse::assessment::test
