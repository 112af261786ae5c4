// The C++ side of the Lotse SDK: a start-up writes one class derived from lotse::sdk::plugin and one
// LOTSE_PLUGIN(class) line. This header turns that class into the C ABI of plugin_abi.h and guarantees that
// nothing but C types leaves the plugin: every exception is caught here and turned into a status and a message.
#pragma once

#include <lotse/sdk/plugin_abi.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>

namespace lotse::sdk {

inline constexpr const char* sdk_version = "1.0.0";

// Thrown by a plugin to say that the host's request cannot be answered (becomes LOTSE_BAD_REQUEST).
class bad_request : public std::exception {
 public:
  explicit bad_request(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

// What a start-up implements. describe() returns {"provider": {...}, "solutions": [...]} as documented in
// docs/plugin-manifest.md. quote() is optional.
class plugin {
 public:
  virtual ~plugin() = default;
  virtual boost::json::value describe() const = 0;
  virtual bool supports_quote() const { return false; }
  // request: {"solution_id": "...", "profile": {...}}. Returns the quote as JSON.
  virtual boost::json::value quote(const boost::json::value& request) const {
    (void)request;
    throw bad_request("quote is not supported by this plugin");
  }
};

namespace detail {

// Copies text into a malloc'ed buffer: the host releases it through free_buffer, which calls free() in this
// library, so allocation and release always happen with the plugin's own allocator.
inline lotse_status fill(lotse_buffer* out, std::string_view text, lotse_status status) noexcept {
  if (out == nullptr) {
    return LOTSE_ERROR;
  }
  out->data = nullptr;
  out->size = 0;
  if (text.empty()) {
    return status;
  }
  auto* data = static_cast<char*>(std::malloc(text.size()));
  if (data == nullptr) {
    return LOTSE_ERROR;
  }
  std::memcpy(data, text.data(), text.size());
  out->data = data;
  out->size = text.size();
  return status;
}

// Runs a plugin call and converts any exception into a status plus message; nothing propagates past here.
template <typename Fn>
lotse_status guarded(lotse_buffer* out, Fn&& fn) noexcept {
  try {
    return fill(out, boost::json::serialize(fn()), LOTSE_OK);
  } catch (const bad_request& e) {
    return fill(out, e.what(), LOTSE_BAD_REQUEST);
  } catch (const std::exception& e) {
    return fill(out, e.what(), LOTSE_ERROR);
  } catch (...) {
    return fill(out, "unknown exception in plugin", LOTSE_ERROR);
  }
}

inline void free_buffer(lotse_buffer* buffer) noexcept {
  if (buffer != nullptr) {
    std::free(buffer->data);
    buffer->data = nullptr;
    buffer->size = 0;
  }
}

template <typename Plugin>
const Plugin& instance() {
  // Constructed on first use, inside a guarded call, so a throwing constructor is reported, not fatal.
  static const Plugin plugin;
  return plugin;
}

template <typename Plugin>
lotse_status describe(lotse_buffer* out) noexcept {
  return guarded(out, [] { return instance<Plugin>().describe(); });
}

template <typename Plugin>
lotse_status quote(const char* request, std::size_t request_size, lotse_buffer* out) noexcept {
  try {
    if (!instance<Plugin>().supports_quote()) {
      return fill(out, "quote is not supported by this plugin", LOTSE_NOT_SUPPORTED);
    }
  } catch (...) {
    return fill(out, "plugin construction failed", LOTSE_ERROR);
  }
  return guarded(out, [&] {
    boost::json::error_code ec;
    auto parsed = boost::json::parse(std::string_view(request == nullptr ? "" : request, request_size), ec);
    if (ec) {
      throw bad_request("request is not valid JSON: " + ec.message());
    }
    return instance<Plugin>().quote(parsed);
  });
}

template <typename Plugin>
const lotse_plugin_api* api_table() noexcept {
  static const lotse_plugin_api table = {
      LOTSE_ABI_MAJOR, LOTSE_ABI_MINOR, static_cast<std::uint32_t>(sizeof(lotse_plugin_api)), sdk_version,
      &describe<Plugin>, &quote<Plugin>, &free_buffer,
  };
  return &table;
}

}  // namespace detail
}  // namespace lotse::sdk

// Exports the plugin's entry point. Use exactly once per plugin library, at namespace scope.
#define LOTSE_PLUGIN(PluginClass)                                                      \
  extern "C" LOTSE_PLUGIN_EXPORT const lotse_plugin_api* lotse_plugin_entry(void) {   \
    return ::lotse::sdk::detail::api_table<PluginClass>();                             \
  }
