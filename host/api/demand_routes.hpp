// GET /api/v1/demand: publishers' demand signals (how often each of their solutions was shown and excluded, and
// for which constraint), aggregated, never naming a municipality.
#pragma once

#include "catalog/store/curation_store.hpp"
#include "catalog/store/demand_store.hpp"
#include "host/api/routes.hpp"

namespace lotse::api {

void register_demand_routes(http::router& router, api_context& api, const catalog::curation_store& curation,
                            const catalog::demand_store& demand);

}  // namespace lotse::api
