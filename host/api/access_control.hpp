// Which caller may use a route: the one place that turns a request's bearer token into a principal or into the
// 401 / 403 problem. Routes that need a role start with require_role; routes open to everyone but richer for some
// callers use identify.
#pragma once

#include "host/api/routes.hpp"
#include "host/auth/auth.hpp"
#include "host/http/router.hpp"

#include <initializer_list>
#include <optional>
#include <variant>

namespace lotse::api {

// The caller, if its role is one of `allowed` (admin is always allowed); otherwise the problem to answer: 401 (with
// WWW-Authenticate: Bearer) without a token or with one that is unknown, expired or revoked; 403 for another role.
// Throws store_unavailable like authenticator::authenticate (mapped to 503 by the router).
std::variant<auth::principal, http::response> require_role(const api_context& api, const http::request_context& ctx,
                                                           std::initializer_list<catalog::role> allowed);

// The caller (nullopt: anonymous), or the 401 problem for a token that is not accepted.
std::variant<std::optional<auth::principal>, http::response> identify(const api_context& api,
                                                                      const http::request_context& ctx);

// The 404 problem an organisation gets for another organisation's resource: the same answer as for one that does
// not exist, so ids cannot be probed.
http::response not_found(std::string_view what);

}  // namespace lotse::api
