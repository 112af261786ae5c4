#include "host/assessment/scoring.hpp"

#include "host/assessment/questionnaire.hpp"
#include "tests/host/assessment/assessment_fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace lotse::assessment {
namespace {

using domain::capability;
using domain::dimension;
using domain::stage;
using test::heddesheim_like;
using test::village_without_anything;
using test::with;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::size_t at(dimension d) { return static_cast<std::size_t>(d); }

assessment_result evaluated(const answers& given) {
  auto result = evaluate(given);
  EXPECT_TRUE(result.ok()) << (result.errors.empty() ? "" : result.errors[0].pointer + " " + result.errors[0].message);
  return result.value;
}

TEST(scoring, a_village_without_anything_is_at_the_start_with_every_level_zero) {
  const auto result = evaluated(village_without_anything());
  EXPECT_EQ(result.stage, stage::start);
  EXPECT_EQ(result.levels, domain::level_array{});
  EXPECT_TRUE(result.capabilities.none());
  ASSERT_FALSE(result.stage_why.decided_by.empty());
  EXPECT_EQ(result.stage_why.decided_by.front(), "zukunftsbild");
  EXPECT_THAT(result.stage_why.why.de, StartsWith("Start: "));
  EXPECT_THAT(result.stage_why.why.de, HasSubstr("Zukunftsbild"));
  EXPECT_THAT(result.stage_why.why.en, StartsWith("Start: "));
  EXPECT_EQ(result.level_why[at(dimension::organisation)].de,
            "Stufe 0: Niemand ist ausdrücklich für Digitalisierung zuständig; Digitallotsen gibt es noch nicht.");
}

TEST(scoring, a_heddesheim_like_municipality_is_in_implementation_with_a_strong_organisation) {
  const auto result = evaluated(heddesheim_like());
  EXPECT_EQ(result.stage, stage::implementation);
  EXPECT_GE(result.levels[at(dimension::organisation)], 3);
  EXPECT_EQ(result.levels[at(dimension::organisation)], 4);
  EXPECT_EQ(result.stage_why.decided_by.front(), "implementation_help");
  EXPECT_THAT(result.stage_why.why.de, StartsWith("Umsetzung: "));
  EXPECT_THAT(result.level_why[at(dimension::organisation)].de, HasSubstr("Digitallotsen"));
  // written + goals: round(4 × 5/6) = 3
  EXPECT_EQ(result.levels[at(dimension::strategy)], 3);
  // fast town hall + DMS + some portal: round(4 × 6/9) = 3
  EXPECT_EQ(result.levels[at(dimension::infrastructure)], 3);
  EXPECT_EQ(result.levels[at(dimension::participation)], 2);
}

TEST(scoring, suggests_the_capabilities_the_answers_imply) {
  domain::capability_set expected;
  for (const auto c :
       {capability::digital_strategy, capability::lead_responsibility, capability::digital_pilots, capability::dms,
        capability::citizen_portal, capability::gis, capability::broadband_admin_sites}) {
    expected.set(static_cast<std::size_t>(c));
  }
  EXPECT_EQ(evaluated(heddesheim_like()).capabilities, expected);

  const auto e_file = evaluated(with(village_without_anything(), {{"records", "e_file"}})).capabilities;
  EXPECT_TRUE(e_file.test(static_cast<std::size_t>(capability::dms)));
  EXPECT_TRUE(e_file.test(static_cast<std::size_t>(capability::e_file)));
  EXPECT_EQ(e_file.count(), 2u);
}

TEST(scoring, a_lead_without_digital_pilots_is_organisation_level_two) {
  const auto result = evaluated(with(heddesheim_like(), {{"digital_pilots", "none"}}));
  EXPECT_EQ(result.levels[at(dimension::organisation)], 2);
  EXPECT_EQ(result.level_why[at(dimension::organisation)].de,
            "Stufe 2: Es gibt eine federführende Stelle; Digitallotsen gibt es noch nicht.");
  EXPECT_EQ(result.level_why[at(dimension::organisation)].en,
            "Level 2: There is a lead responsibility; there are no digital pilots yet.");
}

TEST(scoring, caps_hold_the_seeds_hard_rules_and_say_so) {
  // Trained pilots everywhere but nobody leading: 3 of 5 points would be level 2, the missing lead caps it at 1.
  const auto no_lead = evaluated(with(heddesheim_like(), {{"lead_responsibility", "nobody"}}));
  EXPECT_EQ(no_lead.levels[at(dimension::organisation)], 1);
  EXPECT_EQ(no_lead.level_why[at(dimension::organisation)].de,
            "Stufe 1: Niemand ist ausdrücklich für Digitalisierung zuständig; geschulte Digitallotsen aus allen "
            "Fachbereichen arbeiten in einem gemeinsamen Arbeitskreis; ohne federführende Stelle ist höchstens Stufe 1 "
            "möglich.");
  EXPECT_THAT(no_lead.level_why[at(dimension::organisation)].en, HasSubstr("without a lead responsibility"));

  // A plan of measures without a finished Zukunftsbild: 5 of 6 points, capped at 2.
  const auto unfinished =
      evaluated(with(heddesheim_like(), {{"zukunftsbild", "in_progress"}, {"goals_and_measures", "plan"}}));
  EXPECT_EQ(unfinished.levels[at(dimension::strategy)], 2);
  EXPECT_THAT(unfinished.level_why[at(dimension::strategy)].de, HasSubstr("höchstens Stufe 2"));

  // E-file and BundID behind a slow line: 6 of 9 points, capped at 1.
  const auto slow = evaluated(
      with(heddesheim_like(), {{"broadband", "slow"}, {"records", "e_file"}, {"online_services", "portal_bund_id"}}));
  EXPECT_EQ(slow.levels[at(dimension::infrastructure)], 1);
  EXPECT_THAT(slow.level_why[at(dimension::infrastructure)].de, HasSubstr("Breitband"));

  // A cap that does not lower the level is not mentioned.
  const auto village = evaluated(village_without_anything());
  EXPECT_THAT(village.level_why[at(dimension::strategy)].de, ::testing::Not(HasSubstr("höchstens")));
}

TEST(scoring, the_top_answers_give_level_four_everywhere) {
  answers best;
  for (const auto& q : questionnaire()) {
    best[std::string(q.id)] = std::string(q.options.back().id);
  }
  const auto result = evaluated(best);
  for (std::size_t i = 0; i < domain::dimension_count; ++i) {
    EXPECT_EQ(result.levels[i], 4) << domain::name_of(static_cast<dimension>(i));
  }
}

TEST(scoring, every_explanation_names_its_level_and_is_one_sentence) {
  for (const auto& given : {village_without_anything(), heddesheim_like()}) {
    const auto result = evaluated(given);
    for (std::size_t i = 0; i < domain::dimension_count; ++i) {
      const auto level = std::to_string(result.levels[i]);
      EXPECT_THAT(result.level_why[i].de, StartsWith("Stufe " + level + ": "));
      EXPECT_THAT(result.level_why[i].en, StartsWith("Level " + level + ": "));
      EXPECT_EQ(result.level_why[i].de.back(), '.');
      EXPECT_EQ(result.level_why[i].en.back(), '.');
    }
  }
}

struct stage_case {
  const char* name;
  answers given;
  stage expected;
  const char* decided_by;
};

TEST(scoring, decides_the_stage_by_the_seeds_questions_in_order) {
  const auto base = with(
      heddesheim_like(),
      {{"implementation_help", "running_well"}, {"citizen_support", "supported"}, {"staff_effectiveness", "not_yet"}});
  const std::vector<stage_case> cases = {
      {"beginning without a vision, even with urgent needs",
       with(village_without_anything(), {{"implementation_help", "urgent"}}), stage::start, "zukunftsbild"},
      {"beginning with a vision only in minds", with(village_without_anything(), {{"zukunftsbild", "in_minds"}}),
       stage::start, "zukunftsbild"},
      {"first projects without a vision", with(village_without_anything(), {{"current_position", "first_projects"}}),
       stage::orientation, "zukunftsbild"},
      {"in the middle of it without a written vision",
       with(base, {{"zukunftsbild", "in_minds"}, {"implementation_help", "urgent"}}), stage::orientation,
       "zukunftsbild"},
      {"a written vision but no projects", with(base, {{"current_position", "beginning"}}), stage::orientation,
       "current_position"},
      {"a written vision and first projects", with(base, {{"current_position", "first_projects"}}), stage::orientation,
       "current_position"},
      {"urgent implementation help wins over lacking support",
       with(base,
            {{"implementation_help", "urgent"}, {"citizen_support", "lacking"}, {"staff_effectiveness", "main_goal"}}),
       stage::implementation, "implementation_help"},
      {"lacking support wins over staff as main goal; a vision in progress suffices",
       with(base,
            {{"zukunftsbild", "in_progress"}, {"citizen_support", "lacking"}, {"staff_effectiveness", "main_goal"}}),
       stage::acceptance, "citizen_support"},
      {"an acute need wins over earlier partial ones",
       with(base, {{"current_position", "established"},
                   {"implementation_help", "some_help"},
                   {"citizen_support", "mixed"},
                   {"staff_effectiveness", "main_goal"}}),
       stage::consolidation, "staff_effectiveness"},
      {"partial needs go in the seed's order",
       with(base, {{"citizen_support", "mixed"}, {"staff_effectiveness", "one_of_several"}}), stage::acceptance,
       "citizen_support"},
      {"no need stated while in transformation", base, stage::implementation, "current_position"},
      {"no need stated while established", with(base, {{"current_position", "established"}}), stage::consolidation,
       "current_position"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto result = evaluated(c.given);
    EXPECT_EQ(result.stage, c.expected) << domain::name_of(result.stage);
    ASSERT_FALSE(result.stage_why.decided_by.empty());
    EXPECT_EQ(result.stage_why.decided_by.front(), c.decided_by);
    EXPECT_THAT(result.stage_why.why.de, StartsWith(std::string(german_name_of(c.expected)) + ": "));
    // The sentence quotes the deciding question so the clerk knows which answer to revisit.
    EXPECT_THAT(result.stage_why.why.de, HasSubstr(std::string(find_question(c.decided_by)->text_de)));
    EXPECT_THAT(result.stage_why.why.en, HasSubstr(std::string(find_question(c.decided_by)->text_en)));
  }
}

TEST(scoring, reports_every_invalid_answer_at_its_pointer) {
  auto given = heddesheim_like();
  given.erase("records");
  given.erase("geodata");
  given["coffee"] = "black";
  given["broadband"] = "carrier_pigeon";
  given["a/b~c"] = "x";
  const auto result = evaluate(given);
  ASSERT_FALSE(result.ok());
  std::multiset<std::string> pointers;
  for (const auto& e : result.errors) {
    pointers.insert(e.pointer);
  }
  EXPECT_EQ(pointers, (std::multiset<std::string>{"/answers/coffee", "/answers/broadband", "/answers/a~1b~0c",
                                                  "/answers/records", "/answers/geodata"}));
  for (const auto& e : result.errors) {
    if (e.pointer == "/answers/broadband") {
      EXPECT_THAT(e.message, HasSubstr("must be one of: slow, adequate, fast_town_hall, fast_all_sites"));
    } else if (e.pointer == "/answers/records") {
      EXPECT_THAT(e.message, HasSubstr("is required"));
      EXPECT_THAT(e.message, HasSubstr("e_file"));
    } else if (e.pointer == "/answers/coffee") {
      EXPECT_THAT(e.message, HasSubstr("is not a question"));
    }
  }
}

TEST(scoring, no_answers_at_all_is_one_error_per_question) {
  const auto result = evaluate({});
  EXPECT_EQ(result.errors.size(), questionnaire().size());
}

TEST(scoring, is_deterministic) {
  for (const auto& given : {village_without_anything(), heddesheim_like()}) {
    const auto first = evaluate(given);
    ASSERT_TRUE(first.ok());
    for (int i = 0; i < 3; ++i) {
      const auto again = evaluate(answers(given.rbegin(), given.rend()));
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(again.value, first.value);
    }
  }
}

}  // namespace
}  // namespace lotse::assessment
