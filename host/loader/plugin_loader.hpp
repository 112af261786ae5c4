// The plugin loader: opens provider plugins (shared libraries written by third parties), checks them against the C
// ABI of sdk/include/lotse/sdk/plugin_abi.h and fetches their description.
//
// A broken plugin is an expected outcome, so it comes back as a load_failure naming the problem; only a plugin
// directory that cannot be read throws. The loader guards against anything a plugin *returns* (NULL pointers,
// sizes without data, bad JSON, exceptions thrown across the C ABI), but it runs plugin code in this process, so a
// plugin that crashes or corrupts memory still takes the process down. That is why the server runs this loader only
// inside plugin runner subprocesses (host/runner, docs/plugin-isolation.md), and why this library assumes nothing
// about the HTTP server and keeps no state besides the library registry.
#pragma once

#include <lotse/sdk/plugin_abi.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lotse::loader {

struct abi_version {
  std::uint32_t major;
  std::uint32_t minor;

  friend bool operator==(const abi_version&, const abi_version&) = default;
};

struct loaded_plugin {
  std::filesystem::path file;
  abi_version abi;
  std::string sdk_version;
  // Exactly the bytes describe() returned, checked to be well-formed UTF-8 JSON; its schema is the catalog's job.
  std::string description_json;
  // For the dynamic hooks (quote). Stays valid for the process lifetime because plugins are never unloaded.
  const lotse_plugin_api* api;
};

struct load_failure {
  std::filesystem::path file;
  std::string reason;  // one sentence naming the problem, e.g. "ABI major version 2 is not supported by this host ..."
};

using load_result = std::variant<loaded_plugin, load_failure>;

// The ABI version this host implements (LOTSE_ABI_MAJOR.LOTSE_ABI_MINOR of the SDK it was built with).
abi_version host_abi();

// Loads one plugin file and asks it for its description. Never throws for a broken plugin; it throws only when the
// host itself fails (e.g. std::bad_alloc). Safe to call from several threads and for the same file more than once.
load_result load_plugin(const std::filesystem::path& file);

// What a dynamic hook answered, after the same checks describe()'s answer gets.
struct hook_answer {
  enum class kind {
    ok,             // text is the answer: well-formed UTF-8 JSON of at most 4 MiB, exactly as the plugin returned it
    error,          // LOTSE_ERROR; text is the plugin's message
    bad_request,    // LOTSE_BAD_REQUEST; text is the plugin's message
    not_supported,  // LOTSE_NOT_SUPPORTED or a NULL hook; text says so
    invalid,        // the plugin broke the ABI's rules (unknown status, bad buffer, not JSON); text says how
  };
  kind status;
  std::string text;  // unless ok: one line of valid UTF-8, plugin messages cut to 200 bytes
};

// Calls the plugin's quote hook with request_json ({"solution_id": ..., "profile": {...}}). This runs plugin code in
// the calling process, so a hook that crashes or hangs takes the caller with it: the server reaches hooks only through
// a plugin runner subprocess (host/runner), which calls this. Never throws for a misbehaving plugin; thread-safe as
// far as the plugin is.
hook_answer call_quote(const loaded_plugin& plugin, std::string_view request_json);

// The files load_directory loads: regular files (or links to them) ending in ".so" directly in dir, sorted by name.
// Throws std::runtime_error like load_directory.
std::vector<std::filesystem::path> plugin_files(const std::filesystem::path& dir);

// Loads every regular file ending in ".so" directly in dir, in order of file name so results are deterministic.
// Logs one warning per failure and one info line per loaded plugin. Throws std::runtime_error if dir is missing,
// not a directory or cannot be read, because then there is nothing meaningful to return.
std::vector<load_result> load_directory(const std::filesystem::path& dir);

}  // namespace lotse::loader
