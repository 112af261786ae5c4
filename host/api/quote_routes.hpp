// POST /api/v1/solutions/{id}/quote: a provider's own price for one municipality, computed by the provider's plugin
// in its runner subprocess (host/runner). The plugin is untrusted: whatever it does (crash, hang, nonsense) becomes
// a problem answer for this request only.
#pragma once

#include "host/api/routes.hpp"
#include "host/runner/plugin_registry.hpp"

namespace lotse::api {

void register_quote_routes(http::router& router, api_context& api, const runner::plugin_registry& plugins);

}  // namespace lotse::api
