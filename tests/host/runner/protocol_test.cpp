// The runner protocol without processes: messages survive a round trip byte for byte, every malformed line is
// refused with a reason, the line splitter frames and limits, and outcomes map to HTTP statuses.
#include "host/runner/call_outcome.hpp"
#include "host/runner/child_process.hpp"
#include "host/runner/protocol.hpp"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <csignal>
#include <string>
#include <variant>

namespace lotse::runner {
namespace {

using ::testing::HasSubstr;

namespace json = boost::json;

template <typename T>
T expect_decoded(const std::variant<T, protocol::malformed>& decoded) {
  if (const auto* bad = std::get_if<protocol::malformed>(&decoded)) {
    ADD_FAILURE() << "malformed: " << bad->reason;
    return T{};
  }
  return std::get<T>(decoded);
}

template <typename T>
std::string expect_malformed(const std::variant<T, protocol::malformed>& decoded) {
  if (const auto* bad = std::get_if<protocol::malformed>(&decoded)) {
    EXPECT_THAT(bad->reason, ::testing::Not(HasSubstr("\n")));
    return bad->reason;
  }
  ADD_FAILURE() << "decoded a line that should be malformed";
  return {};
}

// The line without its '\n', checking there is exactly one, at the end.
std::string strip(const std::string& line) {
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  return line.substr(0, line.size() - 1);
}

TEST(runner_protocol, loaded_hello_keeps_the_description_byte_for_byte) {
  // Newlines, quotes, a backslash, non-ASCII text and a control character: JSON-escaped on the wire, exact after.
  const std::string description = "{\"provider\": {\"id\": \"p\", \"name\": \"Gemeinde \\\"Süd\\\"\"},\n\t"
                                   "\"solutions\": [] }\x01";
  const protocol::hello_loaded sent{{1, 0}, "1.0.0", description, true};
  const std::string line = strip(protocol::encode_hello(sent));

  const auto received = expect_decoded(protocol::decode_hello(line));
  ASSERT_TRUE(std::holds_alternative<protocol::hello_loaded>(received));
  const auto& loaded = std::get<protocol::hello_loaded>(received);
  EXPECT_EQ(loaded.abi, (loader::abi_version{1, 0}));
  EXPECT_EQ(loaded.sdk_version, "1.0.0");
  EXPECT_EQ(loaded.description_json, description);
  EXPECT_TRUE(loaded.has_quote);
}

TEST(runner_protocol, failed_hello_carries_the_reason) {
  const std::string line = strip(protocol::encode_hello(protocol::hello_failed{"ABI major version 2 is not supported"}));
  const auto received = expect_decoded(protocol::decode_hello(line));
  ASSERT_TRUE(std::holds_alternative<protocol::hello_failed>(received));
  EXPECT_EQ(std::get<protocol::hello_failed>(received).reason, "ABI major version 2 is not supported");
}

TEST(runner_protocol, hello_without_quote_says_so) {
  const std::string line = strip(protocol::encode_hello(protocol::hello_loaded{{1, 0}, "1.0.0", "{}", false}));
  EXPECT_EQ(json::parse(line).at("hooks"), json::array{});
  const auto received = expect_decoded(protocol::decode_hello(line));
  EXPECT_FALSE(std::get<protocol::hello_loaded>(received).has_quote);
}

TEST(runner_protocol, broken_hellos_are_refused) {
  EXPECT_THAT(expect_malformed(protocol::decode_hello("listening on http://127.0.0.1:8080")), HasSubstr("not JSON"));
  EXPECT_THAT(expect_malformed(protocol::decode_hello("[1, 2]")), HasSubstr("not a JSON object"));
  EXPECT_THAT(expect_malformed(protocol::decode_hello(R"({"type": "response", "protocol": 1})")),
              HasSubstr("\"type\""));
  EXPECT_THAT(expect_malformed(protocol::decode_hello(R"({"type": "hello", "protocol": 2, "status": "failed",
                                                          "reason": "x"})")),
              HasSubstr("protocol version 1"));
  EXPECT_THAT(expect_malformed(protocol::decode_hello(R"({"type": "hello", "protocol": 1, "status": "failed"})")),
              HasSubstr("\"reason\""));
  EXPECT_THAT(expect_malformed(protocol::decode_hello(R"({"type": "hello", "protocol": 1, "status": "maybe"})")),
              HasSubstr("\"status\""));
  EXPECT_THAT(expect_malformed(protocol::decode_hello(R"({"type": "hello", "protocol": 1, "status": "loaded",
      "abi": {"major": -1, "minor": 0}, "sdk_version": "1", "description": "{}", "hooks": []})")),
              HasSubstr("\"abi\""));
  EXPECT_THAT(expect_malformed(protocol::decode_hello(R"({"type": "hello", "protocol": 1, "status": "loaded",
      "abi": {"major": 1, "minor": 0}, "sdk_version": "1", "description": {}, "hooks": []})")),
              HasSubstr("\"description\""));
}

TEST(runner_protocol, request_round_trip) {
  const json::value params = json::parse(R"({"solution_id": "s", "profile": {"population": 800, "name": "Zoé"}})");
  const std::string line = strip(protocol::encode_request({42, "quote", params}));
  const auto received = expect_decoded(protocol::decode_request(line));
  EXPECT_EQ(received.id, 42U);
  EXPECT_EQ(received.method, "quote");
  EXPECT_EQ(received.params, params);
}

TEST(runner_protocol, malformed_requests_keep_the_id_when_they_have_one) {
  const auto no_id = protocol::decode_request(R"({"method": "quote", "params": {}})");
  EXPECT_THAT(expect_malformed(no_id), HasSubstr("\"id\""));
  EXPECT_FALSE(std::get<protocol::malformed>(no_id).id.has_value());

  const auto negative_id = protocol::decode_request(R"({"id": -1, "method": "quote", "params": {}})");
  EXPECT_FALSE(std::get<protocol::malformed>(negative_id).id.has_value());

  const auto no_method = protocol::decode_request(R"({"id": 7, "params": {}})");
  EXPECT_THAT(expect_malformed(no_method), HasSubstr("\"method\""));
  EXPECT_EQ(std::get<protocol::malformed>(no_method).id, 7U);

  const auto array_params = protocol::decode_request(R"({"id": 8, "method": "quote", "params": []})");
  EXPECT_THAT(expect_malformed(array_params), HasSubstr("\"params\""));
  EXPECT_EQ(std::get<protocol::malformed>(array_params).id, 8U);

  EXPECT_THAT(expect_malformed(protocol::decode_request("{\"id\": 1,")), HasSubstr("not JSON"));
}

TEST(runner_protocol, response_round_trip_for_every_status) {
  const json::value result = json::parse(R"({"setup_eur": 1000, "annual_eur": 700.5})");
  const auto ok = expect_decoded(
      protocol::decode_response(strip(protocol::encode_response({3, protocol::status::ok, result, {}}))));
  EXPECT_EQ(ok.id, 3U);
  EXPECT_EQ(ok.status, protocol::status::ok);
  EXPECT_EQ(ok.result, result);

  for (const auto status : {protocol::status::error, protocol::status::bad_request, protocol::status::not_supported,
                            protocol::status::invalid_response, protocol::status::fatal}) {
    const std::string line = strip(protocol::encode_response({9, status, {}, "line one\nline two"}));
    EXPECT_EQ(json::parse(line).at("status").as_string(), protocol::status_name(status));
    const auto received = expect_decoded(protocol::decode_response(line));
    EXPECT_EQ(received.status, status);
    EXPECT_EQ(received.message, "line one\nline two");
    EXPECT_EQ(received.id, 9U);
  }

  const auto no_id = expect_decoded(protocol::decode_response(
      strip(protocol::encode_response({std::nullopt, protocol::status::bad_request, {}, "unreadable"}))));
  EXPECT_FALSE(no_id.id.has_value());
}

TEST(runner_protocol, broken_responses_are_refused) {
  EXPECT_THAT(expect_malformed(protocol::decode_response("price: 12 EUR")), HasSubstr("not JSON"));
  EXPECT_THAT(expect_malformed(protocol::decode_response(R"({"status": "ok", "result": 1})")), HasSubstr("\"id\""));
  EXPECT_THAT(expect_malformed(protocol::decode_response(R"({"id": "1", "status": "ok", "result": 1})")),
              HasSubstr("\"id\""));
  EXPECT_THAT(expect_malformed(protocol::decode_response(R"({"id": 1, "status": "great", "result": 1})")),
              HasSubstr("\"status\""));
  EXPECT_THAT(expect_malformed(protocol::decode_response(R"({"id": 1, "status": "ok"})")), HasSubstr("\"result\""));
  EXPECT_THAT(expect_malformed(protocol::decode_response(R"({"id": 1, "status": "error"})")),
              HasSubstr("\"message\""));
  const std::string huge(protocol::max_message_bytes + 1, 'x');
  EXPECT_THAT(expect_malformed(protocol::decode_response(R"({"id": 1, "status": "error", "message": ")" + huge +
                                                         "\"}")),
              HasSubstr("bytes"));
}

TEST(line_splitter, reassembles_lines_across_reads) {
  protocol::line_splitter lines(100);
  lines.append("{\"a\":");
  EXPECT_FALSE(lines.next_line().has_value());
  lines.append("1}\n{\"b\":2}\n\n{\"c\"");
  EXPECT_EQ(lines.next_line(), "{\"a\":1}");
  EXPECT_EQ(lines.next_line(), "{\"b\":2}");
  EXPECT_EQ(lines.next_line(), "");
  EXPECT_FALSE(lines.next_line().has_value());
  EXPECT_EQ(lines.pending_bytes(), 4U);
  lines.append(":3}\n");
  EXPECT_EQ(lines.next_line(), "{\"c\":3}");
  EXPECT_EQ(lines.pending_bytes(), 0U);
  EXPECT_FALSE(lines.overflowed());
}

TEST(line_splitter, many_small_reads_of_many_lines) {
  protocol::line_splitter lines(16);
  std::string stream;
  for (int i = 0; i < 1000; ++i) {
    stream += "line " + std::to_string(i) + "\n";
  }
  std::vector<std::string> seen;
  for (std::size_t at = 0; at < stream.size(); at += 7) {
    lines.append(std::string_view(stream).substr(at, 7));
    while (auto line = lines.next_line()) {
      seen.push_back(*line);
    }
  }
  ASSERT_EQ(seen.size(), 1000U);
  EXPECT_EQ(seen.front(), "line 0");
  EXPECT_EQ(seen.back(), "line 999");
  EXPECT_FALSE(lines.overflowed());
}

TEST(line_splitter, a_line_of_exactly_the_limit_passes) {
  protocol::line_splitter lines(8);
  lines.append("12345678\n");
  EXPECT_EQ(lines.next_line(), "12345678");
  EXPECT_FALSE(lines.overflowed());
}

TEST(line_splitter, an_unfinished_line_over_the_limit_overflows_for_good) {
  protocol::line_splitter lines(8);
  lines.append("12345");
  lines.append("6789");
  EXPECT_TRUE(lines.overflowed());
  lines.append("\nok\n");
  EXPECT_FALSE(lines.next_line().has_value());
  EXPECT_TRUE(lines.overflowed());
}

TEST(line_splitter, a_complete_line_over_the_limit_overflows_after_the_lines_before_it) {
  protocol::line_splitter lines(8);
  lines.append("short\n123456789\nok\n");
  EXPECT_EQ(lines.next_line(), "short");
  EXPECT_FALSE(lines.next_line().has_value());
  EXPECT_TRUE(lines.overflowed());
}

TEST(call_outcome, maps_to_http_statuses) {
  EXPECT_EQ(http_status(outcome::ok{json::object{}}), 200);
  EXPECT_EQ(http_status(outcome::plugin_error{"x"}), 502);
  EXPECT_EQ(http_status(outcome::bad_request{"x"}), 422);
  EXPECT_EQ(http_status(outcome::not_supported{"x"}), 404);
  EXPECT_EQ(http_status(outcome::crashed{"x"}), 502);
  EXPECT_EQ(http_status(outcome::timed_out{"x"}), 504);
  EXPECT_EQ(http_status(outcome::invalid_response{"x"}), 502);
  EXPECT_EQ(http_status(outcome::quarantined{"x"}), 503);
}

TEST(call_outcome, names_and_messages) {
  EXPECT_EQ(outcome_name(outcome::ok{}), "ok");
  EXPECT_EQ(outcome_message(outcome::ok{}), "");
  EXPECT_EQ(outcome_name(outcome::plugin_error{"backend down"}), "plugin_error");
  EXPECT_EQ(outcome_message(outcome::plugin_error{"backend down"}), "backend down");
  EXPECT_EQ(outcome_name(outcome::timed_out{"slow"}), "timed_out");
  EXPECT_EQ(outcome_message(outcome::timed_out{"slow"}), "slow");
  EXPECT_EQ(outcome_name(outcome::quarantined{"q"}), "quarantined");
  EXPECT_EQ(outcome_name(outcome::invalid_response{"q"}), "invalid_response");
}

TEST(wait_status, reads_as_a_reason) {
  EXPECT_EQ(describe_wait_status(W_EXITCODE(0, 0)), "exited with status 0 (its input was closed)");
  EXPECT_EQ(describe_wait_status(W_EXITCODE(protocol::exit_out_of_memory, 0)),
            "exited with status 3 (the plugin used up the runner's memory limit)");
  EXPECT_EQ(describe_wait_status(W_EXITCODE(77, 0)), "exited with status 77");
  EXPECT_THAT(describe_wait_status(SIGSEGV), HasSubstr("was killed by signal 11 (SIGSEGV, "));
  EXPECT_THAT(describe_wait_status(SIGABRT), HasSubstr("(SIGABRT, Aborted)"));
}

}  // namespace
}  // namespace lotse::runner
