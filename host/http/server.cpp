#include "host/http/server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "host/http/logger.hpp"
#include "host/http/problem.hpp"
#include "host/http/request_id.hpp"

namespace lotse::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

class session;

std::string to_std(beast::string_view text) { return {text.data(), text.size()}; }

// After an error response the client may still be sending the body we refused. Closing with unread data makes
// the kernel send RST, which can destroy our response before the client reads it, so we read and discard for a
// while first (what nginx calls lingering close).
constexpr std::chrono::seconds max_linger{5};
constexpr std::size_t max_linger_bytes = 16 * 1024 * 1024;

// Beast checks a Content-Length against the parser's limit while it parses the header, before we know the route, so
// the parser starts with the largest limit any route has and the route's own is applied once the header is in.
std::size_t largest_body_limit(const server_options& options) {
  std::size_t largest = options.body_limit;
  for (const auto& rule : options.body_limits) {
    largest = std::max(largest, rule.limit);
  }
  return largest;
}

}  // namespace

namespace detail {

class server_state {
 public:
  server_state(server_options opts, const router& r)
      : options{std::move(opts)},
        parser_body_limit{largest_body_limit(options)},
        routes{r},
        ioc{static_cast<int>(std::max(1U, options.threads))},
        control{asio::make_strand(ioc)},
        acceptor{control},
        grace_timer{control},
        accept_retry_timer{control} {}

  void session_started(std::uint64_t id, const std::shared_ptr<session>& s) {
    const std::lock_guard lock{sessions_mutex};
    sessions.emplace(id, s);
  }

  // Called from ~session, which may run on any io thread, or inside ~io_context after run() returned (forced stop);
  // posting is only safe in the first case, which is what `running` tells apart.
  void session_ended(std::uint64_t id) {
    bool drained = false;
    {
      const std::lock_guard lock{sessions_mutex};
      sessions.erase(id);
      drained = sessions.empty();
    }
    if (drained && stop_requested.load() && running.load()) {
      asio::post(control, [this] { finish_drain_if_idle(); });
    }
  }

  void do_accept();
  void on_accept(error_code ec, tcp::socket socket);
  void request_stop();
  void await_signal();
  void begin_drain();
  void finish_drain_if_idle();
  void drain_finished();
  void run_loop();

  // The first matching rule wins, so a specific rule can be listed before a broader one.
  std::size_t body_limit_for(beast_http::verb method, std::string_view path) const {
    for (const auto& rule : options.body_limits) {
      if (rule.method == method && rule.path == path) {
        return rule.limit;
      }
    }
    return options.body_limit;
  }

  server_options options;
  std::size_t parser_body_limit;
  const router& routes;

  // Declared before ioc so it outlives sessions destroyed with the io_context's pending handlers.
  std::mutex sessions_mutex;
  std::unordered_map<std::uint64_t, std::weak_ptr<session>> sessions;
  std::uint64_t next_session_id = 0;  // control strand only

  std::atomic<bool> stop_requested{false};
  std::atomic<bool> running{false};

  asio::io_context ioc;
  // Serialises everything that is not per connection: acceptor, timers, signals, the drain.
  asio::strand<asio::io_context::executor_type> control;
  tcp::acceptor acceptor;
  asio::steady_timer grace_timer;
  asio::steady_timer accept_retry_timer;
  std::optional<asio::signal_set> signals;
  bool draining = false;  // control strand only: the grace timer is armed
  unsigned short bound_port = 0;
};

}  // namespace detail

