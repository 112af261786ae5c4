// Keeps the benchmarks honest: the SQLite baseline must rank exactly as the engine does, and the generator must be
// deterministic and shaped as documented.
#include "tests/bench/baseline_checks.hpp"
#include "tests/bench/catalog_generator.hpp"
#include "tests/bench/sql_baseline.hpp"

#include "host/matching/engine.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace lotse::bench {
namespace {

// The engine's options under which the baseline must agree: its default top_k, only the four modelled criteria.

TEST(sql_baseline, top_10_equals_the_engines_on_a_500_solution_catalog) {
  const auto catalog = generate_solutions(500);
  sql_baseline sql(catalog);
  const auto profiles = generate_profiles(60);
  std::size_t full_pages = 0;
  for (const auto& profile : profiles) {
    if (expect_same_ranking(profile, catalog, sql, four_criteria(), score_match::within_4_ulps) >= 10) {
      ++full_pages;
    }
  }
  // Not vacuous: most profiles have more than ten fitting solutions to order.
  EXPECT_GE(full_pages, 30u);
}

TEST(sql_baseline, agrees_with_other_weights_and_edge_profiles) {
  const auto catalog = generate_solutions(500, 7);
  sql_baseline sql(catalog);
  for (const auto& profile : edge_profiles()) {
    for (const auto& options : edge_weightings()) {
      expect_same_ranking(profile, catalog, sql, options, score_match::within_4_ulps);
    }
  }
}

TEST(sql_baseline, agrees_for_real_municipalities) {
  const auto path = gemeinden_csv_path();
  if (!path) {
    GTEST_SKIP() << "gemeinden-2011.csv not found (set LOTSE_SHARED_DATA to the shared data directory)";
  }
  const auto rows = read_gemeinden_csv(*path);
  const auto catalog = generate_solutions(500);
  sql_baseline sql(catalog);
  for (std::size_t i = 0; i < rows.size(); i += 500) {  // 23 municipalities across all states and sizes
    expect_same_ranking(make_profile(rows[i]), catalog, sql, four_criteria(), score_match::within_4_ulps);
  }
}

TEST(sql_baseline, refuses_weights_for_criteria_it_does_not_model) {
  const auto catalog = generate_solutions(20);
  sql_baseline sql(catalog);
  const auto profile = generate_profiles(1)[0];
  EXPECT_NO_THROW(sql.match(profile, four_criteria_weights(), 10));
  if (matching::criterion_count > 4) {
    EXPECT_THROW(sql.match(profile, matching::criterion_weights{}, 10), std::invalid_argument);
  }
}

TEST(catalog_generator, is_deterministic_and_prefix_stable) {
  const auto a = generate_solutions(300);
  const auto b = generate_solutions(1000);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].cost.setup_eur, b[i].cost.setup_eur);
    EXPECT_EQ(a[i].categories, b[i].categories);
    EXPECT_EQ(a[i].compatible_service_providers, b[i].compatible_service_providers);
  }
  EXPECT_NE(generate_solutions(50, 1)[0].cost.setup_eur + generate_solutions(50, 1)[1].cost.setup_eur,
            generate_solutions(50, 2)[0].cost.setup_eur + generate_solutions(50, 2)[1].cost.setup_eur);
  const auto p = generate_profiles(5);
  const auto q = generate_profiles(5);
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_EQ(p[i].population, q[i].population);
    EXPECT_EQ(p[i].resources_info.budget_once_eur, q[i].resources_info.budget_once_eur);
    EXPECT_EQ(p[i].it.capabilities, q[i].it.capabilities);
  }
}

TEST(catalog_generator, solutions_have_the_documented_shape) {
  const auto catalog = generate_solutions(10000);
  std::size_t with_providers = 0;
  std::size_t with_hosting = 0;
  for (const auto& s : catalog) {
    EXPECT_LE(s.requires_capabilities.count(), 2u);
    EXPECT_GE(s.categories.count(), 1u);
    EXPECT_LE(s.cost.population_bands.size(), max_generated_bands);
    EXPECT_LE(s.stages.min, s.stages.max);
    EXPECT_LE(s.effort.ongoing_fte, s.effort.rollout_fte);
    if (s.populations.max) {
      EXPECT_LE(s.populations.min, *s.populations.max);
    }
    for (std::size_t b = 1; b < s.cost.population_bands.size(); ++b) {
      EXPECT_LT(s.cost.population_bands[b - 1].max_population, s.cost.population_bands[b].max_population);
    }
    with_providers += s.compatible_service_providers.empty() ? 0 : 1;
    with_hosting += s.hosting_options.any() ? 1 : 0;
  }
  EXPECT_NEAR(static_cast<double>(with_providers) / 10000.0, 0.20, 0.02);
  EXPECT_NEAR(static_cast<double>(with_hosting) / 10000.0, 0.30, 0.02);
}

TEST(catalog_generator, reads_quoted_csv_rows) {
  const auto path = std::filesystem::temp_directory_path() / "lotse-gemeinden-test.csv";
  {
    std::ofstream out(path);
    out << "ags,name,municipality_type,state,district,district_ags,postal_code,area_km2,population\r\n"
        << "08226028,Heddesheim,Gemeinde,Baden-Württemberg,Rhein-Neckar-Kreis,08226,68542,14.6,11589\n"
        << "01001000,\"Flensburg, Stadt\",Kreisfreie Stadt,Schleswig-Holstein,\"Flensburg, \"\"Stadt\"\"\",01001,"
           "24937,56.74,89357\r\n";
  }
  const auto rows = read_gemeinden_csv(path);
  std::filesystem::remove(path);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].ags, "08226028");
  EXPECT_EQ(rows[0].population, 11589);
  EXPECT_EQ(rows[1].name, "Flensburg, Stadt");
  EXPECT_EQ(rows[1].district_ags, "01001");
  EXPECT_EQ(rows[1].population, 89357);
  // Same AGS, same generated profile.
  EXPECT_EQ(make_profile(rows[0]).resources_info.staff_fte, make_profile(rows[0]).resources_info.staff_fte);
}

TEST(catalog_generator, reads_all_real_municipalities) {
  const auto path = gemeinden_csv_path();
  if (!path) {
    GTEST_SKIP() << "gemeinden-2011.csv not found (set LOTSE_SHARED_DATA to the shared data directory)";
  }
  const auto rows = read_gemeinden_csv(*path);
  EXPECT_EQ(rows.size(), 11270u);
  const auto heddesheim = std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.ags == "08226028"; });
  ASSERT_NE(heddesheim, rows.end());
  EXPECT_EQ(heddesheim->population, 11589);
  EXPECT_EQ(heddesheim->district_ags, "08226");
}

}  // namespace
}  // namespace lotse::bench
