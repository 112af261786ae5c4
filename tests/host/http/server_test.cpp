#include "host/http/server.hpp"

#include <chrono>
#include <cstdio>
#include <functional>
#include <csignal>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/field.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "host/http/problem.hpp"
#include "tests/host/http/log_capture.hpp"
#include "tests/support/http_client.hpp"

namespace lotse::http {
namespace {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;
using test::http_client;
using clock_type = std::chrono::steady_clock;

response text(std::string body) {
  response res{beast_http::status::ok, 11};
  res.set(beast_http::field::content_type, "text/plain");
  res.body() = std::move(body);
  return res;
}

// Starts a server on an ephemeral port and runs it on a background thread; stops it on destruction.
class running_server {
 public:
  running_server(server_options options, const router& routes, const std::function<void(server&)>& before_run = {})
      : server_{with_ephemeral_port(options), routes} {
    port_ = server_.listen();
    if (before_run) {
      before_run(server_);
    }
    thread_ = std::thread([this] {
      server_.run();
      finished_.set_value();
    });
  }
  ~running_server() {
    server_.request_stop();
    thread_.join();
  }
  running_server(const running_server&) = delete;
  running_server& operator=(const running_server&) = delete;

  unsigned short port() const { return port_; }
  server& get() { return server_; }
  bool finished_within(std::chrono::milliseconds timeout) {
    return finished_future_.wait_for(timeout) == std::future_status::ready;
  }

 private:
  static server_options with_ephemeral_port(server_options options) {
    options.port = 0;
    return options;
  }

  server server_;
  unsigned short port_ = 0;
  std::promise<void> finished_;
  std::future<void> finished_future_ = finished_.get_future();
  std::thread thread_;
};

// A bare TCP connection for what the HTTP client deliberately hides: silence, raw bytes and the server closing.
// Every wait is bounded so a broken server fails the test instead of hanging it.
class raw_connection {
 public:
  explicit raw_connection(unsigned short port) : socket_{ioc_} {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
  }

  void send(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }

  // Reads until `needle` has arrived; returns everything read so far, or nullopt on timeout or close before it.
  std::optional<std::string> read_until(std::string_view needle, std::chrono::milliseconds timeout) {
    const auto deadline = clock_type::now() + timeout;
    while (received_.find(needle) == std::string::npos) {
      if (!read_some(deadline)) {
        return std::nullopt;
      }
    }
    return received_;
  }

  // Reads until the server closes the connection; true if it did within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = clock_type::now() + timeout;
    while (read_some(deadline)) {
    }
    return closed_;
  }

  const std::string& received() const { return received_; }

 private:
  bool read_some(clock_type::time_point deadline) {
    if (closed_) {
      return false;
    }
    std::array<char, 4096> chunk{};
    boost::system::error_code result = asio::error::would_block;
    std::size_t bytes = 0;
    socket_.async_read_some(asio::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
      result = ec;
      bytes = n;
    });
    ioc_.restart();
    ioc_.run_until(deadline);
    if (result == asio::error::would_block) {
      socket_.cancel();
      ioc_.restart();
      ioc_.run();
      return false;
    }
    received_.append(chunk.data(), bytes);
    if (result) {
      closed_ = true;  // EOF or reset: either way the server is done with us
      return false;
    }
    return true;
  }

  asio::io_context ioc_;
  asio::ip::tcp::socket socket_;
  std::string received_;
  bool closed_ = false;
};

router test_routes() {
  router routes;
  routes.add(beast_http::verb::get, "/hello", [](request_context&) { return text("hello"); });
  routes.add(beast_http::verb::post, "/echo", [](request_context& ctx) { return text(ctx.req.body()); });
  return routes;
}

TEST(server, keep_alive_serves_two_requests_on_one_connection) {
  const auto routes = test_routes();
  running_server srv{{}, routes};
  http_client client{"127.0.0.1", srv.port()};

  const auto first = client.request(beast_http::verb::get, "/hello");
  const auto second = client.request(beast_http::verb::post, "/echo", "ping");

  EXPECT_EQ(first.status, 200U);
  EXPECT_EQ(first.body, "hello");
  EXPECT_EQ(first.header("Server"), "lotse");
  EXPECT_EQ(second.status, 200U);
  EXPECT_EQ(second.body, "ping");
  EXPECT_EQ(client.connections_opened(), 1U);
  EXPECT_TRUE(client.connected());
}

