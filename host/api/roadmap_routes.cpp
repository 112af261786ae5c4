#include "host/api/roadmap_routes.hpp"

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

// The same problem shape as the other 422s of /api/v1 (validation_problem in routes.cpp).
http::response roadmap_validation_problem(const domain::field_errors& errors) {
  json::array list;
  std::string detail = "The roadmap request has " + std::to_string(errors.size()) +
                       (errors.size() == 1 ? " invalid field" : " invalid fields") + ": ";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    list.push_back(json::object{{"pointer", errors[i].pointer}, {"message", errors[i].message}});
    if (i < 5) {
      detail += (i > 0 ? "; " : "") + (errors[i].pointer.empty() ? std::string("(document)") : errors[i].pointer) +
                " " + errors[i].message;
    }
  }
  if (errors.size() > 5) {
    detail += "; …";
  }
  return http::problem(status::unprocessable_entity, "Validation failed", detail,
                       json::object{{"type", "urn:lotse:problem:validation"}, {"errors", std::move(list)}});
}

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
    return roadmap_validation_problem(request.errors);
  }
  domain::profile profile;
  if (request.value.profile) {
    profile = std::move(*request.value.profile);
  } else {
    auto stored = api.store.get_profile(request.value.ags);
    if (!stored) {
      return http::problem(status::not_found, "Not Found",
                           "There is no stored profile for AGS " + request.value.ags +
                               "; save one with PUT /api/v1/municipalities/" + request.value.ags +
                               " or send the profile inline.");
    }
    profile = std::move(*stored);
  }
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
