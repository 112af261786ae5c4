#include "host/api/endorsement_routes.hpp"

#include "catalog/domain/vocabulary.hpp"
#include "host/api/access_control.hpp"
#include "host/api/request_support.hpp"
#include "host/http/problem.hpp"

#include <boost/json.hpp>

namespace lotse::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;
using catalog::role;

json::object endorsement_json(const domain::endorsement& e) {
  return {{"curator", e.curator_id}, {"solution_id", e.solution_id}, {"kind", domain::name_of(e.kind)}};
}

// Endorsements speak for one IT service provider: an admin token has none to speak for.
std::optional<http::response> needs_organisation(const auth::principal& who) {
  if (who.organisation.empty()) {
    return http::problem(status::forbidden, "Forbidden",
                         "Endorsements are an IT service provider's; use a curator token.");
  }
  return std::nullopt;
}

}  // namespace

void register_endorsement_routes(http::router& router, api_context& api, catalog::curation_store& curation,
                                 std::function<void()> refresh_catalog) {
  router.add(verb::get, "/api/v1/endorsements", [&api, &curation](http::request_context& ctx) -> http::response {
    auto caller = require_role(api, ctx, {role::curator});
    if (auto* problem = std::get_if<http::response>(&caller)) {
      return std::move(*problem);
    }
    const auto& who = std::get<auth::principal>(caller);
    json::array items;
    const auto filter = who.caller_role == role::admin ? std::nullopt : std::optional<std::string_view>(who.organisation);
    for (const auto& e : curation.endorsements(filter)) {
      items.push_back(endorsement_json(e));
    }
    return http::json_response(status::ok, json::object{{"endorsements", std::move(items)}});
  });

  router.add(verb::put, "/api/v1/endorsements/{solution_id}",
             [&api, &curation, refresh_catalog](http::request_context& ctx) -> http::response {
               auto caller = require_role(api, ctx, {role::curator});
               if (auto* problem = std::get_if<http::response>(&caller)) {
                 return std::move(*problem);
               }
               const auto& who = std::get<auth::principal>(caller);
               if (auto problem = needs_organisation(who)) {
                 return std::move(*problem);
               }
               const auto& solution_id = ctx.path_params.at("solution_id");
               if (api.catalog.get()->find_solution(solution_id) == nullptr) {
                 return not_found("Solution '" + solution_id + "'");
               }
               auto body = http::parse_json_body(ctx.req);
               if (body.error) {
                 return std::move(*body.error);
               }
               const auto* object = body.value->if_object();
               const json::value* kind_member = object != nullptr ? object->if_contains("kind") : nullptr;
               const auto kind = kind_member != nullptr && kind_member->is_string()
                                     ? domain::parse_name<domain::endorsement_kind>(kind_member->get_string())
                                     : std::nullopt;
               if (!kind || object->size() != 1) {
                 return validation_problem(
                     "The endorsement",
                     {{"/kind", "must be one of " + std::string(domain::all_names<domain::endorsement_kind>()) +
                                    " (and the only member)"}});
               }
               const domain::endorsement endorsement{who.organisation, solution_id, *kind};
               curation.put_endorsement(endorsement);
               refresh_catalog();
               return http::json_response(status::ok, endorsement_json(endorsement));
             });

  router.add(verb::delete_, "/api/v1/endorsements/{solution_id}",
             [&api, &curation, refresh_catalog](http::request_context& ctx) -> http::response {
               auto caller = require_role(api, ctx, {role::curator});
               if (auto* problem = std::get_if<http::response>(&caller)) {
                 return std::move(*problem);
               }
               const auto& who = std::get<auth::principal>(caller);
               if (auto problem = needs_organisation(who)) {
                 return std::move(*problem);
               }
               const auto& solution_id = ctx.path_params.at("solution_id");
               if (!curation.remove_endorsement(who.organisation, solution_id)) {
                 return not_found("Your endorsement of '" + solution_id + "'");
               }
               refresh_catalog();
               http::response res{status::no_content, ctx.req.version()};
               return res;
             });
}

}  // namespace lotse::api
