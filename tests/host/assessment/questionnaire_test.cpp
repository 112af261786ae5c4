#include "host/assessment/questionnaire.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

namespace lotse::assessment {
namespace {

bool starts_with_ascii_letter(std::string_view text) {
  return !text.empty() && ((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z'));
}

TEST(questionnaire, has_about_fifteen_questions_with_unique_snake_case_ids) {
  const auto& all = questionnaire();
  EXPECT_GE(all.size(), 15u);
  EXPECT_LE(all.size(), 20u) << "a clerk in a small town hall has no hour for this";
  const std::regex snake_case("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  std::set<std::string_view> ids;
  for (const auto& q : all) {
    EXPECT_TRUE(std::regex_match(std::string(q.id), snake_case)) << q.id;
    EXPECT_TRUE(ids.insert(q.id).second) << "duplicate question id " << q.id;
  }
}

TEST(questionnaire, every_question_is_bilingual_with_three_to_five_uniquely_named_options) {
  const std::regex snake_case("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  for (const auto& q : questionnaire()) {
    SCOPED_TRACE(std::string(q.id));
    EXPECT_FALSE(q.text_de.empty());
    EXPECT_FALSE(q.text_en.empty());
    EXPECT_NE(q.text_de, q.text_en);
    EXPECT_EQ(q.help_de.empty(), q.help_en.empty()) << "help comes in both languages or not at all";
    EXPECT_GE(q.options.size(), 3u);
    EXPECT_LE(q.options.size(), 5u);
    std::set<std::string_view> option_ids;
    for (const auto& o : q.options) {
      EXPECT_TRUE(std::regex_match(std::string(o.id), snake_case)) << o.id;
      EXPECT_TRUE(option_ids.insert(o.id).second) << "duplicate option id " << o.id;
      EXPECT_FALSE(o.label_de.empty()) << o.id;
      EXPECT_FALSE(o.label_en.empty()) << o.id;
    }
  }
}

TEST(questionnaire, starts_with_the_seeds_five_stage_questions_in_their_order) {
  const auto& all = questionnaire();
  ASSERT_GE(all.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(all[i].stage.has_value()) << all[i].id;
    EXPECT_EQ(static_cast<std::size_t>(*all[i].stage), i + 1) << all[i].id;
  }
  for (std::size_t i = 5; i < all.size(); ++i) {
    EXPECT_FALSE(all[i].stage.has_value()) << all[i].id;
    EXPECT_TRUE(all[i].dimension.has_value()) << all[i].id << " neither defines a stage nor scores a dimension";
  }
  EXPECT_EQ(all[0].id, "zukunftsbild");
}

TEST(questionnaire, covers_every_dimension) {
  std::set<domain::dimension> covered;
  for (const auto& q : questionnaire()) {
    if (q.dimension) {
      covered.insert(*q.dimension);
    }
  }
  EXPECT_EQ(covered.size(), domain::dimension_count);
}

// The scorer builds sentences from the options' clauses and caps; these checks keep those sentences well formed.
TEST(questionnaire, scoring_questions_run_from_nothing_to_everything_and_explain_each_answer) {
  for (const auto& q : questionnaire()) {
    SCOPED_TRACE(std::string(q.id));
    if (!q.dimension) {
      for (const auto& o : q.options) {
        EXPECT_EQ(o.points, 0) << o.id;
        EXPECT_TRUE(o.says.de.empty() && o.says.en.empty() && !o.cap) << o.id;
      }
      continue;
    }
    EXPECT_EQ(q.options.front().points, 0) << "the first option is 'nothing yet'";
    EXPECT_GT(q.max_points(), 0);
    EXPECT_LE(q.max_points(), 4);
    for (std::size_t i = 1; i < q.options.size(); ++i) {
      EXPECT_GE(q.options[i].points, q.options[i - 1].points) << q.options[i].id;
    }
    for (const auto& o : q.options) {
      EXPECT_TRUE(starts_with_ascii_letter(o.says.de)) << o.id;
      EXPECT_TRUE(starts_with_ascii_letter(o.says.en)) << o.id;
      if (o.cap) {
        EXPECT_LT(o.cap->max_level, 4) << o.id;
        EXPECT_FALSE(o.cap->reason.de.empty() || o.cap->reason.en.empty()) << o.id;
      }
    }
  }
}

TEST(questionnaire, finds_questions_and_options_by_id) {
  const auto* records = find_question("records");
  ASSERT_NE(records, nullptr);
  EXPECT_EQ(records->text_de, "Wie werden Akten heute geführt?");
  ASSERT_NE(records->find_option("e_file"), nullptr);
  EXPECT_EQ(records->find_option("stone_tablets"), nullptr);
  EXPECT_EQ(find_question("coffee"), nullptr);
}

}  // namespace
}  // namespace lotse::assessment
