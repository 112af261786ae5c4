#include "host/loader/plugin_loader.hpp"

#include <boost/dll/shared_library.hpp>
#include <boost/json/parser.hpp>
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

namespace lotse::loader {
namespace {

// A description is a provider and a few dozen solutions; anything this large is a bug or an attack, and the limit
// also bounds how far the loader trusts a size the plugin reports.
constexpr std::size_t max_description_bytes = std::size_t{4} * 1024 * 1024;
constexpr std::size_t max_message_bytes = 200;
constexpr std::size_t max_dlerror_bytes = 300;
constexpr std::size_t max_sdk_version_bytes = 64;

// ABI 1.0 uses every field up to and including free_buffer; a table that ends earlier would make the host read
// past the plugin's object.
constexpr std::size_t required_table_size =
    offsetof(lotse_plugin_api, free_buffer) + sizeof(lotse_plugin_api::free_buffer);

// Every library that was opened stays loaded until the process ends, also those rejected after opening (wrong ABI,
// bad description): dlopen already ran their static initialisers, which may have registered atexit handlers,
// thread_local destructors or callbacks that point into their code, and an accepted plugin's loaded_plugin::api
// points into it. dlclose would leave all of those dangling. The registry is leaked on purpose: as a static object
// its destructor would dlclose the libraries during exit, while later atexit handlers may still call into them.
struct library_registry {
  std::mutex mutex;
  std::deque<boost::dll::shared_library> libraries;  // a deque never relocates elements, so references stay valid
};

library_registry& registry() {
  static auto* const instance = new library_registry;
  return *instance;
}

const boost::dll::shared_library& keep_loaded(boost::dll::shared_library&& library) {
  library_registry& libraries = registry();
  const std::lock_guard lock(libraries.mutex);
  return libraries.libraries.emplace_back(std::move(library));
}

// Length of the well-formed UTF-8 sequence at the start of text, or 0 if there is none (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF). Reads at most four bytes.
std::size_t utf8_sequence_length(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    return 1;
  }
  std::size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    second_min = lead == 0xE0 ? 0xA0 : second_min;
    second_max = lead == 0xED ? 0x9F : second_max;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    second_min = lead == 0xF0 ? 0x90 : second_min;
    second_max = lead == 0xF4 ? 0x8F : second_max;
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < second_min || byte(1) > second_max) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) {
      return 0;
    }
  }
  return length;
}

// Text from a plugin or from dlerror ends up in log lines and, later, in HTTP answers: turn it into one line of
// valid UTF-8 of at most max_bytes (plus "..." when cut). Whitespace and control characters collapse to one space,
// invalid bytes become '?'. Reads no more than 2 * max_bytes of the input.
std::string one_line(std::string_view text, std::size_t max_bytes) {
  bool cut = false;
  if (text.size() > 2 * max_bytes) {
    text = text.substr(0, 2 * max_bytes);
    cut = true;
  }
  std::string out;
  bool space_pending = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c <= 0x20 || c == 0x7F) {
      space_pending = !out.empty();
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(text.substr(i));
    const std::string_view piece = length == 0 ? std::string_view("?") : text.substr(i, length);
    if (out.size() + (space_pending ? 1 : 0) + piece.size() > max_bytes) {
      cut = true;
      break;
    }
    if (space_pending) {
      out += ' ';
      space_pending = false;
    }
    out += piece;
    i += length == 0 ? 1 : length;
  }
  if (cut) {
    out += "...";
  }
  return out;
}

std::string to_string(abi_version version) { return fmt::format("{}.{}", version.major, version.minor); }

// Switches on the integer because a plugin may return any value, not only the enumerators.
std::string status_name(lotse_status status) {
  switch (static_cast<int>(status)) {
    case LOTSE_OK:
      return "LOTSE_OK";
    case LOTSE_ERROR:
      return "LOTSE_ERROR";
    case LOTSE_NOT_SUPPORTED:
      return "LOTSE_NOT_SUPPORTED";
    case LOTSE_BAD_REQUEST:
      return "LOTSE_BAD_REQUEST";
    default:
      return fmt::format("{} (not a lotse_status)", static_cast<int>(status));
  }
}

// Owns a buffer the plugin fills and hands it back to the plugin's own free_buffer on every path, because host and
// plugin may not share an allocator.
class plugin_buffer {
 public:
  explicit plugin_buffer(void (*release)(lotse_buffer*)) noexcept : release_(release) {}
  plugin_buffer(const plugin_buffer&) = delete;
  plugin_buffer& operator=(const plugin_buffer&) = delete;
  ~plugin_buffer() {
    try {
      release_(&buffer_);
    } catch (...) {
      // Thrown across the C ABI; a destructor can only swallow it, and the description is already copied.
    }
  }

