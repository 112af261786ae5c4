#include "host/api/demand_routes.hpp"

#include "host/api/access_control.hpp"
#include "host/http/problem.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace lotse::api {
namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

namespace {

constexpr std::string_view counting_note =
    "Counts since this catalog database began recording demand, summed over all hosts; a host adds its counts every "
    "few seconds. 'excluded' counts a solution once per match that listed it among its most relevant exclusions "
    "(at most max_excluded per match); 'excluded_by_constraint' counts per violated constraint, so it may add up to "
    "more. No count says which municipality asked.";

http::response invalid_query(std::string_view parameter, std::string_view message) {
  return http::problem(status::bad_request, "Invalid query parameter",
                       std::string(parameter) + " " + std::string(message),
                       json::object{{"type", "urn:lotse:problem:invalid-query"},
                                    {"errors", json::array{json::object{{"parameter", parameter},
                                                                        {"message", message}}}}});
}

struct solution_demand {
  std::int64_t shown = 0;
  std::int64_t excluded = 0;
  json::object by_constraint;  // filled in reason order, which counts() sorts
};

http::response demand(api_context& api, const catalog::curation_store& curation, const catalog::demand_store& store,
                      const http::request_context& ctx) {
  auto allowed = require_role(api, ctx, {catalog::role::publisher, catalog::role::curator});
  if (auto* problem = std::get_if<http::response>(&allowed)) {
    return std::move(*problem);
  }
  const auto& caller = std::get<auth::principal>(allowed);
  const auto provider = ctx.query_value("provider");
  if (provider && provider->empty()) {
    return invalid_query("provider", "must name a provider id");
  }

  const auto snapshot = api.catalog.get();
  // nullopt: every provider of the snapshot. A publisher sees only the providers it owns (those its approved
  // uploads claimed), never a host's own plugins or another publisher's.
  std::optional<std::set<std::string, std::less<>>> visible;
  if (caller.caller_role == catalog::role::publisher) {
    const auto owned = curation.owned_providers(caller.organisation);
    visible.emplace(owned.begin(), owned.end());
  }
  if (provider) {
    // An owned provider with no solutions in the catalog (withdrawn) answers an empty list; anything else the
    // caller may not see answers as if it did not exist, so provider ids cannot be probed.
    const bool known = visible ? visible->contains(*provider) : snapshot->find_provider(*provider) != nullptr;
    if (!known) {
      return not_found("The provider '" + *provider + "'");
    }
  }

  std::vector<const domain::solution*> shown_solutions;
  for (const auto& solution : snapshot->solutions()) {
    if ((!visible || visible->contains(solution.provider_id)) && (!provider || solution.provider_id == *provider)) {
      shown_solutions.push_back(&solution);
    }
  }
  std::map<std::string, solution_demand, std::less<>> demand_of;
  // Asked only with ids: counts({}) would mean every solution, not none.
  if (!shown_solutions.empty()) {
    std::vector<std::string> ids;
    ids.reserve(shown_solutions.size());
    for (const auto* solution : shown_solutions) {
      ids.push_back(solution->id);
    }
    for (const auto& row : store.counts(ids)) {
      auto& entry = demand_of[row.solution_id];
      if (row.event == catalog::demand_event::shown) {
        entry.shown += row.count;
      } else if (row.event == catalog::demand_event::excluded) {
        if (row.reason.empty()) {
          entry.excluded += row.count;
        } else {
          entry.by_constraint[row.reason] = row.count;
        }
      }
    }
  }

  json::array items;
  items.reserve(shown_solutions.size());
  for (const auto* solution : shown_solutions) {  // the snapshot sorts solutions by id
    auto found = demand_of.find(solution->id);
    solution_demand counts = found != demand_of.end() ? std::move(found->second) : solution_demand{};
    items.push_back(json::object{{"solution_id", solution->id},
                                 {"name", solution->name},
                                 {"provider_id", solution->provider_id},
                                 {"shown", counts.shown},
                                 {"excluded", counts.excluded},
                                 {"excluded_by_constraint", std::move(counts.by_constraint)}});
  }
  return http::json_response(status::ok, json::object{{"solutions", std::move(items)}, {"note", counting_note}});
}

}  // namespace

void register_demand_routes(http::router& router, api_context& api, const catalog::curation_store& curation,
                            const catalog::demand_store& demand_counts) {
  router.add(verb::get, "/api/v1/demand", [&api, &curation, &demand_counts](http::request_context& ctx) {
    return demand(api, curation, demand_counts, ctx);
  });
}

}  // namespace lotse::api
