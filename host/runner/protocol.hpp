// The line protocol between the host and a plugin runner (docs/plugin-isolation.md): one JSON object per line,
// terminated by '\n', on the runner's stdin (requests) and stdout (hello and responses). Both sides build and read
// every message with the functions here, through Boost.JSON, so the two ends cannot drift apart and no message is
// ever assembled by hand.
#pragma once

#include "host/loader/plugin_loader.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace lotse::runner::protocol {

// Sent in the hello. The host and its runners are the same binary, so a mismatch means a misconfigured runner path.
inline constexpr std::int64_t version = 1;

// No message comes near this: a description is at most 4 MiB and escaping at most doubles it. A longer line means
// the peer is broken, and the limit keeps a runner from making the host buffer without bound.
inline constexpr std::size_t max_line_bytes = std::size_t{16} * 1024 * 1024;

// Error messages are one line of a plugin's message plus a sentence from the runner; anything longer is not one.
inline constexpr std::size_t max_message_bytes = 4096;

// How a runner process ends. The host reads these from the wait status when a runner dies without answering.
enum exit_code : int {
  exit_input_closed = 0,    // the host closed the runner's stdin
  exit_failed = 1,          // the plugin did not load, or the runner itself failed
  exit_usage = 2,           // bad command line
  exit_out_of_memory = 3,   // a hook used up the runner's address-space limit
  exit_parent_gone = 4,     // the host died; the runner does not outlive it
};

// The runner's first line: what loading the plugin gave.
struct hello_loaded {
  loader::abi_version abi;
  std::string sdk_version;
  std::string description_json;  // exactly the bytes describe() returned, as a JSON string
  bool has_quote = false;        // the API table's quote pointer is set (an SDK plugin may still answer not_supported)
};
struct hello_failed {
  std::string reason;  // the loader's load_failure::reason
};
using hello = std::variant<hello_loaded, hello_failed>;

struct request {
  std::uint64_t id = 0;
  std::string method;  // "quote"
  boost::json::value params;
};

enum class status {
  ok,                // result holds the hook's answer
  error,             // the plugin reported a failure (LOTSE_ERROR); message is its message
  bad_request,       // the plugin refused the input, or the runner could not read the request
  not_supported,     // the plugin does not implement the hook, or the runner does not know the method
  invalid_response,  // the plugin's answer broke the ABI's rules (not JSON, unknown status, bad buffer)
  fatal,             // the runner cannot go on (a hook used up its memory); it exits after this line
};

struct response {
  std::optional<std::uint64_t> id;  // empty (null) when the request could not be read far enough to know it
  protocol::status status = status::ok;
  boost::json::value result;  // status ok only
  std::string message;        // every other status
};

// Why a line is not the message it should be: one sentence, for an invalid_response outcome or a bad_request answer.
struct malformed {
  std::optional<std::uint64_t> id;  // for requests: the id, if the line got far enough to have one
  std::string reason;
};

// Each encoder returns one complete line, including its '\n'. Boost.JSON escapes every control character, so the
// only '\n' in a line is its end.
std::string encode_hello(const hello& message);
std::string encode_request(const request& message);
std::string encode_response(const response& message);

// Each decoder takes one line without its '\n' and checks every field: a missing, extra-typed or unknown field is
// malformed, because the peer is either this very code or broken.
std::variant<hello, malformed> decode_hello(std::string_view line);
std::variant<request, malformed> decode_request(std::string_view line);
std::variant<response, malformed> decode_response(std::string_view line);

std::string_view status_name(status value);

// Cuts a byte stream into lines: bytes go in as they arrive, complete lines come out without their '\n'. A line
// longer than the limit, complete or not, makes the splitter overflowed for good, because the stream can no longer
// be trusted to be in step.
class line_splitter {
 public:
  explicit line_splitter(std::size_t max_line_bytes = protocol::max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  void append(std::string_view bytes);
  std::optional<std::string> next_line();
  bool overflowed() const { return overflowed_; }
  // Bytes received but not yet returned as a line.
  std::size_t pending_bytes() const { return buffer_.size() - start_; }

 private:
  std::size_t max_line_bytes_;
  std::string buffer_;
  std::size_t start_ = 0;                      // where the next line begins
  std::size_t newline_ = std::string::npos;   // the first '\n' at or after start_, if any
  bool overflowed_ = false;
};

}  // namespace lotse::runner::protocol