  lotse_buffer* get() noexcept { return &buffer_; }
  const lotse_buffer& value() const noexcept { return buffer_; }

 private:
  lotse_buffer buffer_{nullptr, 0};
  void (*release_)(lotse_buffer*);
};

std::string_view text_of(const lotse_buffer& buffer) {
  return buffer.data == nullptr ? std::string_view() : std::string_view(buffer.data, buffer.size);
}

// Where Boost.JSON stopped, or nothing if text is one well-formed JSON value. Boost.JSON rejects invalid UTF-8.
struct json_error {
  std::string message;
  std::size_t offset;
};

std::optional<json_error> check_json(std::string_view text) {
  boost::json::parser parser;
  boost::json::error_code ec;
  // On error, write() returns the offset at which parsing stopped; on trailing data, where the extra data starts.
  const std::size_t offset = parser.write(text.data(), text.size(), ec);
  if (ec) {
    return json_error{ec.message(), offset};
  }
  return std::nullopt;
}

}  // namespace

abi_version host_abi() { return {LOTSE_ABI_MAJOR, LOTSE_ABI_MINOR}; }

load_result load_plugin(const std::filesystem::path& file) {
  const auto fail = [&file](std::string reason) -> load_result { return load_failure{file, std::move(reason)}; };

  boost::dll::shared_library opened;
  boost::dll::fs::error_code ec;
  opened.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    // Boost reports a generic error code; the explanation ("invalid ELF header", "file too short", a missing
    // dependency) is still in dlerror(), which is per thread and untouched since the failed dlopen.
    const char* detail = dlerror();
    const std::string explanation = detail != nullptr ? std::string(detail) : ec.message();
    return fail("not a loadable shared library: " + one_line(explanation, max_dlerror_bytes));
  }
  const boost::dll::shared_library& library = keep_loaded(std::move(opened));

  if (!library.has(LOTSE_PLUGIN_ENTRY_SYMBOL)) {
    return fail(fmt::format("the library does not export the entry point {}", LOTSE_PLUGIN_ENTRY_SYMBOL));
  }
  auto& entry = library.get<const lotse_plugin_api*()>(LOTSE_PLUGIN_ENTRY_SYMBOL);
  const lotse_plugin_api* api = nullptr;
  try {
    api = entry();
  } catch (...) {
    return fail(fmt::format("the entry point {} threw a C++ exception across the C ABI", LOTSE_PLUGIN_ENTRY_SYMBOL));
  }
  if (api == nullptr) {
    return fail(fmt::format("the entry point {} returned NULL instead of an API table", LOTSE_PLUGIN_ENTRY_SYMBOL));
  }

  // The first three fields mean the same in every ABI version, so they are safe to read before anything else.
  const abi_version host = host_abi();
  const abi_version plugin{api->abi_major, api->abi_minor};
  if (plugin.major != host.major) {
    return fail(fmt::format("ABI major version {} is not supported by this host (host ABI {}, plugin ABI {})",
                            plugin.major, to_string(host), to_string(plugin)));
  }
  if (plugin.minor > host.minor) {
    return fail(fmt::format("ABI minor version {} is newer than this host supports (host ABI {}, plugin ABI {})",
                            plugin.minor, to_string(host), to_string(plugin)));
  }
  if (api->struct_size < required_table_size) {
    return fail(fmt::format("the API table's struct_size is {} bytes, smaller than the {} bytes this host reads "
                            "(plugin ABI {})",
                            api->struct_size, required_table_size, to_string(plugin)));
  }
  if (api->describe == nullptr) {
    return fail("describe is NULL in the API table");
  }
  if (api->free_buffer == nullptr) {
    return fail("free_buffer is NULL in the API table, so the host could not release the plugin's buffers");
  }
  if (api->sdk_version == nullptr) {
    return fail("sdk_version is NULL in the API table");
  }
  // strnlen bounds the read in case the plugin forgot the terminator.
  const std::size_t sdk_version_length = ::strnlen(api->sdk_version, max_sdk_version_bytes + 1);
  if (sdk_version_length > max_sdk_version_bytes) {
    return fail(fmt::format("sdk_version is not a NUL-terminated string of at most {} bytes", max_sdk_version_bytes));
  }

  plugin_buffer buffer(api->free_buffer);
  lotse_status status = LOTSE_ERROR;
  try {
    status = api->describe(buffer.get());
  } catch (...) {
    return fail("describe threw a C++ exception across the C ABI instead of returning a status");
  }
  // Read the plugin's answer once, so every check below and the final copy see the same pointer and size.
  const lotse_buffer out = buffer.value();
  if (out.data == nullptr && out.size != 0) {
    return fail(fmt::format("describe returned a buffer with NULL data but size {}", out.size));
  }
  if (status != LOTSE_OK) {
    const std::string message = one_line(text_of(out), max_message_bytes);
    if (message.empty()) {
      return fail(fmt::format("describe failed with status {} and no message", status_name(status)));
    }
    return fail(fmt::format("describe failed with status {}: {}", status_name(status), message));
  }
  // Checked before the text is read, so a size the plugin made up never sends the parser more than 4 MiB past data.
  if (out.size > max_description_bytes) {
    return fail(fmt::format("the description is {} bytes, larger than the limit of 4 MiB ({} bytes)", out.size,
                            max_description_bytes));
  }
  const std::string_view description = text_of(out);
  if (const auto error = check_json(description)) {
    return fail(fmt::format("the description is not valid UTF-8 JSON: {} at offset {} of {} bytes", error->message,
                            error->offset, description.size()));
  }

  return loaded_plugin{
      .file = file,
      .abi = plugin,
      .sdk_version = one_line(std::string_view(api->sdk_version, sdk_version_length), max_sdk_version_bytes),
      .description_json = std::string(description),
      .api = api,
  };
}