TEST(server, unknown_route_is_a_404_problem_over_the_wire) {
  const auto routes = test_routes();
  running_server srv{{}, routes};
  http_client client{"127.0.0.1", srv.port()};

  const auto reply = client.request(beast_http::verb::get, "/nope");

  EXPECT_EQ(reply.status, 404U);
  EXPECT_EQ(reply.header("content-type"), "application/problem+json");
  EXPECT_TRUE(client.connected());  // an error response does not cost the connection
}

TEST(server, body_over_limit_gets_413_problem_and_the_connection_closes) {
  const auto routes = test_routes();
  server_options options;
  options.body_limit = 1024;
  running_server srv{options, routes};
  http_client client{"127.0.0.1", srv.port()};

  const auto within = client.request(beast_http::verb::post, "/echo", std::string(1024, 'a'));
  const auto over = client.request(beast_http::verb::post, "/echo", std::string(4096, 'a'));

  EXPECT_EQ(within.status, 200U);
  EXPECT_EQ(within.body.size(), 1024U);
  EXPECT_EQ(over.status, 413U);
  EXPECT_EQ(over.header("content-type"), "application/problem+json");
  EXPECT_EQ(over.header("connection"), "close");
  EXPECT_THAT(over.body, HasSubstr("1024 bytes"));
  EXPECT_FALSE(client.connected());
}

TEST(server, a_client_can_finish_sending_an_oversized_body_and_then_read_the_413) {
  const auto routes = test_routes();
  server_options options;
  options.body_limit = 1024;
  running_server srv{options, routes};
  raw_connection raw{srv.port()};
  const std::size_t body_size = 8 * 1024 * 1024;

  // Closing straight after the 413 would reset the connection while the client is still sending; clients such as
  // curl then report the reset instead of the response.
  raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body_size) + "\r\n\r\n");
  EXPECT_NO_THROW(raw.send(std::string(body_size, 'a')));

  ASSERT_TRUE(raw.wait_closed(5s));
  EXPECT_THAT(raw.received(), StartsWith("HTTP/1.1 413 Payload Too Large\r\n"));
}

TEST(server, the_client_gets_a_413_for_a_much_larger_body_too) {
  const auto routes = test_routes();
  server_options options;
  options.body_limit = 1024;
  running_server srv{options, routes};
  http_client client{"127.0.0.1", srv.port()};

  const auto reply = client.request(beast_http::verb::post, "/echo", std::string(8 * 1024 * 1024, 'a'));

  EXPECT_EQ(reply.status, 413U);
}

// /upload has a limit of its own above the default (like plugin uploads), /small one below it.
router routes_with_body_limits() {
  router routes = test_routes();
  routes.add(beast_http::verb::post, "/upload",
             [](request_context& ctx) { return text(std::to_string(ctx.req.body().size())); });
  routes.add(beast_http::verb::post, "/small", [](request_context& ctx) { return text(ctx.req.body()); });
  return routes;
}

server_options options_with_body_limits() {
  server_options options;
  options.body_limit = 1024;
  options.body_limits = {{.method = beast_http::verb::post, .path = "/upload", .limit = 8192},
                         {.method = beast_http::verb::post, .path = "/upload", .limit = 2048},  // shadowed
                         {.method = beast_http::verb::post, .path = "/small", .limit = 100}};
  return options;
}

// Chunks of 1000 bytes, so no single chunk is over any limit and only the running total can be.
std::string chunked_request(const std::string& target, std::size_t body_size) {
  std::string request = "POST " + target + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (std::size_t sent = 0; sent < body_size;) {
    const std::size_t chunk = std::min<std::size_t>(1000, body_size - sent);
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk);
    request += size_line + std::string(chunk, 'c') + "\r\n";
    sent += chunk;
  }
  return request + "0\r\n\r\n";
}

TEST(server, a_route_with_its_own_body_limit_accepts_bodies_up_to_it) {
  const auto routes = routes_with_body_limits();
  running_server srv{options_with_body_limits(), routes};
  http_client client{"127.0.0.1", srv.port()};

  const auto above_default = client.request(beast_http::verb::post, "/upload", std::string(4096, 'a'));
  const auto at_limit = client.request(beast_http::verb::post, "/upload", std::string(8192, 'a'));

  EXPECT_EQ(above_default.status, 200U);
  EXPECT_EQ(above_default.body, "4096");
  EXPECT_EQ(at_limit.status, 200U);  // the first matching rule wins over the later, smaller one
  EXPECT_EQ(at_limit.body, "8192");
  EXPECT_TRUE(client.connected());
}

