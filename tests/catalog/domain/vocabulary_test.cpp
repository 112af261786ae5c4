#include "catalog/domain/vocabulary.hpp"

#include <gtest/gtest.h>

namespace lotse::domain {
namespace {

TEST(vocabulary, every_capability_round_trips_through_its_name) {
  for (std::size_t i = 0; i < capability_count; ++i) {
    const auto value = static_cast<capability>(i);
    EXPECT_EQ(parse_name<capability>(name_of(value)), value) << name_of(value);
    EXPECT_FALSE(german_name_of(value).empty());
  }
}

TEST(vocabulary, every_need_category_round_trips_through_its_name) {
  for (std::size_t i = 0; i < need_category_count; ++i) {
    const auto value = static_cast<need_category>(i);
    EXPECT_EQ(parse_name<need_category>(name_of(value)), value) << name_of(value);
  }
}

TEST(vocabulary, stages_are_ordered_as_in_the_seed) {
  EXPECT_EQ(parse_name<stage>("start"), stage::start);
  EXPECT_EQ(parse_name<stage>("consolidation"), stage::consolidation);
  EXPECT_LT(stage::orientation, stage::implementation);
  EXPECT_EQ(name_of(stage::acceptance), "acceptance");
}

TEST(vocabulary, unknown_words_are_rejected) {
  EXPECT_FALSE(parse_name<capability>("DMS").has_value());
  EXPECT_FALSE(parse_name<need_category>("strategy").has_value());
  EXPECT_FALSE(parse_name<stage>("").has_value());
}

TEST(vocabulary, all_names_lists_the_vocabulary) {
  EXPECT_EQ(all_names<it_skill>(), "none, basic, intermediate, advanced");
}

}  // namespace
}  // namespace lotse::domain
