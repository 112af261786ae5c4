#include "host/api/assessment_routes.hpp"

#include "host/api/request_support.hpp"
#include "host/assessment/assessment_json.hpp"
#include "host/http/problem.hpp"

#include <boost/json.hpp>

namespace lotse::api {
namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

namespace {

http::response get_questionnaire() {
  // The questionnaire is compiled in, so its JSON never changes while the process runs.
  static const json::value body = assessment::questionnaire_to_json();
  return http::json_response(status::ok, body);
}

http::response post_assessment(const http::request_context& ctx) {
  auto body = http::parse_json_body(ctx.req);
  if (body.error) {
    return std::move(*body.error);
  }
  const auto result = assessment::assess(*body.value);
  if (!result.ok()) {
    return validation_problem("The assessment request", result.errors);
  }
  return http::json_response(status::ok, assessment::to_json(result.value));
}

}  // namespace

void register_assessment_routes(http::router& router) {
  router.add(verb::get, "/api/v1/assessment", [](http::request_context&) { return get_questionnaire(); });
  router.add(verb::post, "/api/v1/assessment", [](http::request_context& ctx) { return post_assessment(ctx); });
}

}  // namespace lotse::api
