#include "host/matching/cost_model.hpp"

namespace lotse::matching {

double annual_cost_eur(const domain::cost_model& cost, std::int64_t population) {
  return annual_cost_eur(cost.population_bands, cost.annual_base_eur, cost.annual_per_inhabitant_eur, population);
}

}  // namespace lotse::matching
