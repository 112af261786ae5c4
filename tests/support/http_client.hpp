#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/verb.hpp>

namespace lotse::test {

struct http_reply {
  unsigned status = 0;
  std::string body;
  // Field names are lowercased (HTTP field names are case-insensitive); repeated fields are joined with ", ".
  std::map<std::string, std::string, std::less<>> headers;

  // The value of field `name`, matched case-insensitively, or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

// A synchronous HTTP/1.1 client for tests. It keeps one keep-alive connection, opens it on first use and again
// after the server closed it, and bounds every connect, write and read by `timeout`. A request sent on a reused
// connection that the server had already closed (no response byte came back) is retried once on a new connection.
// Not thread-safe: use one client per thread.
class http_client {
 public:
  http_client(std::string host, unsigned short port, std::chrono::milliseconds timeout = std::chrono::seconds{10});
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;
  http_client(http_client&&) noexcept;
  http_client& operator=(http_client&&) noexcept;

  // Sends one request and returns the complete response. `headers` are added as given; when `body` is non-empty
  // and no Content-Type is given, Content-Type is application/json. Throws std::system_error when the server
  // cannot be reached, does not answer within the timeout, or sends something that is not HTTP.
  http_reply request(boost::beast::http::verb method, std::string target, std::string body = {},
                     std::map<std::string, std::string> headers = {});

  // How many TCP connections this client has opened; lets tests check that keep-alive reused one.
  std::size_t connections_opened() const noexcept;

  // Whether a connection is currently open (the server answered the last request without Connection: close).
  bool connected() const noexcept;

  void disconnect() noexcept;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace lotse::test
