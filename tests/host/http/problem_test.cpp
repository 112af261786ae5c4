#include "host/http/problem.hpp"

#include <string>

#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lotse::http {
namespace {

namespace beast_http = boost::beast::http;
using ::testing::HasSubstr;
using ::testing::StartsWith;

request json_request(std::string body, std::string content_type = "application/json") {
  request req{beast_http::verb::post, "/api/v1/profiles", 11};
  if (!content_type.empty()) {
    req.set(beast_http::field::content_type, content_type);
  }
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

std::string header(const response& res, std::string_view name) {
  const auto value = res[name];
  return {value.data(), value.size()};
}

boost::json::object body_of(const response& res) { return boost::json::parse(res.body()).as_object(); }

std::string detail_of(const json_body_result& result) {
  return std::string{body_of(*result.error).at("detail").as_string()};
}

TEST(problem, carries_the_rfc_9457_members_and_content_type) {
  const auto res = problem(beast_http::status::unprocessable_entity, "Invalid profile", "population must be positive",
                           {{"errors", boost::json::array{{{"pointer", "/population"}, {"message", "must be > 0"}}}}});

  EXPECT_EQ(res.result(), beast_http::status::unprocessable_entity);
  EXPECT_EQ(header(res, "Content-Type"), "application/problem+json");
  EXPECT_EQ(header(res, "Content-Length"), std::to_string(res.body().size()));
  const auto body = body_of(res);
  EXPECT_EQ(body.at("type").as_string(), "about:blank");
  EXPECT_EQ(body.at("title").as_string(), "Invalid profile");
  EXPECT_EQ(body.at("status").as_int64(), 422);
  EXPECT_EQ(body.at("detail").as_string(), "population must be positive");
  const auto& error = body.at("errors").as_array().at(0).as_object();
  EXPECT_EQ(error.at("pointer").as_string(), "/population");
  EXPECT_EQ(error.at("message").as_string(), "must be > 0");
}

TEST(problem, extra_may_set_type_but_not_override_status_title_or_detail) {
  const auto res = problem(beast_http::status::conflict, "Conflict", "already exists",
                           {{"type", "https://lotse.example/problems/duplicate"},
                            {"status", 200},
                            {"title", "fine"},
                            {"detail", "nothing"}});

  const auto body = body_of(res);
  EXPECT_EQ(body.at("type").as_string(), "https://lotse.example/problems/duplicate");
  EXPECT_EQ(body.at("status").as_int64(), 409);
  EXPECT_EQ(body.at("title").as_string(), "Conflict");
  EXPECT_EQ(body.at("detail").as_string(), "already exists");
}

TEST(problem, escapes_text_as_json) {
  const auto res = problem(beast_http::status::bad_request, "Bad \"quote\"", "line\nbreak \\ and \xc3\xa4");

  const auto body = body_of(res);
  EXPECT_EQ(body.at("title").as_string(), "Bad \"quote\"");
  EXPECT_EQ(body.at("detail").as_string(), "line\nbreak \\ and \xc3\xa4");
}

TEST(json_response, serializes_with_json_content_type) {
  const auto res = json_response(beast_http::status::created, {{"id", 7}, {"name", "Kleinstadt"}});

  EXPECT_EQ(res.result(), beast_http::status::created);
  EXPECT_EQ(header(res, "Content-Type"), "application/json");
  EXPECT_EQ(boost::json::parse(res.body()), (boost::json::value{{"id", 7}, {"name", "Kleinstadt"}}));
}

TEST(parse_json_body, returns_the_document) {
  const auto result = parse_json_body(json_request(R"({"population": 4200, "tags": ["a"]})"));

  ASSERT_FALSE(result.error.has_value());
  ASSERT_TRUE(result.value.has_value());
  EXPECT_EQ(result.value->at("population").as_int64(), 4200);
}

TEST(parse_json_body, malformed_json_names_line_and_column) {
  const auto result = parse_json_body(json_request("{\n  \"name\": \"Musterdorf\",\n  \"size\": ]\n}"));

  ASSERT_FALSE(result.value.has_value());
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->result(), beast_http::status::bad_request);
  EXPECT_EQ(header(*result.error, "Content-Type"), "application/problem+json");
  EXPECT_EQ(detail_of(result), "malformed JSON at line 3, column 11: syntax error");
  EXPECT_EQ(body_of(*result.error).at("line").as_int64(), 3);
  EXPECT_EQ(body_of(*result.error).at("column").as_int64(), 11);
}

TEST(parse_json_body, truncated_json_points_at_the_end) {
  const auto result = parse_json_body(json_request("{\"a\": [1, 2"));

  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->result(), beast_http::status::bad_request);
  EXPECT_THAT(detail_of(result), StartsWith("malformed JSON at line 1, column 12: "));
}

TEST(parse_json_body, trailing_content_points_at_where_it_starts) {
  const auto result = parse_json_body(json_request("{}\n  x"));

  ASSERT_TRUE(result.error.has_value());
  EXPECT_THAT(detail_of(result), StartsWith("malformed JSON at line 2, column 3: "));
}

TEST(parse_json_body, empty_or_blank_body_is_a_400) {
  for (const auto* body : {"", "  \r\n\t"}) {
    const auto result = parse_json_body(json_request(body));

    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(result.error->result(), beast_http::status::bad_request);
    EXPECT_EQ(detail_of(result), "request body is empty; expected a JSON document");
  }
}

TEST(parse_json_body, non_json_content_type_is_a_415) {
  const auto result = parse_json_body(json_request(R"({"a": 1})", "text/plain"));

  ASSERT_FALSE(result.value.has_value());
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->result(), beast_http::status::unsupported_media_type);
  EXPECT_EQ(header(*result.error, "Content-Type"), "application/problem+json");
  EXPECT_THAT(detail_of(result), HasSubstr("text/plain"));
}

TEST(parse_json_body, accepts_json_media_types_with_parameters_or_suffix_and_a_missing_content_type) {
  for (const auto* content_type :
       {"application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json", ""}) {
    SCOPED_TRACE(content_type);
    const auto result = parse_json_body(json_request(R"({"a": 1})", content_type));

    EXPECT_FALSE(result.error.has_value());
    EXPECT_TRUE(result.value.has_value());
  }
}

TEST(parse_json_body, rejects_media_types_that_only_look_like_json) {
  for (const auto* content_type : {"application/jsonx", "+json", "text/json-seq"}) {
    SCOPED_TRACE(content_type);
    const auto result = parse_json_body(json_request(R"({"a": 1})", content_type));

    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(result.error->result(), beast_http::status::unsupported_media_type);
  }
}

}  // namespace
}  // namespace lotse::http