TEST(server, a_route_with_its_own_body_limit_refuses_a_body_over_it_with_that_limit) {
  const auto routes = routes_with_body_limits();
  running_server srv{options_with_body_limits(), routes};
  http_client client{"127.0.0.1", srv.port()};

  const auto just_over = client.request(beast_http::verb::post, "/upload", std::string(8193, 'a'));
  const auto far_over = client.request(beast_http::verb::post, "/upload", std::string(64 * 1024, 'a'));
  const auto small_route = client.request(beast_http::verb::post, "/small", std::string(101, 'a'));
  const auto small_within = client.request(beast_http::verb::post, "/small", std::string(100, 'a'));

  EXPECT_EQ(just_over.status, 413U);
  EXPECT_EQ(just_over.header("connection"), "close");
  EXPECT_EQ(just_over.header("content-type"), "application/problem+json");
  EXPECT_THAT(just_over.body, HasSubstr("the request body exceeds the limit of 8192 bytes"));
  EXPECT_EQ(far_over.status, 413U);
  EXPECT_THAT(far_over.body, HasSubstr("the request body exceeds the limit of 8192 bytes"));
  EXPECT_EQ(small_route.status, 413U);  // a rule may also be stricter than the default
  EXPECT_THAT(small_route.body, HasSubstr("the request body exceeds the limit of 100 bytes"));
  EXPECT_EQ(small_within.status, 200U);
}

TEST(server, other_routes_keep_the_default_body_limit_when_rules_allow_more_elsewhere) {
  const auto routes = routes_with_body_limits();
  running_server srv{options_with_body_limits(), routes};
  http_client client{"127.0.0.1", srv.port()};

  const auto within = client.request(beast_http::verb::post, "/echo", std::string(1024, 'a'));
  // Below the largest rule's limit, so only the route's own limit can refuse these.
  const auto other_path = client.request(beast_http::verb::post, "/echo", std::string(4096, 'a'));
  const auto other_method = client.request(beast_http::verb::put, "/upload", std::string(4096, 'a'));
  const auto longer_path = client.request(beast_http::verb::post, "/upload/x", std::string(4096, 'a'));
  const auto far_over = client.request(beast_http::verb::post, "/echo", std::string(64 * 1024, 'a'));

  EXPECT_EQ(within.status, 200U);
  for (const auto* reply : {&other_path, &other_method, &longer_path, &far_over}) {
    EXPECT_EQ(reply->status, 413U);
    EXPECT_THAT(reply->body, HasSubstr("the request body exceeds the limit of 1024 bytes"));
    EXPECT_EQ(reply->header("connection"), "close");
  }
}

TEST(server, a_query_string_does_not_keep_a_route_from_its_body_limit) {
  const auto routes = routes_with_body_limits();
  running_server srv{options_with_body_limits(), routes};
  http_client client{"127.0.0.1", srv.port()};

  const auto accepted = client.request(beast_http::verb::post, "/upload?name=plugin.so", std::string(4096, 'a'));
  const auto refused = client.request(beast_http::verb::post, "/upload?name=plugin.so", std::string(8193, 'a'));
  const auto small = client.request(beast_http::verb::post, "/small?x=1", std::string(101, 'a'));

  EXPECT_EQ(accepted.status, 200U);
  EXPECT_EQ(accepted.body, "4096");
  EXPECT_EQ(refused.status, 413U);
  EXPECT_THAT(refused.body, HasSubstr("8192 bytes"));
  EXPECT_EQ(small.status, 413U);
  EXPECT_THAT(small.body, HasSubstr("100 bytes"));
}

TEST(server, chunked_bodies_are_held_to_their_routes_limit) {
  const auto routes = routes_with_body_limits();
  running_server srv{options_with_body_limits(), routes};

  raw_connection within{srv.port()};
  within.send(chunked_request("/upload", 8192));
  const auto accepted = within.read_until("\r\n\r\n8192", 5s);
  ASSERT_TRUE(accepted.has_value()) << within.received();
  EXPECT_THAT(*accepted, StartsWith("HTTP/1.1 200 OK\r\n"));

  raw_connection over{srv.port()};
  over.send(chunked_request("/upload", 8193));
  ASSERT_TRUE(over.wait_closed(5s));
  EXPECT_THAT(over.received(), StartsWith("HTTP/1.1 413 Payload Too Large\r\n"));
  EXPECT_THAT(over.received(), HasSubstr("the request body exceeds the limit of 8192 bytes"));

  // Under the largest limit the parser starts with, so only the route's own limit refuses it.
  raw_connection other_route{srv.port()};
  other_route.send(chunked_request("/echo", 4096));
  ASSERT_TRUE(other_route.wait_closed(5s));
  EXPECT_THAT(other_route.received(), StartsWith("HTTP/1.1 413 Payload Too Large\r\n"));
  EXPECT_THAT(other_route.received(), HasSubstr("the request body exceeds the limit of 1024 bytes"));
}

