#include "host/api/quote_routes.hpp"

#include "catalog/domain/json_number.hpp"
#include "catalog/domain/profile_json.hpp"
#include "host/api/request_support.hpp"
#include "host/http/problem.hpp"

#include <boost/json.hpp>

namespace lotse::api {
namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

namespace {

// The plugin's answer as it will be shown: whole amounts as integers, like every other Lotse answer
// (catalog/domain/json_number.hpp), whatever JSON library the plugin used.
json::value readable(const json::value& value) {
  switch (value.kind()) {
    case json::kind::double_: return domain::json_number(value.get_double());
    case json::kind::array: {
      json::array out;
      for (const auto& item : value.get_array()) {
        out.push_back(readable(item));
      }
      return out;
    }
    case json::kind::object: {
      json::object out;
      for (const auto& member : value.get_object()) {
        out[member.key()] = readable(member.value());
      }
      return out;
    }
    default: return value;
  }
}

// Why the outcome is not a quote, in words a clerk (and the provider, who reads the same text) can act on.
std::string explain(const runner::call_outcome& outcome, const std::string& provider) {
  const std::string reason(runner::outcome_message(outcome));
  switch (runner::http_status(outcome)) {
    case 404: return "The provider '" + provider + "' offers no online quote for this solution.";
    case 422: return "The provider's plugin did not accept this municipality's data: " + reason;
    case 503: return "Quotes from provider '" + provider + "' are paused after repeated failures of its plugin; "
                     "its curator has been told. " + reason;
    case 504: return "The provider's plugin did not answer in time: " + reason;
    default: return "The provider's plugin failed to compute a quote: " + reason;
  }
}

http::response quote(api_context& api, const runner::plugin_registry& plugins, const http::request_context& ctx) {
  const auto snapshot = api.catalog.get();
  const auto& id = ctx.path_params.at("id");
  const auto* solution = snapshot->find_solution(id);
  if (solution == nullptr) {
    return http::problem(status::not_found, "Not Found", "There is no solution with id '" + id + "'.");
  }
  auto body = http::parse_json_body(ctx.req);
  if (body.error) {
    return std::move(*body.error);
  }
  domain::field_errors errors;
  auto reference = read_profile_reference(*body.value, {}, errors);
  if (!errors.empty()) {
    return validation_problem("The quote request", errors);
  }
  auto resolved = resolve_profile(std::move(reference), api.store);
  if (auto* problem = std::get_if<http::response>(&resolved)) {
    return std::move(*problem);
  }
  const auto& profile = std::get<domain::profile>(resolved);
  const auto process = plugins.find(solution->provider_id);
  if (!process) {
    return http::problem(status::service_unavailable, "Service Unavailable",
                         "The plugin of provider '" + solution->provider_id +
                             "' is not running on this server, so no quote can be computed now.");
  }
  const auto outcome = process->quote(json::object{{"solution_id", solution->id}, {"profile", domain::to_json(profile)}});
  if (const auto* answer = std::get_if<runner::outcome::ok>(&outcome)) {
    return http::json_response(status::ok, json::object{{"solution_id", solution->id},
                                                        {"provider_id", solution->provider_id},
                                                        {"ags", profile.ags},
                                                        {"quote", readable(answer->result)}});
  }
  const auto code = static_cast<status>(runner::http_status(outcome));
  return http::problem(code, boost::beast::http::obsolete_reason(code), explain(outcome, solution->provider_id),
                       json::object{{"outcome", runner::outcome_name(outcome)}});
}

}  // namespace

void register_quote_routes(http::router& router, api_context& api, const runner::plugin_registry& plugins) {
  router.add(verb::post, "/api/v1/solutions/{id}/quote",
             [&api, &plugins](http::request_context& ctx) { return quote(api, plugins, ctx); });
}

}  // namespace lotse::api
