// POST /api/v1/roadmap: an ordered plan of steps a municipality can carry (docs/roadmap.md). Reads the system clock
// for the default start year (the planning library itself has no clock).
#pragma once

#include "host/api/routes.hpp"
#include "host/http/router.hpp"

namespace lotse::api {

// The context must outlive the router.
void register_roadmap_routes(http::router& router, api_context& api);

}  // namespace lotse::api