hook_answer call_quote(const loaded_plugin& plugin, std::string_view request_json) {
  using kind = hook_answer::kind;
  const lotse_plugin_api* api = plugin.api;
  if (api == nullptr || api->quote == nullptr) {
    return {kind::not_supported, "the plugin does not implement quote"};
  }
  plugin_buffer buffer(api->free_buffer);
  lotse_status status = LOTSE_ERROR;
  try {
    status = api->quote(request_json.data(), request_json.size(), buffer.get());
  } catch (...) {
    return {kind::invalid, "quote threw a C++ exception across the C ABI instead of returning a status"};
  }
  // Read once, as for describe: every check and the copy see the same pointer and size.
  const lotse_buffer out = buffer.value();
  if (out.data == nullptr && out.size != 0) {
    return {kind::invalid, fmt::format("quote returned a buffer with NULL data but size {}", out.size)};
  }
  const auto message = [&out](std::string_view fallback) {
    std::string text = one_line(text_of(out), max_message_bytes);
    return text.empty() ? std::string(fallback) : text;
  };
  switch (static_cast<int>(status)) {
    case LOTSE_OK:
      break;
    case LOTSE_ERROR:
      return {kind::error, message("quote failed without a message")};
    case LOTSE_BAD_REQUEST:
      return {kind::bad_request, message("the plugin refused the request without a message")};
    case LOTSE_NOT_SUPPORTED:
      return {kind::not_supported, message("the plugin does not support quote")};
    default:
      return {kind::invalid, fmt::format("quote returned status {}", status_name(status))};
  }
  // Checked before the text is read, so a made-up size never sends the parser past the limit.
  if (out.size > max_description_bytes) {
    return {kind::invalid, fmt::format("the quote is {} bytes, larger than the limit of 4 MiB ({} bytes)", out.size,
                                       max_description_bytes)};
  }
  const std::string_view answer = text_of(out);
  if (const auto error = check_json(answer)) {
    return {kind::invalid, fmt::format("the quote is not valid UTF-8 JSON: {} at offset {} of {} bytes",
                                       error->message, error->offset, answer.size())};
  }
  return {kind::ok, std::string(answer)};
}

std::vector<std::filesystem::path> plugin_files(const std::filesystem::path& dir) {
  const auto unreadable = [&dir](const std::error_code& ec) {
    return std::runtime_error(fmt::format("plugin directory {} cannot be read: {}", dir.string(), ec.message()));
  };

  std::vector<std::filesystem::path> files;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    throw unreadable(ec);
  }
  for (const std::filesystem::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      throw unreadable(ec);
    }
    std::error_code type_ec;
    // is_regular_file follows symlinks, so a link to a plugin counts; a broken link or a directory does not.
    if (it->path().extension() == ".so" && it->is_regular_file(type_ec)) {
      files.push_back(it->path());
    }
  }
  if (ec) {
    throw unreadable(ec);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<load_result> load_directory(const std::filesystem::path& dir) {
  const std::vector<std::filesystem::path> files = plugin_files(dir);
  std::vector<load_result> results;
  results.reserve(files.size());
  for (const auto& file : files) {
    load_result result = load_plugin(file);
    if (const auto* failure = std::get_if<load_failure>(&result)) {
      spdlog::warn("plugin {} skipped: {}", file.string(), failure->reason);
    } else {
      const auto& loaded = std::get<loaded_plugin>(result);
      spdlog::info("plugin {} loaded (ABI {}, SDK {}, description {} bytes)", file.string(), to_string(loaded.abi),
                   loaded.sdk_version, loaded.description_json.size());
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace lotse::loader
