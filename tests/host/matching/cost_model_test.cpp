#include "host/matching/cost_model.hpp"

#include <gtest/gtest.h>

namespace lotse::matching {
namespace {

TEST(cost_model, base_plus_per_inhabitant_without_bands) {
  domain::cost_model cost{8000, 1000, 1.2, {}, std::nullopt};
  EXPECT_DOUBLE_EQ(annual_cost_eur(cost, 5000), 1000 + 1.2 * 5000);
}

TEST(cost_model, the_covering_band_replaces_the_formula) {
  domain::cost_model cost{0, 1000, 1.0, {{2000, 900}, {10000, 4000}}, std::nullopt};
  EXPECT_DOUBLE_EQ(annual_cost_eur(cost, 800), 900);
  EXPECT_DOUBLE_EQ(annual_cost_eur(cost, 2000), 900);
  EXPECT_DOUBLE_EQ(annual_cost_eur(cost, 2001), 4000);
  EXPECT_DOUBLE_EQ(annual_cost_eur(cost, 20000), 1000 + 20000.0);
}

}  // namespace
}  // namespace lotse::matching
