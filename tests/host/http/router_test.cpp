#include "host/http/router.hpp"

#include <stdexcept>
#include <string>

#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "host/http/problem.hpp"
#include "host/http/request_id.hpp"
#include "tests/host/http/log_capture.hpp"

namespace lotse::http {
namespace {

namespace beast_http = boost::beast::http;
using ::testing::HasSubstr;
using ::testing::Not;

request make_request(beast_http::verb method, std::string target) {
  request req{method, target, 11};
  req.set(beast_http::field::host, "localhost");
  return req;
}

std::string header(const response& res, std::string_view name) {
  const auto value = res[name];
  return {value.data(), value.size()};
}

boost::json::object body_of(const response& res) { return boost::json::parse(res.body()).as_object(); }

response text(std::string body) {
  response res{beast_http::status::ok, 11};
  res.set(beast_http::field::content_type, "text/plain");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

TEST(router, passes_decoded_path_parameters_query_and_request_id_to_the_handler) {
  router routes;
  std::string seen_path;
  routes.add(beast_http::verb::get, "/api/v1/solutions/{id}/versions/{version}", [&](request_context& ctx) {
    seen_path = std::string{ctx.path};
    return json_response(beast_http::status::ok,
                         {{"id", ctx.path_params.at("id")},
                          {"version", ctx.path_params.at("version")},
                          {"q", ctx.query_value("q").value_or("<none>")},
                          {"flag", ctx.query_value("flag").value_or("<none>")},
                          {"missing", ctx.query_value("missing").value_or("<none>")},
                          {"request_id", ctx.request_id}});
  });

  const auto res =
      routes.dispatch(make_request(beast_http::verb::get, "/api/v1/solutions/abc%20d/versions/7?q=x%20y&flag"), "rid-1");

  ASSERT_EQ(res.result(), beast_http::status::ok);
  const auto body = body_of(res);
  EXPECT_EQ(body.at("id").as_string(), "abc d");
  EXPECT_EQ(body.at("version").as_string(), "7");
  EXPECT_EQ(body.at("q").as_string(), "x y");
  EXPECT_EQ(body.at("flag").as_string(), "");
  EXPECT_EQ(body.at("missing").as_string(), "<none>");
  EXPECT_EQ(body.at("request_id").as_string(), "rid-1");
  EXPECT_EQ(seen_path, "/api/v1/solutions/abc d/versions/7");
  EXPECT_EQ(header(res, "X-Request-Id"), "rid-1");
}

TEST(router, an_encoded_slash_stays_inside_one_parameter) {
  router routes;
  routes.add(beast_http::verb::get, "/files/{name}",
             [](request_context& ctx) { return text(ctx.path_params.at("name")); });

  const auto res = routes.dispatch(make_request(beast_http::verb::get, "/files/a%2Fb"), "rid");

  ASSERT_EQ(res.result(), beast_http::status::ok);
  EXPECT_EQ(res.body(), "a/b");
}

TEST(router, literal_segments_win_over_parameters_regardless_of_registration_order) {
  router routes;
  routes.add(beast_http::verb::get, "/api/v1/solutions/{id}", [](request_context&) { return text("by-id"); });
  routes.add(beast_http::verb::get, "/api/v1/solutions/search", [](request_context&) { return text("search"); });

  EXPECT_EQ(routes.dispatch(make_request(beast_http::verb::get, "/api/v1/solutions/search"), "r").body(), "search");
  EXPECT_EQ(routes.dispatch(make_request(beast_http::verb::get, "/api/v1/solutions/42"), "r").body(), "by-id");
}

TEST(router, root_pattern_matches_only_root) {
  router routes;
  routes.add(beast_http::verb::get, "/", [](request_context&) { return text("root"); });

  EXPECT_EQ(routes.dispatch(make_request(beast_http::verb::get, "/"), "r").body(), "root");
  EXPECT_EQ(routes.dispatch(make_request(beast_http::verb::get, "/x"), "r").result(), beast_http::status::not_found);
}

TEST(router, unknown_path_is_a_404_problem) {
  router routes;
  routes.add(beast_http::verb::get, "/api/v1/solutions/{id}", [](request_context&) { return text("x"); });

  for (const auto* target : {"/api/v1/nothing", "/api/v1/solutions", "/api/v1/solutions/", "/api/v1/solutions/1/x"}) {
    SCOPED_TRACE(target);
    const auto res = routes.dispatch(make_request(beast_http::verb::get, target), "rid-404");
    ASSERT_EQ(res.result(), beast_http::status::not_found);
    EXPECT_EQ(header(res, "Content-Type"), "application/problem+json");
    EXPECT_EQ(header(res, "X-Request-Id"), "rid-404");
    const auto body = body_of(res);
    EXPECT_EQ(body.at("type").as_string(), "about:blank");
    EXPECT_EQ(body.at("status").as_int64(), 404);
    EXPECT_EQ(body.at("title").as_string(), "Not Found");
  }
}

TEST(router, known_path_with_another_method_is_405_listing_allowed_methods) {
  router routes;
  routes.add(beast_http::verb::post, "/api/v1/profiles/{id}", [](request_context&) { return text("post"); });
  routes.add(beast_http::verb::get, "/api/v1/profiles/{id}", [](request_context&) { return text("get"); });

  const auto res = routes.dispatch(make_request(beast_http::verb::delete_, "/api/v1/profiles/9"), "r");

  ASSERT_EQ(res.result(), beast_http::status::method_not_allowed);
  EXPECT_EQ(header(res, "Allow"), "GET, POST");
  EXPECT_EQ(header(res, "Content-Type"), "application/problem+json");
  EXPECT_EQ(body_of(res).at("status").as_int64(), 405);
  EXPECT_EQ(routes.dispatch(make_request(beast_http::verb::get, "/api/v1/profiles/9"), "r").body(), "get");
}

TEST(router, throwing_handler_gives_500_without_leaking_the_exception_text) {
  test::http_log_capture log;
  router routes;
  routes.add(beast_http::verb::get, "/boom", [](request_context&) -> response {
    throw std::runtime_error("db password=hunter2 rejected");
  });

  const auto res = routes.dispatch(make_request(beast_http::verb::get, "/boom"), "rid-500");

  ASSERT_EQ(res.result(), beast_http::status::internal_server_error);
  EXPECT_EQ(header(res, "Content-Type"), "application/problem+json");
  EXPECT_THAT(res.body(), Not(HasSubstr("hunter2")));
  EXPECT_THAT(std::string{body_of(res).at("detail").as_string()}, HasSubstr("rid-500"));
  EXPECT_EQ(body_of(res).at("status").as_int64(), 500);
  EXPECT_THAT(log.text(), HasSubstr("hunter2"));
  EXPECT_THAT(log.text(), HasSubstr("id=rid-500"));
}

TEST(router, non_standard_exception_is_also_a_500) {
  test::http_log_capture log;
  router routes;
  routes.add(beast_http::verb::get, "/boom", [](request_context&) -> response { throw 42; });

  EXPECT_EQ(routes.dispatch(make_request(beast_http::verb::get, "/boom"), "r").result(),
            beast_http::status::internal_server_error);
}

TEST(router, malformed_target_is_a_400_problem) {
  router routes;
  routes.add(beast_http::verb::get, "/{anything}", [](request_context&) { return text("x"); });

  for (const auto* target : {"/bad%zzescape", "http://example.com/x", "*", "no-leading-slash", "/a b"}) {
    SCOPED_TRACE(target);
    const auto res = routes.dispatch(make_request(beast_http::verb::get, target), "rid-400");
    ASSERT_EQ(res.result(), beast_http::status::bad_request);
    EXPECT_EQ(header(res, "Content-Type"), "application/problem+json");
    EXPECT_EQ(header(res, "X-Request-Id"), "rid-400");
  }
}

TEST(router, response_takes_the_request_http_version) {
  router routes;
  routes.add(beast_http::verb::get, "/v", [](request_context&) { return text("v"); });
  auto req = make_request(beast_http::verb::get, "/v");
  req.version(10);

  EXPECT_EQ(routes.dispatch(req, "r").version(), 10);
}

TEST(router, rejects_malformed_and_conflicting_patterns) {
  router routes;
  const auto ok = [](request_context&) { return text("x"); };
  routes.add(beast_http::verb::get, "/a/{id}", ok);

  EXPECT_THROW(routes.add(beast_http::verb::get, "/a/{other}", ok), std::invalid_argument);
  EXPECT_NO_THROW(routes.add(beast_http::verb::put, "/a/{other}", ok));
  EXPECT_THROW(routes.add(beast_http::verb::get, "no-slash", ok), std::invalid_argument);
  EXPECT_THROW(routes.add(beast_http::verb::get, "/a//b", ok), std::invalid_argument);
  EXPECT_THROW(routes.add(beast_http::verb::get, "/a/{}", ok), std::invalid_argument);
  EXPECT_THROW(routes.add(beast_http::verb::get, "/a/x{id}", ok), std::invalid_argument);
  EXPECT_THROW(routes.add(beast_http::verb::get, "/b/{id}/{id}", ok), std::invalid_argument);
  EXPECT_THROW(routes.add(beast_http::verb::get, "/c", handler{}), std::invalid_argument);
}

TEST(request_id, accepts_visible_ascii_up_to_128_characters) {
  EXPECT_TRUE(is_acceptable_request_id("abc-123_XYZ.~"));
  EXPECT_TRUE(is_acceptable_request_id(std::string(128, 'a')));
  EXPECT_FALSE(is_acceptable_request_id(""));
  EXPECT_FALSE(is_acceptable_request_id(std::string(129, 'a')));
  EXPECT_FALSE(is_acceptable_request_id("has space"));
  EXPECT_FALSE(is_acceptable_request_id("tab\there"));
  EXPECT_FALSE(is_acceptable_request_id("umlaut-\xc3\xa4"));
}

TEST(request_id, generated_ids_are_16_lowercase_hex_and_differ) {
  const auto a = generate_request_id();
  const auto b = generate_request_id();
  EXPECT_THAT(a, ::testing::MatchesRegex("[0-9a-f]{16}"));
  EXPECT_THAT(b, ::testing::MatchesRegex("[0-9a-f]{16}"));
  EXPECT_NE(a, b);
  EXPECT_EQ(choose_request_id("client-1"), "client-1");
  EXPECT_THAT(choose_request_id("bad id"), ::testing::MatchesRegex("[0-9a-f]{16}"));
}

}  // namespace
}  // namespace lotse::http
