#include "host/http/router.hpp"

#include <algorithm>
#include <exception>
#include <set>
#include <stdexcept>
#include <utility>

#include <boost/beast/http/field.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "host/http/logger.hpp"
#include "host/http/problem.hpp"

namespace lotse::http {

namespace beast_http = boost::beast::http;

namespace {

// Orders by shape: at the first position where one route has a literal and the other a parameter, the literal one
// comes first. Only routes with equally many segments ever compete for a path, so length needs no rule of its own.
template <class Segments>
bool more_specific(const Segments& a, const Segments& b) {
  const auto n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i].is_param != b[i].is_param) {
      return !a[i].is_param;
    }
  }
  return false;
}

template <class Segments>
bool same_shape(const Segments& a, const Segments& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.is_param == y.is_param && (x.is_param || x.text == y.text);
  });
}

std::string to_std(boost::beast::string_view text) { return {text.data(), text.size()}; }

}  // namespace

std::optional<std::string> request_context::query_value(std::string_view key) const {
  const auto it = query.find(boost::urls::string_view{key.data(), key.size()});
  if (it == query.end()) {
    return std::nullopt;
  }
  const auto param = *it;
  return param.has_value ? param.value : std::string{};
}

void router::on_exception(exception_mapper mapper) { exception_mappers_.push_back(std::move(mapper)); }

void router::add(beast_http::verb method, std::string pattern, handler h) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern '" + pattern + "' must start with '/'");
  }
  if (!h) {
    throw std::invalid_argument("route " + pattern + " has an empty handler");
  }

  std::vector<segment> segments;
  std::set<std::string, std::less<>> param_names;
  if (pattern != "/") {
    std::string_view rest{pattern};
    while (!rest.empty()) {
      rest.remove_prefix(1);  // the '/'
      const auto end = rest.find('/');
      const auto text = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
      if (text.empty()) {
        throw std::invalid_argument("route pattern '" + pattern + "' has an empty segment");
      }
      if (text.front() == '{' && text.back() == '}' && text.size() > 2) {
        auto name = text.substr(1, text.size() - 2);
        if (name.find_first_of("{}") != std::string_view::npos || !param_names.emplace(name).second) {
          throw std::invalid_argument("route pattern '" + pattern + "' has a bad or repeated parameter name");
        }
        segments.push_back({std::string{name}, true});
      } else if (text.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("route pattern '" + pattern + "': a parameter must be a whole segment");
      } else {
        segments.push_back({std::string{text}, false});
      }
    }
  }

  for (const auto& existing : routes_) {
    if (existing.method == method && same_shape(existing.segments, segments)) {
      throw std::invalid_argument("route " + to_std(beast_http::to_string(method)) + " " + pattern +
                                  " conflicts with " + existing.pattern);
    }
  }

  // upper_bound keeps registration order among equally specific routes.
  const auto position = std::upper_bound(routes_.begin(), routes_.end(), segments,
                                         [](const auto& new_segments, const route& r) {
                                           return more_specific(new_segments, r.segments);
                                         });
  routes_.insert(position, route{method, std::move(pattern), std::move(segments), std::move(h)});
}

response router::dispatch(const request& req, std::string request_id) const {
  auto finish = [&](response res) {
    res.version(req.version());
    res.set("X-Request-Id", request_id);
    return res;
  };

  const auto target = req.target();
  const auto parsed = boost::urls::parse_origin_form(boost::urls::string_view{target.data(), target.size()});
  if (parsed.has_error()) {
    return finish(problem(beast_http::status::bad_request, "Bad Request",
                          "the request target is not a valid origin-form URI"));
  }
  const boost::urls::url_view url = parsed.value();
  const std::string path = url.path();
  std::vector<std::string> path_segments;
  for (auto decoded : url.segments()) {
    path_segments.push_back(std::move(decoded));
  }

  std::set<beast_http::verb> allowed;
  for (const auto& candidate : routes_) {
    const bool matches = std::equal(
        candidate.segments.begin(), candidate.segments.end(), path_segments.begin(), path_segments.end(),
        [](const segment& s, const std::string& actual) { return s.is_param ? !actual.empty() : s.text == actual; });
    if (!matches) {
      continue;
    }
    if (candidate.method != req.method()) {
      allowed.insert(candidate.method);
      continue;
    }

    request_context context{.req = req,
                            .path = path,
                            .path_params = {},
                            .query = url.params(),
                            .request_id = request_id};
    for (std::size_t i = 0; i < candidate.segments.size(); ++i) {
      if (candidate.segments[i].is_param) {
        context.path_params.emplace(candidate.segments[i].text, path_segments[i]);
      }
    }
    try {
      return finish(candidate.handle(context));
    } catch (const std::exception& e) {
      for (const auto& mapper : exception_mappers_) {
        if (auto mapped = mapper(e)) {
          http_logger()->warn("handler for {} {} answered {} id={}: {}", to_std(req.method_string()), path,
                              mapped->result_int(), request_id, e.what());
          return finish(std::move(*mapped));
        }
      }
      http_logger()->error("handler for {} {} failed id={}: {}", to_std(req.method_string()), path, request_id,
                           e.what());
    } catch (...) {
      http_logger()->error("handler for {} {} failed id={}: non-standard exception", to_std(req.method_string()),
                           path, request_id);
    }
    return finish(problem(beast_http::status::internal_server_error, "Internal Server Error",
                          "the server failed to complete the request; quote request id " + request_id +
                              " when reporting it"));
  }

  if (!allowed.empty()) {
    std::string allow;
    for (const auto method : allowed) {
      allow += (allow.empty() ? "" : ", ") + to_std(beast_http::to_string(method));
    }
    auto res = problem(beast_http::status::method_not_allowed, "Method Not Allowed",
                       "method " + to_std(req.method_string()) + " is not allowed for " + path + "; allowed: " + allow);
    res.set(beast_http::field::allow, allow);
    return finish(std::move(res));
  }
  return finish(problem(beast_http::status::not_found, "Not Found", "no resource at " + path));
}

}  // namespace lotse::http
