#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/beast/http/verb.hpp>
#include <boost/url/params_view.hpp>

#include "host/http/message.hpp"

namespace lotse::http {

// What a handler sees of one request. Everything in it (including `path` and `query`) is valid only for the
// duration of the handler call.
struct request_context {
  const request& req;
  std::string_view path;  // percent-decoded, without the query
  std::unordered_map<std::string, std::string> path_params;  // "{id}" in the pattern -> decoded segment
  boost::urls::params_view query;  // decoded view of the query string
  std::string request_id;

  // The first value of query parameter `key` (decoded), or nullopt when the key is absent. A key given without
  // '=' yields an empty string.
  std::optional<std::string> query_value(std::string_view key) const;
};

using handler = std::function<response(request_context&)>;

// Turns an exception a handler threw into a response, or returns nullopt to leave it to the next mapper (and
// finally to the 500 answer). Lets a layer above HTTP say, for instance, that an unreachable database is a 503.
using exception_mapper = std::function<std::optional<response>(const std::exception&)>;

// Maps (method, path pattern) to handlers. Patterns are literal segments and "{name}" parameters, each a whole
// segment: "/api/v1/solutions/{id}". A parameter matches exactly one non-empty segment; where several patterns
// match a path, literal segments win over parameters, compared left to right.
// add() is not synchronised with dispatch(): register every route before the server starts.
class router {
 public:
  // Throws std::invalid_argument for a malformed pattern or a (method, pattern shape) registered twice; both are
  // programming errors found at startup.
  void add(boost::beast::http::verb method, std::string pattern, handler h);

  // Mappers are asked in the order they were added. Like add(), only before the server starts.
  void on_exception(exception_mapper mapper);

  // Never throws for anything a client can send: a malformed target gives 400, an unknown path 404, a known path
  // with another method 405 (with Allow), and a handler that throws 500 (the exception text goes to the log, not to
  // the client). Every response carries X-Request-Id.
  response dispatch(const request& req, std::string request_id) const;

 private:
  struct segment {
    std::string text;  // the literal, or the parameter name
    bool is_param = false;
  };
  struct route {
    boost::beast::http::verb method;
    std::string pattern;
    std::vector<segment> segments;
    handler handle;
  };

  std::vector<route> routes_;  // ordered most specific first
  std::vector<exception_mapper> exception_mappers_;
};

}  // namespace lotse::http
