// The upload format of a signed plugin (docs/sdk.md, "Publishing"): one JSON document carrying the library, its
// file name and its detached signature, so that a publisher uploads one file with one request:
//   {"format": "lotse-plugin-bundle-v1", "file_name": "my_plugin.so",
//    "library": "<standard base64 of the .so>", "signature": { …the FILE.sig document… }}
// `lotse-host plugin bundle FILE` writes it from FILE and FILE.sig.
#pragma once

#include "catalog/domain/validation.hpp"

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

namespace lotse::publishing {

inline constexpr std::string_view bundle_format = "lotse-plugin-bundle-v1";

// What an upload request may carry: the HTTP body limit of POST /api/v1/plugins. The library inside is at most
// about three quarters of it (base64).
inline constexpr std::size_t max_bundle_bytes = 20 * 1024 * 1024;

struct plugin_bundle {
  std::string file_name;       // a plain file name ending in ".so"
  std::string library;         // the raw bytes
  std::string signature_json;  // the signature document, serialized
};

// Every problem of the document at once, each at its JSON pointer (/file_name, /library, /signature, …).
domain::parsed<plugin_bundle> parse_bundle(std::string_view json_text);

// The bundle document for a library and its signature document (already serialized JSON).
std::string bundle_json(std::string_view file_name, std::string_view library, std::string_view signature_json);


// `plugin bundle FILE [--signature SIG] [--out OUT]`: reads FILE and SIG (default FILE.sig), writes OUT (default
// FILE.bundle.json). Exit status 0, 1 when a file cannot be read or written or the bundle would exceed the upload
// limit, 2 for bad usage.
int run_plugin_bundle(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace lotse::publishing
