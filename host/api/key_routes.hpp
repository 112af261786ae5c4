// /api/v1/publisher-keys: a publisher registers, lists and revokes the Ed25519 public keys its uploads are signed
// with (docs/plugin-signing.md).
#pragma once

#include "catalog/store/account_store.hpp"
#include "host/api/routes.hpp"

namespace lotse::api {

void register_key_routes(http::router& router, api_context& api, catalog::account_store& accounts);

}  // namespace lotse::api
