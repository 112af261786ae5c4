#include "tests/support/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <system_error>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace lotse::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

std::string lowercase(std::string_view text) {
  std::string out{text};
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string to_std(beast::string_view text) { return {text.data(), text.size()}; }

constexpr std::uint64_t max_response_body = 64 * 1024 * 1024;

}  // namespace

std::optional<std::string> http_reply::header(std::string_view name) const {
  const auto it = headers.find(lowercase(name));
  if (it == headers.end()) {
    return std::nullopt;
  }
  return it->second;
}

struct http_client::state {
  std::string host;
  unsigned short port;
  std::chrono::milliseconds timeout;
  // Operations are asynchronous and driven to completion one at a time, because tcp_stream only enforces its
  // deadline on asynchronous operations.
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  std::size_t connections = 0;

  template <class Initiate>
  error_code run(Initiate&& initiate) {
    error_code result = asio::error::would_block;
    std::forward<Initiate>(initiate)([&result](error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  void close() noexcept {
    if (stream) {
      error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->close();
      stream.reset();
    }
    buffer.clear();
  }

  void connect() {
    tcp::resolver resolver{ioc};
    error_code ec;
    const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec) {
      throw std::system_error(ec, "http_client: cannot resolve " + host);
    }
    stream.emplace(ioc);
    stream->expires_after(timeout);
    ec = run([&](auto handler) { stream->async_connect(endpoints, std::move(handler)); });
    if (ec) {
      close();
      throw std::system_error(ec, "http_client: cannot connect to " + host + ":" + std::to_string(port));
    }
    ++connections;
  }
};

http_client::http_client(std::string host, unsigned short port, std::chrono::milliseconds timeout)
    : state_{std::make_unique<state>()} {
  state_->host = std::move(host);
  state_->port = port;
  state_->timeout = timeout;
}

http_client::~http_client() {
  if (state_) {
    state_->close();
  }
}

http_client::http_client(http_client&&) noexcept = default;
http_client& http_client::operator=(http_client&&) noexcept = default;

http_reply http_client::request(beast_http::verb method, std::string target, std::string body,
                                std::map<std::string, std::string> headers) {
  auto& s = *state_;
  beast_http::request<beast_http::string_body> req{method, target, 11};
  req.set(beast_http::field::host, s.host + ":" + std::to_string(s.port));
  req.set(beast_http::field::user_agent, "lotse-test-client");
  for (const auto& [name, value] : headers) {
    req.set(name, value);
  }
  if (!body.empty() && req.find(beast_http::field::content_type) == req.end()) {
    req.set(beast_http::field::content_type, "application/json");
  }
  req.body() = std::move(body);
  req.prepare_payload();
  const auto what = to_std(beast_http::to_string(method)) + " " + target;

  for (int attempt = 0;; ++attempt) {
    const bool reused = s.stream.has_value();
    if (!reused) {
      s.connect();
    }

    s.stream->expires_after(s.timeout);
    const auto write_ec = s.run([&](auto handler) { beast_http::async_write(*s.stream, req, std::move(handler)); });

    // Read even when the write failed: a server may answer (413, 431) and close before taking the whole request.
    beast_http::response_parser<beast_http::string_body> parser;
    parser.body_limit(max_response_body);
    s.stream->expires_after(s.timeout);
    const auto read_ec =
        s.run([&](auto handler) { beast_http::async_read(*s.stream, s.buffer, parser, std::move(handler)); });

    if (read_ec) {
      s.close();
      // The server may close an idle keep-alive connection just as we reuse it; that request never reached it.
      const bool stale = reused && attempt == 0 && !parser.got_some() && read_ec != beast::error::timeout;
      if (stale) {
        continue;
      }
      const auto ec = write_ec && write_ec != beast::error::timeout ? write_ec : read_ec;
      throw std::system_error(ec, "http_client: " + what + " on " + s.host + ":" + std::to_string(s.port));
    }

    auto res = parser.release();
    http_reply reply;
    reply.status = res.result_int();
    for (const auto& field : res) {
      auto [it, inserted] = reply.headers.try_emplace(lowercase(to_std(field.name_string())), to_std(field.value()));
      if (!inserted) {
        it->second += ", " + to_std(field.value());
      }
    }
    reply.body = std::move(res.body());
    if (res.need_eof() || write_ec) {
      s.close();
    }
    return reply;
  }
}

std::size_t http_client::connections_opened() const noexcept { return state_->connections; }

bool http_client::connected() const noexcept { return state_->stream.has_value(); }

void http_client::disconnect() noexcept { state_->close(); }

}  // namespace lotse::test
