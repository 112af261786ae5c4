#include "host/matching/german_format.hpp"

#include <gtest/gtest.h>

namespace lotse::matching {
namespace {

TEST(german_format, euros_use_dots_between_thousands) {
  EXPECT_EQ(format_eur(4500), "4.500 €");
  EXPECT_EQ(format_eur(1234567.4), "1.234.567 €");
  EXPECT_EQ(format_eur(0), "0 €");
  EXPECT_EQ(format_eur(999.5), "1.000 €");
  EXPECT_EQ(format_eur_english(4500), "€4,500");
}

TEST(german_format, staff_uses_a_decimal_comma) {
  EXPECT_EQ(format_fte(0.2), "0,2 VZÄ");
  EXPECT_EQ(format_fte(1), "1,0 VZÄ");
  EXPECT_EQ(format_fte(0.05), "0,05 VZÄ");
  EXPECT_EQ(format_fte_english(0.25), "0.25 FTE");
}

}  // namespace
}  // namespace lotse::matching
