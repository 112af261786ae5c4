// The /api/v1 routes and /healthz. Handlers validate input fully and answer errors as problem+json.
#pragma once

#include "catalog/store/store.hpp"
#include "host/api/catalog_snapshot.hpp"
#include "host/http/router.hpp"

namespace lotse::api {

struct api_context {
  catalog_holder& catalog;
  catalog::store& store;
};

// Registers every route on the router; the context must outlive it.
void register_routes(http::router& router, api_context& context);

}  // namespace lotse::api
