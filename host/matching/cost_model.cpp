#include "host/matching/cost_model.hpp"

namespace lotse::matching {

double annual_cost_eur(const domain::cost_model& cost, std::int64_t population) {
  for (const auto& band : cost.population_bands) {
    if (population <= band.max_population) {
      return band.annual_eur;
    }
  }
  return cost.annual_base_eur + cost.annual_per_inhabitant_eur * static_cast<double>(population);
}

}  // namespace lotse::matching
