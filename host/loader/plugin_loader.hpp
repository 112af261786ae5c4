// The plugin loader: opens provider plugins (shared libraries written by third parties), checks them against the C
// ABI of sdk/include/lotse/sdk/plugin_abi.h and fetches their description.
//
// A broken plugin is an expected outcome, so it comes back as a load_failure naming the problem; only a plugin
// directory that cannot be read throws. The loader guards against anything a plugin *returns* (NULL pointers,
// sizes without data, bad JSON, exceptions thrown across the C ABI), but it runs plugin code in this process, so a
// plugin that crashes or corrupts memory still takes the process down. Moving loading into a subprocess is planned;
// that is why this library assumes nothing about the HTTP server and keeps no state besides the library registry.
#pragma once

#include <lotse/sdk/plugin_abi.h>

#include <cstdint>
#include <filesystem>
#include <string>
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

// Loads every regular file ending in ".so" directly in dir, in order of file name so results are deterministic.
// Logs one warning per failure and one info line per loaded plugin. Throws std::runtime_error if dir is missing,
// not a directory or cannot be read, because then there is nothing meaningful to return.
std::vector<load_result> load_directory(const std::filesystem::path& dir);

}  // namespace lotse::loader