TEST(server, a_413_before_the_body_closes_the_connection_so_the_body_is_never_read_as_a_request) {
  const auto routes = routes_with_body_limits();
  running_server srv{options_with_body_limits(), routes};
  raw_connection raw{srv.port()};
  // A body made of requests: were the connection kept after the 413, the server would answer them.
  const std::string smuggled = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string body;
  while (body.size() + smuggled.size() <= 4096) {
    body += smuggled;
  }

  raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);

  ASSERT_TRUE(raw.wait_closed(5s));
  EXPECT_THAT(raw.received(), StartsWith("HTTP/1.1 413 Payload Too Large\r\n"));
  EXPECT_THAT(raw.received(), HasSubstr("1024 bytes"));
  EXPECT_THAT(raw.received(), ::testing::Not(HasSubstr("200 OK")));
  EXPECT_EQ(raw.received().find("HTTP/1.1"), raw.received().rfind("HTTP/1.1"));  // exactly one response
}

TEST(server, a_413_for_expect_100_continue_comes_without_the_client_sending_the_body) {
  const auto routes = routes_with_body_limits();
  running_server srv{options_with_body_limits(), routes};

  // Over the route's limit but under the largest rule's (refused after the header), and over every limit (refused
  // while parsing the header).
  for (const auto& [target, length, limit] : {std::tuple{"/echo", 4096, 1024}, std::tuple{"/upload", 8193, 8192},
                                               std::tuple{"/echo", 1 << 20, 1024}}) {
    SCOPED_TRACE(std::string(target) + " " + std::to_string(length));
    raw_connection raw{srv.port()};
    raw.send(std::string("POST ") + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(length) +
             "\r\nExpect: 100-continue\r\n\r\n");

    // The body is never sent, so the connection can only close because the server is done with it.
    ASSERT_TRUE(raw.wait_closed(3s)) << raw.received();
    EXPECT_THAT(raw.received(), StartsWith("HTTP/1.1 413 Payload Too Large\r\n"));
    EXPECT_THAT(raw.received(), ::testing::Not(HasSubstr("100 Continue")));
    EXPECT_THAT(raw.received(), HasSubstr("the request body exceeds the limit of " + std::to_string(limit) + " bytes"));
  }
}

TEST(server, expect_100_continue_within_a_routes_own_limit_gets_the_continue) {
  const auto routes = routes_with_body_limits();
  running_server srv{options_with_body_limits(), routes};
  raw_connection raw{srv.port()};

  raw.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\nExpect: 100-continue\r\n\r\n");
  ASSERT_TRUE(raw.read_until("\r\n\r\n", 5s).has_value());
  EXPECT_THAT(raw.received(), StartsWith("HTTP/1.1 100 Continue\r\n\r\n"));
  raw.send(std::string(4096, 'a'));

  const auto all = raw.read_until("\r\n\r\n4096", 5s);
  ASSERT_TRUE(all.has_value()) << raw.received();
  EXPECT_THAT(*all, HasSubstr("HTTP/1.1 200 OK\r\n"));
}

TEST(server, header_over_limit_gets_431) {
  const auto routes = test_routes();
  server_options options;
  options.header_limit = 1024;
  running_server srv{options, routes};
  http_client client{"127.0.0.1", srv.port()};

  const auto reply = client.request(beast_http::verb::get, "/hello", {}, {{"X-Padding", std::string(4096, 'p')}});

  EXPECT_EQ(reply.status, 431U);
  EXPECT_EQ(reply.header("content-type"), "application/problem+json");
}

TEST(server, malformed_request_gets_400_and_close) {
  const auto routes = test_routes();
  running_server srv{{}, routes};
  raw_connection raw{srv.port()};

  raw.send("GET /hello HTTP/9\r\nHost: x\r\n\r\n");

  ASSERT_TRUE(raw.wait_closed(5s));
  EXPECT_THAT(raw.received(), StartsWith("HTTP/1.1 400 Bad Request\r\n"));
  EXPECT_THAT(raw.received(), HasSubstr("application/problem+json"));
}

