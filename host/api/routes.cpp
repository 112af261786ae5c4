#include "host/api/routes.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/domain/profile_json.hpp"
#include "host/api/assessment_routes.hpp"
#include "host/api/match_json.hpp"
#include "host/demand/demand_recorder.hpp"
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

// 200 while the host can serve; "degraded" (still 200: the catalog is served from memory) while the database is
// unreachable, so a load balancer keeps sending reads but an operator sees the problem.
http::response healthz(api_context& api) {
  const auto snapshot = api.catalog.get();
  const bool database_ok = !api.database_reachable || api.database_reachable();
  return http::json_response(status::ok, json::object{{"status", database_ok ? "ok" : "degraded"},
                                                      {"database", database_ok ? "reachable" : "unreachable"},
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
  if (api.demand != nullptr) {
    api.demand->record(outcome);
  }
  return http::json_response(status::ok, to_json(outcome, relaxations, snapshot->solutions().size()));
}

// Profile versions travel as strong entity tags: "3".
std::string etag_of(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

http::response with_etag(http::response res, std::int64_t version) {
  res.set(boost::beast::http::field::etag, etag_of(version));
  return res;
}

// The version an If-Match header names: nullopt without the header, -1 for one we cannot read ("*" and lists of
// several tags are not used by Lotse's clients; they are refused rather than guessed at).
std::optional<std::int64_t> if_match_version(const http::request& req) {
  const auto header = req.find(boost::beast::http::field::if_match);
  if (header == req.end()) {
    return std::nullopt;
  }
  std::string_view value(header->value().data(), header->value().size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  std::int64_t version = 0;
  if (value.size() < 3 || value.front() != '"' || value.back() != '"') {
    return -1;
  }
  const auto digits = value.substr(1, value.size() - 2);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (ec != std::errc() || end != digits.data() + digits.size() || version < 1) {
    return -1;
  }
  return version;
}

http::response get_municipality(api_context& api, const http::request_context& ctx) {
  const auto& ags = ctx.path_params.at("ags");
  auto stored = api.store.get_profile(ags);
  if (!stored) {
    return http::problem(status::not_found, "Not Found", "There is no stored profile for AGS " + ags + ".");
  }
  return with_etag(http::json_response(status::ok, domain::to_json(stored->profile)), stored->version);
}

// PUT saves; POST only creates and answers 409 for an AGS that already has a profile. Replacing an existing profile
// needs If-Match with the ETag of the version the client read (412 if another save came in between; 428 without
// it), so two clerks, or two hosts, can never silently overwrite each other's changes.
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
  const auto if_match = if_match_version(ctx.req);
  if (if_match && *if_match < 0) {
    return http::problem(status::bad_request, "Bad Request",
                         "If-Match must be one entity tag as sent in the ETag header, e.g. \"3\".");
  }
  // Without If-Match only a new profile may be written.
  const std::int64_t expected = create_only ? 0 : if_match.value_or(0);
  const auto result = api.store.put_profile(parsed.value, expected);
  if (result.outcome == catalog::put_outcome::precondition_failed) {
    if (create_only) {
      return http::problem(status::conflict, "Conflict",
                           "A profile for AGS " + ags + " exists already; change it with PUT /api/v1/municipalities/" +
                               ags + " and If-Match.");
    }
    if (!if_match) {
      return http::problem(status::precondition_required, "Precondition Required",
                           "A profile for AGS " + ags + " exists already (version " +
                               std::to_string(result.version) +
                               "). To replace it, send If-Match with the ETag from GET /api/v1/municipalities/" +
                               ags + ", so that nobody's changes are overwritten unknowingly.",
                           json::object{{"current_etag", etag_of(result.version)}});
    }
    if (result.version == 0) {
      return http::problem(status::precondition_failed, "Precondition Failed",
                           "There is no stored profile for AGS " + ags +
                               " any more; create it again without If-Match.");
    }
    return http::problem(status::precondition_failed, "Precondition Failed",
                         "The profile for AGS " + ags + " was changed by someone else after you read it (you sent " +
                             etag_of(*if_match) + ", it is now " + etag_of(result.version) +
                             "). Load it again, reapply your change and send the new ETag.",
                         json::object{{"current_etag", etag_of(result.version)}});
  }
  const auto code = result.outcome == catalog::put_outcome::created ? status::created : status::ok;
  return with_etag(http::json_response(code, domain::to_json(parsed.value)), result.version);
}

}  // namespace

void register_routes(http::router& router, api_context& api) {
  router.on_exception([](const std::exception& e) -> std::optional<http::response> {
    if (dynamic_cast<const catalog::store_unavailable*>(&e) == nullptr) {
      return std::nullopt;
    }
    auto res = http::problem(status::service_unavailable, "Service Unavailable",
                             "The database is not reachable right now; nothing was changed. Please try again in a few "
                             "seconds. Reading the solution catalog keeps working meanwhile.");
    res.set(boost::beast::http::field::retry_after, "2");
    return res;
  });
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
