// What a solution costs one municipality, from the solution's cost model at the municipality's population.
#pragma once

#include "catalog/domain/model.hpp"

#include <cstdint>
#include <span>

namespace lotse::matching {

// The one rule, shared by the domain model and the compiled catalog: the first population band covering the
// population, if any, else base + per-inhabitant × population. Inline because the match scan calls it per row.
inline double annual_cost_eur(std::span<const domain::population_band> bands, double annual_base_eur,
                              double annual_per_inhabitant_eur, std::int64_t population) {
  for (const auto& band : bands) {
    if (population <= band.max_population) {
      return band.annual_eur;
    }
  }
  return annual_base_eur + annual_per_inhabitant_eur * static_cast<double>(population);
}

double annual_cost_eur(const domain::cost_model& cost, std::int64_t population);

}  // namespace lotse::matching