TEST(server, expect_100_continue_is_answered_before_the_body) {
  const auto routes = test_routes();
  running_server srv{{}, routes};
  raw_connection raw{srv.port()};

  raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  ASSERT_TRUE(raw.read_until("\r\n\r\n", 5s).has_value());
  EXPECT_THAT(raw.received(), StartsWith("HTTP/1.1 100 Continue\r\n\r\n"));
  raw.send("hallo");

  const auto all = raw.read_until("\r\n\r\nhallo", 5s);
  ASSERT_TRUE(all.has_value());
  EXPECT_THAT(*all, HasSubstr("HTTP/1.1 200 OK\r\n"));
}

TEST(server, request_id_is_echoed_when_acceptable_and_generated_otherwise) {
  const auto routes = test_routes();
  running_server srv{{}, routes};
  http_client client{"127.0.0.1", srv.port()};

  const auto echoed = client.request(beast_http::verb::get, "/hello", {}, {{"X-Request-Id", "client-id-42"}});
  const auto replaced = client.request(beast_http::verb::get, "/hello", {}, {{"X-Request-Id", "has a space"}});
  const auto missing = client.request(beast_http::verb::get, "/hello");
  const auto on_error = client.request(beast_http::verb::get, "/nope", {}, {{"X-Request-Id", "err-7"}});

  EXPECT_EQ(echoed.header("x-request-id"), "client-id-42");
  EXPECT_THAT(replaced.header("x-request-id").value_or(""), MatchesRegex("[0-9a-f]{16}"));
  EXPECT_THAT(missing.header("x-request-id").value_or(""), MatchesRegex("[0-9a-f]{16}"));
  EXPECT_NE(replaced.header("x-request-id"), missing.header("x-request-id"));
  EXPECT_EQ(on_error.header("x-request-id"), "err-7");
}

TEST(server, logs_one_access_line_per_request) {
  test::http_log_capture log;
  const auto routes = test_routes();
  {
    running_server srv{{}, routes};
    http_client client{"127.0.0.1", srv.port()};
    client.request(beast_http::verb::get, "/hello?secret=1", {}, {{"X-Request-Id", "log-id-1"}});
    client.request(beast_http::verb::get, "/nope", {}, {{"X-Request-Id", "log-id-2"}});
  }

  const auto lines = log.lines();
  EXPECT_THAT(lines, Contains(MatchesRegex("GET /hello 200 [0-9]+\\.[0-9]{2}ms id=log-id-1")));
  EXPECT_THAT(lines, Contains(MatchesRegex("GET /nope 404 [0-9]+\\.[0-9]{2}ms id=log-id-2")));
  EXPECT_THAT(log.text(), ::testing::Not(HasSubstr("secret")));
}

TEST(server, silent_or_slow_clients_are_disconnected_after_the_read_timeout) {
  const auto routes = test_routes();
  server_options options;
  options.read_timeout = 1s;
  options.idle_timeout = 3s;
  running_server srv{options, routes};
  raw_connection silent{srv.port()};
  raw_connection slow{srv.port()};

  const auto start = clock_type::now();
  slow.send("GET /hello HTTP/1.1\r\n");  // and never the rest
  const bool silent_closed = silent.wait_closed(5s);
  const auto silent_after = clock_type::now() - start;
  const bool slow_closed = slow.wait_closed(5s);
  const auto slow_after = clock_type::now() - start;

  EXPECT_TRUE(silent_closed);
  EXPECT_GE(silent_after, 900ms);
  EXPECT_LT(silent_after, 2500ms);
  EXPECT_TRUE(slow_closed);
  EXPECT_LT(slow_after, 2500ms);
  EXPECT_EQ(slow.received(), "");  // a client that is too slow gets no response, just the close
}

TEST(server, idle_keep_alive_connection_is_closed_after_the_idle_timeout) {
  const auto routes = test_routes();
  server_options options;
  options.read_timeout = 1s;
  options.idle_timeout = 2s;
  running_server srv{options, routes};
  raw_connection raw{srv.port()};

  raw.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(raw.read_until("\r\n\r\nhello", 5s).has_value());
  const auto answered = clock_type::now();
  const bool closed = raw.wait_closed(6s);
  const auto idle_for = clock_type::now() - answered;

  EXPECT_TRUE(closed);
  EXPECT_GE(idle_for, 1800ms);  // the idle timeout, not the shorter read timeout
  EXPECT_LT(idle_for, 4s);
}

