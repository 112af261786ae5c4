#include "host/api/routes.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/domain/profile_json.hpp"
#include "host/api/assessment_routes.hpp"
#include "host/api/match_json.hpp"
#include "host/api/request_support.hpp"
#include "host/api/roadmap_routes.hpp"
#include "host/http/problem.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

namespace lotse::api {
namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

namespace {

constexpr std::size_t default_page_size = 20;
constexpr std::size_t max_page_size = 100;

// A positive whole number query parameter; nullopt and an error entry for anything else.
std::optional<std::size_t> positive_query(const http::request_context& ctx, std::string_view key, std::size_t fallback,
                                          std::size_t max, domain::field_errors& errors) {
  const auto raw = ctx.query_value(key);
  if (!raw) {
    return fallback;
  }
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
  if (ec != std::errc() || end != raw->data() + raw->size() || value < 1 || value > max) {
    errors.push_back({"?" + std::string(key), "must be a whole number from 1 to " + std::to_string(max)});
    return std::nullopt;
  }
  return value;
}

json::value solution_json(const domain::solution& s) {
  auto out = domain::to_json(s);
  out.as_object()["provider_id"] = s.provider_id;
  return out;
}

http::response healthz(api_context& api) {
  const auto snapshot = api.catalog.get();
  return http::json_response(status::ok, json::object{{"status", "ok"},
                                                      {"providers", snapshot->providers().size()},
                                                      {"solutions", snapshot->solutions().size()}});
}

http::response list_providers(api_context& api) {
  const auto snapshot = api.catalog.get();
  json::array items;
  for (const auto& p : snapshot->providers()) {
    auto item = domain::to_json(p);
    item.as_object()["solution_count"] = snapshot->solution_count_of(p.id);
    items.push_back(std::move(item));
  }
  const auto total = items.size();
  return http::json_response(status::ok, json::object{{"items", std::move(items)}, {"total", total}});
}

http::response list_solutions(api_context& api, const http::request_context& ctx) {
  domain::field_errors errors;
  std::optional<domain::need_category> category;
  if (const auto raw = ctx.query_value("category")) {
    category = domain::parse_name<domain::need_category>(*raw);
    if (!category) {
      errors.push_back({"?category", "must be one of: " + std::string(domain::all_names<domain::need_category>())});
    }
  }
  const auto page = positive_query(ctx, "page", 1, 1'000'000, errors);
  const auto per_page = positive_query(ctx, "per_page", default_page_size, max_page_size, errors);
  if (!errors.empty()) {
    json::array list;
    std::string detail;
    for (const auto& e : errors) {
      list.push_back(json::object{{"parameter", e.pointer.substr(1)}, {"message", e.message}});
      detail += (detail.empty() ? "" : "; ") + e.pointer.substr(1) + " " + e.message;
    }
    return http::problem(status::bad_request, "Invalid query parameter", detail,
                         json::object{{"type", "urn:lotse:problem:invalid-query"}, {"errors", std::move(list)}});
  }
  const auto provider = ctx.query_value("provider");
  const auto query = lower_ascii(ctx.query_value("q").value_or(""));

  const auto snapshot = api.catalog.get();
  std::vector<const domain::solution*> matches;
  const auto& solutions = snapshot->solutions();
  for (std::size_t i = 0; i < solutions.size(); ++i) {
    const auto& s = solutions[i];
    if (category && !s.categories.test(static_cast<std::size_t>(*category))) {
      continue;
    }
    if (provider && s.provider_id != *provider) {
      continue;
    }
    if (!query.empty() && snapshot->search_text(i).find(query) == std::string::npos) {
      continue;
    }
    matches.push_back(&s);
  }
  json::array items;
  const auto first = (*page - 1) * *per_page;
  for (std::size_t i = first; i < matches.size() && i < first + *per_page; ++i) {
    items.push_back(solution_json(*matches[i]));
  }
  return http::json_response(status::ok, json::object{{"items", std::move(items)},
                                                      {"page", *page},
                                                      {"per_page", *per_page},
                                                      {"total", matches.size()}});
}

http::response get_solution(api_context& api, const http::request_context& ctx) {
  const auto snapshot = api.catalog.get();
  const auto& id = ctx.path_params.at("id");
  const auto* found = snapshot->find_solution(id);
  if (found == nullptr) {
    return http::problem(status::not_found, "Not Found", "There is no solution with id '" + id + "'.");
  }
  return http::json_response(status::ok, solution_json(*found));
}

http::response run_match(api_context& api, const http::request_context& ctx) {
  auto body = http::parse_json_body(ctx.req);
  if (body.error) {
    return std::move(*body.error);
  }
  auto request = parse_match_request(*body.value);
  if (!request.ok()) {
    return validation_problem("The match request", request.errors);
  }
  auto resolved = resolve_profile(std::move(request.value.municipality), api.store);
  if (auto* problem = std::get_if<http::response>(&resolved)) {
    return std::move(*problem);
  }
  const auto& profile = std::get<domain::profile>(resolved);
  // The snapshot is held for the whole match: the pointers in the outcome point into it.
  const auto snapshot = api.catalog.get();
  const auto outcome = matching::match(profile, snapshot->compiled(), request.value.options);
  const auto relaxations = matching::find_relaxations(profile, snapshot->compiled(), outcome, request.value.options, {});
  return http::json_response(status::ok, to_json(outcome, relaxations, snapshot->solutions().size()));
}

http::response get_municipality(api_context& api, const http::request_context& ctx) {
  const auto& ags = ctx.path_params.at("ags");
  auto stored = api.store.get_profile(ags);
  if (!stored) {
    return http::problem(status::not_found, "Not Found", "There is no stored profile for AGS " + ags + ".");
  }
  return http::json_response(status::ok, domain::to_json(*stored));
}

// PUT saves (creates or replaces); POST only creates and answers 409 for an AGS that already has a profile.
http::response save_municipality(api_context& api, const http::request_context& ctx, bool create_only) {
  auto body = http::parse_json_body(ctx.req);
  if (body.error) {
    return std::move(*body.error);
  }
  auto parsed = domain::parse_profile(*body.value);
  if (!parsed.ok()) {
    return validation_problem("The profile", parsed.errors);
  }
  const auto& ags = ctx.path_params.at("ags");
  if (parsed.value.ags != ags) {
    return validation_problem("The profile",
                              {{"/ags", "must equal the AGS in the path (" + ags + ")"}});
  }
  if (create_only && api.store.get_profile(ags)) {
    return http::problem(status::conflict, "Conflict",
                         "A profile for AGS " + ags + " exists already; change it with PUT /api/v1/municipalities/" +
                             ags + ".");
  }
  api.store.put_profile(parsed.value);
  return http::json_response(create_only ? status::created : status::ok, domain::to_json(parsed.value));
}

}  // namespace

void register_routes(http::router& router, api_context& api) {
  router.add(verb::get, "/healthz", [&api](http::request_context&) { return healthz(api); });
  router.add(verb::get, "/api/v1/providers", [&api](http::request_context&) { return list_providers(api); });
  router.add(verb::get, "/api/v1/solutions", [&api](http::request_context& ctx) { return list_solutions(api, ctx); });
  router.add(verb::get, "/api/v1/solutions/{id}", [&api](http::request_context& ctx) { return get_solution(api, ctx); });
  router.add(verb::post, "/api/v1/match", [&api](http::request_context& ctx) { return run_match(api, ctx); });
  router.add(verb::get, "/api/v1/municipalities/{ags}",
             [&api](http::request_context& ctx) { return get_municipality(api, ctx); });
  router.add(verb::put, "/api/v1/municipalities/{ags}",
             [&api](http::request_context& ctx) { return save_municipality(api, ctx, false); });
  router.add(verb::post, "/api/v1/municipalities/{ags}",
             [&api](http::request_context& ctx) { return save_municipality(api, ctx, true); });
  register_assessment_routes(router);
  register_roadmap_routes(router, api);
}

}  // namespace lotse::api
