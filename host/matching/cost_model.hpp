// What a solution costs one municipality, from the solution's cost model at the municipality's population.
#pragma once

#include "catalog/domain/model.hpp"

#include <cstdint>

namespace lotse::matching {

// Annual cost: the population band covering the population, if any, else base + per-inhabitant × population.
double annual_cost_eur(const domain::cost_model& cost, std::int64_t population);

}  // namespace lotse::matching
