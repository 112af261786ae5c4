// Loading an uploaded plugin only if its publisher signed it, in the one order that leaves no check-then-load race:
// copy the upload into the host's own directory, verify that copy, load that copy, then check that the description it
// returned is the signed one. Apart from signing.hpp because this runs plugin code (through a loader), which the
// signature primitives never do.
#pragma once

#include "host/loader/plugin_loader.hpp"
#include "host/signing/signing.hpp"

#include <filesystem>
#include <functional>
#include <span>
#include <string>

namespace lotse::signing {

struct signed_plugin {
  loader::loaded_plugin plugin;  // plugin.file is the verified copy in the owned directory
  std::string key_id;            // the registered key that signed it
};

// How the copy is loaded: loader::load_plugin in this process, or a runner that loads it in a subprocess.
using plugin_load_function = std::function<loader::load_result(const std::filesystem::path&)>;

// Refuses, with one sentence, an upload without a signature file, with a malformed signature, one made with an
// unregistered key, a file changed after signing, a copy that does not load, or a description other than the signed
// one; the copy is removed again then. Throws signing_error for I/O failures (an unreadable upload or signature file,
// an unusable owned_dir: see copy_into_owned_directory).
//
// When `load` runs the plugin in this process, a refusal after loading (wrong description) cannot unload it again;
// its code stays mapped but unused.
outcome<signed_plugin> load_signed_plugin(const std::filesystem::path& upload,
                                          const std::filesystem::path& signature_file,
                                          std::span<const public_key> registered,
                                          const std::filesystem::path& owned_dir,
                                          const plugin_load_function& load = loader::load_plugin);

}  // namespace lotse::signing
