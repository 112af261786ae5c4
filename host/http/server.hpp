#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "host/http/router.hpp"

namespace lotse::http {

namespace detail {
class server_state;
}

// A body limit for one route that needs another than server_options::body_limit (plugin uploads are far larger than
// any JSON document). `path` is compared byte for byte with the request target's path (the part before '?'), not
// percent-decoded, so a client that spells the path differently (%2F, a trailing slash) is held to body_limit.
struct body_limit_rule {
  boost::beast::http::verb method;
  std::string path;
  std::size_t limit;
};

struct server_options {
  std::string bind_address = "127.0.0.1";
  unsigned short port = 8080;  // 0 = an ephemeral port, reported by server::listen()
  unsigned threads = 2;        // 0 is treated as 1
  std::size_t header_limit = 16 * 1024;  // larger headers get 431
  std::size_t body_limit = 1024 * 1024;  // larger bodies get 413
  // Routes with their own body limit; the first rule matching a request's method and path replaces body_limit.
  std::vector<body_limit_rule> body_limits{};
  // read_timeout bounds reading each request (and waiting for the first one on a new connection); idle_timeout
  // bounds the wait for the next request on a keep-alive connection; write_timeout bounds writing each response.
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds idle_timeout{60};
  // How long a graceful stop waits for in-flight requests before abandoning them.
  std::chrono::seconds shutdown_grace{10};
};

// An HTTP/1.1 server (keep-alive, no pipelining guarantees) that hands each complete request to a router.
// Handlers run on the server's threads, one request per connection at a time.
class server {
 public:
  // `routes` is used by reference and must outlive the server; do not add routes once run() has started.
  server(server_options options, const router& routes);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and listens; returns the actual port (useful with port 0). Throws std::system_error naming the address
  // when the address is invalid or cannot be bound. Calling it again returns the same port.
  unsigned short listen();

  // Serves on `threads` threads (the caller's included) until request_stop(), then drains: the listener closes,
  // idle keep-alive connections are closed, in-flight requests complete and are answered with Connection: close.
  // Returns when all connections are gone, or after shutdown_grace at the latest; connections abandoned then are
  // closed when the server is destroyed. Calls listen() if needed. Call at most once.
  void run();

  // Thread-safe and idempotent; may be called before run() (run() then drains at once) or from a handler.
  void request_stop();

  // SIGINT and SIGTERM call request_stop(); a second one while draining stops at once, like the grace expiring.
  // Call before run(). Once run() is done the signals get their default dispositions back.
  void stop_on_signals();

 private:
  std::unique_ptr<detail::server_state> state_;
};

}  // namespace lotse::http
