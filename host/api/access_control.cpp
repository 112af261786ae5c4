#include "host/api/access_control.hpp"

#include "host/http/problem.hpp"

#include <algorithm>
#include <string>

namespace lotse::api {
namespace {

using boost::beast::http::status;

http::response unauthorized(std::string_view detail) {
  auto res = http::problem(status::unauthorized, "Unauthorized", detail);
  res.set(boost::beast::http::field::www_authenticate, "Bearer realm=\"lotse\"");
  return res;
}

}  // namespace

std::variant<std::optional<auth::principal>, http::response> identify(const api_context& api,
                                                                      const http::request_context& ctx) {
  if (api.authenticator == nullptr) {
    if (ctx.req.find(boost::beast::http::field::authorization) == ctx.req.end()) {
      return std::optional<auth::principal>{};
    }
    return unauthorized("This server does not accept tokens.");
  }
  auto result = api.authenticator->authenticate(ctx.req);
  if (auto* failure = std::get_if<auth::auth_failure>(&result)) {
    return unauthorized(failure->reason);
  }
  return std::get<std::optional<auth::principal>>(std::move(result));
}

std::variant<auth::principal, http::response> require_role(const api_context& api, const http::request_context& ctx,
                                                           std::initializer_list<catalog::role> allowed) {
  auto identified = identify(api, ctx);
  if (auto* problem = std::get_if<http::response>(&identified)) {
    return std::move(*problem);
  }
  auto& caller = std::get<std::optional<auth::principal>>(identified);
  if (!caller) {
    return unauthorized("This request needs a token: send it as 'Authorization: Bearer <token>'.");
  }
  const bool permitted = caller->caller_role == catalog::role::admin ||
                         std::find(allowed.begin(), allowed.end(), caller->caller_role) != allowed.end();
  if (!permitted) {
    std::string roles;
    for (const auto r : allowed) {
      roles += (roles.empty() ? "" : " or ") + std::string(catalog::name_of(r));
    }
    return http::problem(status::forbidden, "Forbidden",
                         "This request is for a " + roles + "; your token is a " +
                             std::string(catalog::name_of(caller->caller_role)) + "'s.");
  }
  return std::move(*caller);
}

http::response not_found(std::string_view what) {
  return http::problem(status::not_found, "Not Found", std::string(what) + " does not exist.");
}

}  // namespace lotse::api