namespace {

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket&& socket, detail::server_state& owner, std::uint64_t id)
      : owner_{owner}, id_{id}, stream_{std::move(socket)} {}

  ~session() { owner_.session_ended(id_); }

  session(const session&) = delete;
  session& operator=(const session&) = delete;

  void start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&session::await_request, shared_from_this()));
  }

  // Any thread: the work happens on the session's strand.
  void notify_stop() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->on_stop(); });
  }

 private:
  enum class phase { awaiting_request, reading, responding, closing };

  bool stopping() const { return stop_requested_ || owner_.stop_requested.load(); }

  void on_stop() {
    stop_requested_ = true;
    // A connection between requests has nothing in flight: close it now. One that is reading or handling a
    // request finishes it and closes after the response (see stopping()).
    if (phase_ == phase::awaiting_request || phase_ == phase::closing) {
      stream_.cancel();
    }
  }

  void await_request() {
    phase_ = phase::awaiting_request;
    if (stopping()) {
      close();
      return;
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(owner_.options.header_limit, std::numeric_limits<std::uint32_t>::max())));
    parser_->body_limit(owner_.parser_body_limit);
    method_.clear();
    path_.clear();
    request_id_.clear();
    if (buffer_.size() > 0) {
      begin_request();  // the client already sent (part of) the next request
      return;
    }
    // The first byte of a request is waited for separately so that an idle keep-alive connection gets idle_timeout
    // while a request that has started must arrive within read_timeout.
    stream_.expires_after(first_request_ ? owner_.options.read_timeout : owner_.options.idle_timeout);
    constexpr std::size_t first_read_size = 4096;
    stream_.async_read_some(buffer_.prepare(first_read_size),
                            beast::bind_front_handler(&session::on_first_bytes, shared_from_this()));
  }

  void on_first_bytes(error_code ec, std::size_t bytes) {
    buffer_.commit(bytes);
    if (ec) {
      // EOF, idle timeout, or cancelled by a stop: nothing is owed to the client.
      close();
      return;
    }
    begin_request();
  }

  void begin_request() {
    phase_ = phase::reading;
    started_ = std::chrono::steady_clock::now();
    stream_.expires_after(owner_.options.read_timeout);
    beast_http::async_read_header(stream_, buffer_, *parser_,
                                  beast::bind_front_handler(&session::on_header, shared_from_this()));
  }

  void on_header(error_code ec, std::size_t) {
    if (ec) {
      on_read_error(ec);
      return;
    }
    remember_request_line();
    const auto& header = parser_->get();
    // Refused before the body is read and before any 100 Continue, so a client that waits for it never sends the
    // body at all.
    if (const auto length = parser_->content_length(); length && *length > body_limit_) {
      send_body_too_large();
      return;
    }
    // A chunked body's size is known only as it arrives; the parser counts it against this.
    parser_->body_limit(body_limit_);
    if (parser_->is_done()) {
      handle_request();
      return;
    }
    // Clients that ask for 100-continue (curl does for large bodies) would otherwise wait before sending the body.
    if (header.version() == 11 && beast::iequals(header[beast_http::field::expect], "100-continue")) {
      static constexpr std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(owner_.options.write_timeout);
      asio::async_write(stream_, asio::buffer(interim.data(), interim.size()),
                        beast::bind_front_handler(&session::on_continue_sent, shared_from_this()));
      return;
    }
    read_body();
  }

  void on_continue_sent(error_code ec, std::size_t) {
    if (ec) {
      close();
      return;
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(owner_.options.read_timeout);
    beast_http::async_read(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&session::on_body, shared_from_this()));
  }

  void on_body(error_code ec, std::size_t) {
    if (ec) {
      on_read_error(ec);
      return;
    }
    handle_request();
  }

  void on_read_error(error_code ec) {
    remember_request_line();
    if (ec == beast_http::error::body_limit) {
      send_body_too_large();
      return;
    }
    if (ec == beast_http::error::header_limit) {
      send_error(problem(beast_http::status::request_header_fields_too_large, "Request Header Fields Too Large",
                         "the request header exceeds the limit of " + std::to_string(owner_.options.header_limit) +
                             " bytes"));
      return;
    }
    // A client that went away or was too slow is owed nothing; only a syntactically broken request gets an answer.
    const bool protocol_error = ec.category() == beast_http::make_error_code(beast_http::error::bad_target).category() &&
                                ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message;
    if (protocol_error) {
      send_error(problem(beast_http::status::bad_request, "Bad Request", "malformed HTTP request: " + ec.message()));
      return;
    }
    http_logger()->debug("connection {} closed while reading a request: {}", id_, ec.message());
    close();
  }

  // Also picks the route's body limit: body_limit errors come only once the whole header has been parsed.
  void remember_request_line() {
    const auto& header = parser_->get();
    method_ = to_std(header.method_string());
    const auto target = header.target();
    path_ = to_std(target.substr(0, target.find('?')));
    request_id_ = choose_request_id(to_std(header["X-Request-Id"]));
    body_limit_ = owner_.body_limit_for(header.method(), path_);
  }

  // send_error closes the connection (after lingering), so an unread body is never taken for the next request.
  void send_body_too_large() {
    send_error(problem(beast_http::status::payload_too_large, "Content Too Large",
                       "the request body exceeds the limit of " + std::to_string(body_limit_) + " bytes"));
  }

  void handle_request() {
    phase_ = phase::responding;
    const auto req = parser_->release();
    response res;
    try {
      res = owner_.routes.dispatch(req, request_id_);
    } catch (const std::exception& e) {
      // The router promises not to throw; this is the last line of defence so one request cannot kill a thread.
      http_logger()->error("dispatch failed id={}: {}", request_id_, e.what());
      res = problem(beast_http::status::internal_server_error, "Internal Server Error",
                    "the server failed to complete the request; quote request id " + request_id_ +
                        " when reporting it");
    }
    res.version(req.version());
    res.keep_alive(req.keep_alive() && !stopping());
    send(std::move(res));
  }

  void send_error(response res) {
    phase_ = phase::responding;
    linger_after_write_ = true;
    res.keep_alive(false);
    send(std::move(res));
  }

  void send(response res) {
    res.set(beast_http::field::server, "lotse");
    res.set("X-Request-Id", request_id_);
    res.prepare_payload();
    response_ = std::move(res);
    stream_.expires_after(owner_.options.write_timeout);
    beast_http::async_write(stream_, *response_, beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(error_code ec, std::size_t) {
    const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_);
    http_logger()->info("{} {} {} {:.2f}ms id={}", method_.empty() ? "-" : method_, path_.empty() ? "-" : path_,
                        response_->result_int(), elapsed.count(), request_id_);
    const bool keep_alive = response_->keep_alive();
    response_.reset();
    if (ec) {
      http_logger()->debug("connection {}: writing the response failed: {}", id_, ec.message());
      close();
      return;
    }
    if (linger_after_write_) {
      linger_close();
      return;
    }
    if (!keep_alive || stopping()) {
      close();
      return;
    }
    first_request_ = false;
    await_request();
  }

  void linger_close() {
    phase_ = phase::closing;
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    buffer_.consume(buffer_.size());
    stream_.expires_after(std::min<std::chrono::steady_clock::duration>(owner_.options.read_timeout, max_linger));
    linger_read();
  }

  void linger_read() {
    // The deadline is not renewed: it bounds the whole linger, not each read.
    stream_.async_read_some(asio::buffer(discard_), [self = shared_from_this()](error_code ec, std::size_t bytes) {
      self->discarded_ += bytes;
      if (!ec && self->discarded_ < max_linger_bytes && !self->stop_requested_) {
        self->linger_read();
      }
    });
  }

  void close() {
    phase_ = phase::closing;
    // Shutting down the send side delivers a clean FIN; the socket itself closes when the last handler releases us.
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  detail::server_state& owner_;
  std::uint64_t id_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  std::optional<response> response_;
  phase phase_ = phase::awaiting_request;
  bool first_request_ = true;
  bool stop_requested_ = false;
  bool linger_after_write_ = false;
  std::chrono::steady_clock::time_point started_{};
  std::string method_;
  std::string path_;
  std::string request_id_;
  std::size_t body_limit_ = 0;  // the current request's route's
  std::array<char, 4096> discard_{};
  std::size_t discarded_ = 0;
};

}  // namespace

