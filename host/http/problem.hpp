#pragma once

#include <optional>
#include <string_view>

#include <boost/beast/http/status.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "host/http/message.hpp"

namespace lotse::http {

// An RFC 9457 application/problem+json response with members type ("about:blank" unless `extra` carries a
// "type"), title, status and detail, followed by the members of `extra` (e.g. "errors", "instance").
// `extra` cannot override title, status or detail: the body must agree with the arguments and the status line.
response problem(boost::beast::http::status status, std::string_view title, std::string_view detail,
                 boost::json::object extra = {});

// An application/json response carrying `body` serialized.
response json_response(boost::beast::http::status status, const boost::json::value& body);

// Exactly one member is set: the parsed document, or the problem response to send back instead.
struct json_body_result {
  std::optional<boost::json::value> value;
  std::optional<response> error;
};

// Parses a request body as one JSON document. Refuses with 415 a Content-Type that is present but neither
// application/json nor a +json type, with 400 an empty body, and with 400 malformed JSON, naming the line and
// column (1-based, column counted in bytes) where parsing broke.
json_body_result parse_json_body(const request& req);

}  // namespace lotse::http
