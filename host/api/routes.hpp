// The /api/v1 routes and /healthz. Handlers validate input fully and answer errors as problem+json.
#pragma once

#include "catalog/store/store.hpp"
#include "host/api/catalog_snapshot.hpp"
#include "host/http/router.hpp"

#include <functional>

namespace lotse::auth {
class authenticator;
}
namespace lotse::demand {
class demand_recorder;
}

namespace lotse::api {

struct api_context {
  catalog_holder& catalog;
  catalog::store& store;
  // Whether the database answered lately (for /healthz); unset means "assume it does".
  std::function<bool()> database_reachable;
  // Who a request comes from (access_control.hpp); without one, every route that needs a role answers 401.
  const auth::authenticator* authenticator = nullptr;
  // Counts what matches show and exclude, for publishers' demand signals; optional.
  demand::demand_recorder* demand = nullptr;
};

// Registers every route on the router, and maps catalog::store_unavailable to 503 with Retry-After; the context
// must outlive the router.
void register_routes(http::router& router, api_context& context);

}  // namespace lotse::api