namespace detail {

void server_state::do_accept() {
  if (stop_requested.load()) {
    return;
  }
  acceptor.async_accept(asio::make_strand(ioc),
                        [this](error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void server_state::on_accept(error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || stop_requested.load()) {
    return;
  }
  if (ec) {
    // Typically out of file descriptors; retrying at once would spin, so back off briefly.
    http_logger()->warn("accept failed: {}", ec.message());
    accept_retry_timer.expires_after(std::chrono::milliseconds{100});
    accept_retry_timer.async_wait([this](error_code wait_ec) {
      if (!wait_ec) {
        do_accept();
      }
    });
    return;
  }
  const auto id = next_session_id++;
  auto s = std::make_shared<session>(std::move(socket), *this, id);
  session_started(id, s);
  s->start();
  do_accept();
}

void server_state::begin_drain() {
  error_code ignored;
  acceptor.close(ignored);
  accept_retry_timer.cancel();

  std::vector<std::shared_ptr<session>> live;
  {
    const std::lock_guard lock{sessions_mutex};
    if (sessions.empty()) {
      http_logger()->info("stopped: no open connections");
      drain_finished();
      return;
    }
    for (const auto& [id, weak] : sessions) {
      if (auto s = weak.lock()) {
        live.push_back(std::move(s));
      }
    }
  }
  http_logger()->info("stopping: draining {} connection(s)", live.size());
  for (const auto& s : live) {
    s->notify_stop();
  }
  draining = true;
  grace_timer.expires_after(options.shutdown_grace);
  grace_timer.async_wait([this](error_code ec) {
    if (ec) {
      return;  // cancelled: everything drained in time
    }
    draining = false;
    std::size_t remaining = 0;
    {
      const std::lock_guard lock{sessions_mutex};
      remaining = sessions.size();
    }
    http_logger()->warn("stopping: {} connection(s) still open after {}s; abandoning them", remaining,
                        options.shutdown_grace.count());
    drain_finished();
    ioc.stop();
  });
}

void server_state::finish_drain_if_idle() {
  if (!draining) {
    return;  // begin_drain has not run yet, or found nothing to wait for
  }
  {
    const std::lock_guard lock{sessions_mutex};
    if (!sessions.empty()) {
      return;
    }
  }
  draining = false;
  http_logger()->info("stopped: all connections drained");
  grace_timer.cancel();
  drain_finished();
}

void server_state::drain_finished() {
  if (signals) {
    // Back to the default dispositions: once the server is done, a signal should act on the process as usual.
    error_code ignored;
    signals->cancel(ignored);
    signals->clear(ignored);
  }
}

void server_state::request_stop() {
  if (stop_requested.exchange(true)) {
    return;
  }
  asio::post(control, [this] { begin_drain(); });
}

void server_state::await_signal() {
  signals->async_wait([this](error_code ec, int signal_number) {
    if (ec) {
      return;
    }
    if (!stop_requested.load()) {
      http_logger()->info("received signal {}; stopping", signal_number);
      request_stop();
      await_signal();
      return;
    }
    // A second signal while draining means the operator does not want to wait.
    http_logger()->warn("received signal {} while draining; stopping immediately", signal_number);
    drain_finished();
    ioc.stop();
  });
}

void server_state::run_loop() {
  // A handler that throws out of io_context::run() must not take the whole server down; log it and keep serving.
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      http_logger()->error("unhandled exception on an HTTP thread: {}", e.what());
    }
  }
}

}  // namespace detail

