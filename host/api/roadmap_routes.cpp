#include "host/api/roadmap_routes.hpp"

#include "host/api/request_support.hpp"
#include "host/api/roadmap_json.hpp"
#include "host/http/problem.hpp"
#include "host/matching/roadmap.hpp"

#include <boost/json.hpp>

#include <chrono>

namespace lotse::api {
namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

namespace {

// The current calendar year (UTC), for a request that names no start year.
int current_year() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<int>(std::chrono::year_month_day(today).year());
}

http::response run_roadmap(api_context& api, const http::request_context& ctx) {
  auto body = http::parse_json_body(ctx.req);
  if (body.error) {
    return std::move(*body.error);
  }
  auto request = parse_roadmap_request(*body.value);
  if (!request.ok()) {
    return validation_problem("The roadmap request", request.errors);
  }
  auto resolved = resolve_profile(std::move(request.value.municipality), api.store);
  if (auto* problem = std::get_if<http::response>(&resolved)) {
    return std::move(*problem);
  }
  const auto& profile = std::get<domain::profile>(resolved);
  matching::roadmap_options options;
  options.start_year = request.value.start_year.value_or(current_year());
  options.years = request.value.years;
  options.max_steps = request.value.max_steps;
  // The snapshot is held while the plan is turned into JSON: the steps point into it.
  const auto snapshot = api.catalog.get();
  const auto plan = matching::plan_roadmap(profile, snapshot->solutions(), options);
  return http::json_response(status::ok, to_json(plan, options.start_year));
}

}  // namespace

void register_roadmap_routes(http::router& router, api_context& api) {
  router.add(verb::post, "/api/v1/roadmap", [&api](http::request_context& ctx) { return run_roadmap(api, ctx); });
}

}  // namespace lotse::api
