// The plugins of a host's own directory (--plugins): the operator's, read at start-up. Each must carry a detached
// signature FILE.sig made with one of the operator's trusted keys (--trusted-keys); it is verified on the host's own
// copy, and that copy is what the runner loads. --allow-unsigned-plugins lets files without a signature load too,
// for development; a signature that is present but wrong is refused even then.
#pragma once

#include "catalog/store/store.hpp"
#include "host/runner/plugin_process.hpp"
#include "host/runner/plugin_registry.hpp"
#include "host/signing/signing.hpp"

#include <filesystem>
#include <vector>

namespace lotse::publishing {

struct local_plugin_options {
  std::filesystem::path dir;
  std::vector<signing::public_key> trusted_keys;
  bool allow_unsigned = false;
  std::filesystem::path owned_dir;
  runner::runner_options runner;
};

// Every *.public.json in dir. Throws std::runtime_error naming the file for one that cannot be read or parsed: an
// operator who lists a key means it.
std::vector<signing::public_key> read_trusted_keys(const std::filesystem::path& dir);

// What sync_local_plugins did, for the log and the tests.
struct local_sync_report {
  std::size_t loaded = 0;
  std::size_t unsigned_loaded = 0;
  std::size_t refused = 0;  // no or bad signature, does not load, invalid description, duplicate provider id
};

// Starts a runner for every acceptable plugin of the directory and writes each valid description into the store.
// A plugin that fails keeps its last good description in the store (a broken upgrade does not make solutions
// vanish); a plugin whose file is gone is removed. When two files describe the same provider, the first in file
// name order wins and the other is refused with a warning (otherwise one would silently replace the other).
local_sync_report sync_local_plugins(const local_plugin_options& options, catalog::store& store,
                                     runner::plugin_registry& registry);

}  // namespace lotse::publishing
