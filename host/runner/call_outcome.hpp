// What calling a plugin's dynamic hook through its runner gave. Every outcome is an expected one, including a
// plugin that crashes or hangs, so it is a value and never an exception (docs/plugin-isolation.md).
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace lotse::runner {
namespace outcome {

// The hook's answer: well-formed JSON, otherwise unchecked (its schema is the caller's business).
struct ok {
  boost::json::value result;
};
// The plugin reported a failure (LOTSE_ERROR, e.g. an exception it threw); the runner lives on.
struct plugin_error {
  std::string message;
};
// The plugin refused the input (LOTSE_BAD_REQUEST).
struct bad_request {
  std::string message;
};
// The plugin does not implement the hook.
struct not_supported {
  std::string message;
};
// The runner died during the call (a signal, an exit, its memory limit), or could not be restarted for it.
struct crashed {
  std::string reason;
};
// No answer before the deadline: the runner was killed. Also, without killing anything, when earlier calls kept the
// runner busy until this call's deadline.
struct timed_out {
  std::string reason;
};
// The answer broke the rules: the plugin returned something that is not JSON or not a status, or the runner's line
// was not a protocol message.
struct invalid_response {
  std::string reason;
};
// Too many failures in a row: calls are refused without reaching the plugin until a curator lifts the quarantine.
struct quarantined {
  std::string reason;
};

}  // namespace outcome

using call_outcome = std::variant<outcome::ok, outcome::plugin_error, outcome::bad_request, outcome::not_supported,
                                  outcome::crashed, outcome::timed_out, outcome::invalid_response,
                                  outcome::quarantined>;

// "ok", "plugin_error", "bad_request", "not_supported", "crashed", "timed_out", "invalid_response", "quarantined".
std::string_view outcome_name(const call_outcome& value);

// The message or reason; empty for ok.
std::string_view outcome_message(const call_outcome& value);

// The HTTP status an API answers with: ok 200, bad_request 422 (the provider refused this municipality's data),
// not_supported 404 (the solution offers no quote), plugin_error / crashed / invalid_response 502, timed_out 504,
// quarantined 503.
int http_status(const call_outcome& value);

}  // namespace lotse::runner
