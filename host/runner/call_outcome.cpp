#include "host/runner/call_outcome.hpp"

#include <type_traits>

namespace lotse::runner {
namespace {

template <typename... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <typename... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace

std::string_view outcome_name(const call_outcome& value) {
  return std::visit(overloaded{
                        [](const outcome::ok&) { return std::string_view("ok"); },
                        [](const outcome::plugin_error&) { return std::string_view("plugin_error"); },
                        [](const outcome::bad_request&) { return std::string_view("bad_request"); },
                        [](const outcome::not_supported&) { return std::string_view("not_supported"); },
                        [](const outcome::crashed&) { return std::string_view("crashed"); },
                        [](const outcome::timed_out&) { return std::string_view("timed_out"); },
                        [](const outcome::invalid_response&) { return std::string_view("invalid_response"); },
                        [](const outcome::quarantined&) { return std::string_view("quarantined"); },
                    },
                    value);
}

std::string_view outcome_message(const call_outcome& value) {
  return std::visit(
      [](const auto& alternative) -> std::string_view {
        using type = std::decay_t<decltype(alternative)>;
        if constexpr (std::is_same_v<type, outcome::ok>) {
          return {};
        } else if constexpr (requires { alternative.message; }) {
          return alternative.message;
        } else {
          return alternative.reason;
        }
      },
      value);
}

int http_status(const call_outcome& value) {
  return std::visit(overloaded{
                        [](const outcome::ok&) { return 200; },
                        [](const outcome::plugin_error&) { return 502; },
                        [](const outcome::bad_request&) { return 422; },
                        [](const outcome::not_supported&) { return 404; },
                        [](const outcome::crashed&) { return 502; },
                        [](const outcome::timed_out&) { return 504; },
                        [](const outcome::invalid_response&) { return 502; },
                        [](const outcome::quarantined&) { return 503; },
                    },
                    value);
}

}  // namespace lotse::runner
