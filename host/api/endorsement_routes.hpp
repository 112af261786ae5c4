// Curators' endorsements (the IT-dependency criterion of matching uses them, docs/matching.md):
//   GET    /api/v1/endorsements                  curator: its own; admin: all
//   PUT    /api/v1/endorsements/{solution_id}    curator: {"kind": "operated_by_us" | "compatible_with_our_platform"}
//   DELETE /api/v1/endorsements/{solution_id}    curator
// A change reaches matches on this host at once and on the others within their poll interval.
#pragma once

#include "catalog/store/curation_store.hpp"
#include "host/api/routes.hpp"

#include <functional>

namespace lotse::api {

void register_endorsement_routes(http::router& router, api_context& api, catalog::curation_store& curation,
                                 std::function<void()> refresh_catalog);

}  // namespace lotse::api