server::server(server_options options, const router& routes)
    : state_{std::make_unique<detail::server_state>(std::move(options), routes)} {}

server::~server() = default;

unsigned short server::listen() {
  auto& s = *state_;
  if (s.acceptor.is_open()) {
    return s.bound_port;
  }
  const auto where = s.options.bind_address + ":" + std::to_string(s.options.port);
  error_code ec;
  const auto address = asio::ip::make_address(s.options.bind_address, ec);
  if (ec) {
    throw std::system_error(ec, "invalid HTTP bind address '" + s.options.bind_address + "'");
  }
  const tcp::endpoint endpoint{address, s.options.port};
  auto fail = [&](const char* step) {
    error_code ignored;
    s.acceptor.close(ignored);
    throw std::system_error(ec, std::string{"cannot "} + step + " HTTP listener on " + where);
  };
  if (s.acceptor.open(endpoint.protocol(), ec); ec) {
    fail("open");
  }
  if (s.acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    fail("configure");
  }
  if (s.acceptor.bind(endpoint, ec); ec) {
    fail("bind");
  }
  if (s.acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    fail("start");
  }
  s.bound_port = s.acceptor.local_endpoint().port();
  http_logger()->info("listening on http://{}:{}", s.options.bind_address, s.bound_port);
  return s.bound_port;
}

void server::run() {
  auto& s = *state_;
  if (!s.acceptor.is_open() && !s.stop_requested.load()) {
    listen();
  }
  s.running.store(true);
  asio::post(s.control, [&s] { s.do_accept(); });
  std::vector<std::thread> helpers;
  for (unsigned i = 1; i < std::max(1U, s.options.threads); ++i) {
    helpers.emplace_back([&s] { s.run_loop(); });
  }
  s.run_loop();
  for (auto& t : helpers) {
    t.join();
  }
  s.running.store(false);
}

void server::request_stop() { state_->request_stop(); }

void server::stop_on_signals() {
  auto& s = *state_;
  if (s.signals || s.stop_requested.load()) {
    return;
  }
  s.signals.emplace(s.control, SIGINT, SIGTERM);
  s.await_signal();
}

}  // namespace lotse::http
