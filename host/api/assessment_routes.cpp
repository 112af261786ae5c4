#include "host/api/assessment_routes.hpp"

#include "host/assessment/assessment_json.hpp"
#include "host/http/problem.hpp"

#include <boost/json.hpp>

namespace lotse::api {
namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

namespace {

// The same problem shape as the other 422s of /api/v1 (validation_problem in routes.cpp), so a client handles every
// validation failure alike.
http::response answers_problem(const domain::field_errors& errors) {
  json::array list;
  std::string detail = "The assessment request has " + std::to_string(errors.size()) +
                       (errors.size() == 1 ? " problem" : " problems") + ": ";
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
    return answers_problem(result.errors);
  }
  return http::json_response(status::ok, assessment::to_json(result.value));
}

}  // namespace

void register_assessment_routes(http::router& router) {
  router.add(verb::get, "/api/v1/assessment", [](http::request_context&) { return get_questionnaire(); });
  router.add(verb::post, "/api/v1/assessment", [](http::request_context& ctx) { return post_assessment(ctx); });
}

}  // namespace lotse::api