TEST(server, stop_lets_an_in_flight_request_finish_closes_idle_connections_and_run_returns) {
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  router routes = test_routes();
  routes.add(beast_http::verb::get, "/slow", [&](request_context&) {
    entered.set_value();
    if (released.wait_for(10s) != std::future_status::ready) {
      throw std::runtime_error("test never released the slow handler");
    }
    return text("slow done");
  });
  server_options options;
  options.threads = 2;
  options.idle_timeout = 60s;
  running_server srv{options, routes};

  raw_connection idle{srv.port()};
  idle.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(idle.read_until("\r\n\r\nhello", 5s).has_value());
  auto slow_reply = std::async(std::launch::async, [port = srv.port()] {
    http_client client{"127.0.0.1", port};
    return client.request(beast_http::verb::get, "/slow");
  });
  ASSERT_EQ(entered.get_future().wait_for(5s), std::future_status::ready);

  srv.get().request_stop();
  srv.get().request_stop();  // idempotent

  EXPECT_TRUE(idle.wait_closed(2s));
  EXPECT_THROW(raw_connection{srv.port()}, boost::system::system_error);  // no longer accepting
  EXPECT_FALSE(srv.finished_within(200ms));  // still draining the slow request
  release.set_value();

  const auto reply = slow_reply.get();
  EXPECT_EQ(reply.status, 200U);
  EXPECT_EQ(reply.body, "slow done");
  EXPECT_EQ(reply.header("connection"), "close");
  EXPECT_TRUE(srv.finished_within(2s));
}

TEST(server, stop_waits_for_a_request_being_read_but_no_longer_than_the_grace_period) {
  const auto routes = test_routes();
  server_options options;
  options.read_timeout = 30s;
  options.shutdown_grace = 1s;
  running_server srv{options, routes};
  raw_connection half_sent{srv.port()};
  half_sent.send("GET /hello HTTP/1.1\r\n");  // a request in progress, which a stop does not cut off
  std::this_thread::sleep_for(200ms);         // let the server start reading it

  const auto start = clock_type::now();
  srv.get().request_stop();

  EXPECT_TRUE(srv.finished_within(3s));
  EXPECT_GE(clock_type::now() - start, 900ms);
}

TEST(server, stop_requested_before_run_makes_run_return_at_once) {
  const auto routes = test_routes();
  server srv{{.port = 0}, routes};
  srv.listen();
  srv.request_stop();

  auto ran = std::async(std::launch::async, [&] { srv.run(); });

  EXPECT_EQ(ran.wait_for(2s), std::future_status::ready);
}

TEST(server, sigterm_stops_the_server_and_a_second_one_cuts_the_drain_short) {
  const auto routes = test_routes();
  server_options options;
  options.shutdown_grace = 30s;
  running_server srv{options, routes, [](server& s) { s.stop_on_signals(); }};
  raw_connection half_sent{srv.port()};
  half_sent.send("GET /hello HTTP/1.1\r\n");
  std::this_thread::sleep_for(200ms);

  ASSERT_EQ(std::raise(SIGTERM), 0);
  EXPECT_FALSE(srv.finished_within(300ms));  // the first signal drains, waiting for the half-sent request
  const auto second = clock_type::now();
  ASSERT_EQ(std::raise(SIGTERM), 0);

  EXPECT_TRUE(srv.finished_within(3s));
  EXPECT_LT(clock_type::now() - second, 3s);
}

TEST(server, stop_after_the_clients_left_returns_promptly) {
  const auto routes = test_routes();
  running_server srv{{}, routes};
  http_client client{"127.0.0.1", srv.port()};
  ASSERT_EQ(client.request(beast_http::verb::get, "/hello").status, 200U);
  client.disconnect();

  srv.get().request_stop();

  EXPECT_TRUE(srv.finished_within(2s));
}

TEST(server, listen_reports_an_address_in_use) {
  const auto routes = test_routes();
  running_server first{{}, routes};
  server_options options;
  options.port = first.port();
  server second{options, routes};

  try {
    second.listen();
    FAIL() << "listen() on a port in use succeeded";
  } catch (const std::system_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("127.0.0.1:" + std::to_string(first.port())));
  }
}

TEST(server, listen_rejects_an_invalid_bind_address) {
  const auto routes = test_routes();
  server_options options;
  options.bind_address = "not-an-address";
  server srv{options, routes};

  EXPECT_THROW(srv.listen(), std::system_error);
}

}  // namespace
}  // namespace lotse::http
