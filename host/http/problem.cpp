#include "host/http/problem.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>

namespace lotse::http {

namespace beast_http = boost::beast::http;

namespace {

response make_response(beast_http::status status, std::string_view content_type, std::string body) {
  response res{status, 11};
  res.set(beast_http::field::content_type, content_type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

std::string lowercase(std::string_view text) {
  std::string out{text};
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

bool is_json_media_type(std::string_view content_type) {
  // Parameters such as "; charset=utf-8" do not change the media type.
  const auto media_type = lowercase(trim(content_type.substr(0, content_type.find(';'))));
  constexpr std::string_view suffix = "+json";
  return media_type == "application/json" ||
         (media_type.size() > suffix.size() && media_type.ends_with(suffix) && media_type.find('/') != std::string::npos);
}

struct text_position {
  std::size_t line;
  std::size_t column;
};

text_position position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const auto before = text.substr(0, offset);
  const auto line = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')) + 1;
  const auto line_start = before.rfind('\n');
  const auto column = line_start == std::string_view::npos ? offset + 1 : offset - line_start;
  return {line, column};
}

response malformed_json(std::string_view body, std::size_t offset, const boost::system::error_code& ec) {
  const auto [line, column] = position_of(body, offset);
  const auto detail =
      "malformed JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + ec.message();
  return problem(beast_http::status::bad_request, "Malformed JSON", detail,
                 {{"line", line}, {"column", column}});
}

}  // namespace

response problem(beast_http::status status, std::string_view title, std::string_view detail,
                 boost::json::object extra) {
  boost::json::object body;
  body["type"] = "about:blank";
  body["title"] = title;
  body["status"] = static_cast<unsigned>(status);
  body["detail"] = detail;
  for (auto& member : extra) {
    const auto key = member.key();
    if (key == "title" || key == "status" || key == "detail") {
      continue;
    }
    body[key] = std::move(member.value());
  }
  return make_response(status, "application/problem+json", boost::json::serialize(body));
}

response json_response(beast_http::status status, const boost::json::value& body) {
  return make_response(status, "application/json", boost::json::serialize(body));
}

json_body_result parse_json_body(const request& req) {
  if (const auto content_type = req.find(beast_http::field::content_type); content_type != req.end()) {
    const std::string_view value{content_type->value().data(), content_type->value().size()};
    if (!is_json_media_type(value)) {
      return {.value = std::nullopt,
              .error = problem(beast_http::status::unsupported_media_type, "Unsupported Media Type",
                               "Content-Type '" + std::string{value} +
                                   "' is not accepted; send application/json")};
    }
  }

  const std::string_view body = req.body();
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return {.value = std::nullopt,
            .error = problem(beast_http::status::bad_request, "Empty body",
                             "request body is empty; expected a JSON document")};
  }

  boost::json::stream_parser parser;
  boost::system::error_code ec;
  // On failure write() reports how far it got, which is what lets the detail point at the broken spot.
  const auto consumed = parser.write(body.data(), body.size(), ec);
  if (ec) {
    return {.value = std::nullopt, .error = malformed_json(body, consumed, ec)};
  }
  parser.finish(ec);
  if (ec) {
    return {.value = std::nullopt, .error = malformed_json(body, body.size(), ec)};
  }
  return {.value = parser.release(), .error = std::nullopt};
}

}  // namespace lotse::http
