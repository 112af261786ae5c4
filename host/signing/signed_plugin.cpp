#include "host/signing/signed_plugin.hpp"

#include <system_error>
#include <utility>
#include <variant>

namespace lotse::signing {
namespace {

// Removes a refused copy; a failure to do so must not hide the refusal's reason.
void discard(const std::filesystem::path& copy) {
  std::error_code ignored;
  std::filesystem::remove(copy, ignored);
}

}  // namespace

outcome<signed_plugin> load_signed_plugin(const std::filesystem::path& upload,
                                          const std::filesystem::path& signature_file,
                                          std::span<const public_key> registered,
                                          const std::filesystem::path& owned_dir, const plugin_load_function& load) {
  std::error_code ec;
  if (!std::filesystem::exists(signature_file, ec) && !ec) {
    return refusal{"the plugin is not signed: there is no signature file " + signature_file.string()};
  }
  // The signature is read into memory once; only the plugin file needs the owned copy.
  auto parsed = read_signature_file(signature_file);
  if (auto* problem = std::get_if<refusal>(&parsed)) {
    return std::move(*problem);
  }
  const auto& document = std::get<signature_document>(parsed);

  const auto copy = copy_into_owned_directory(upload, owned_dir);
  outcome<verified_signature> verified = refusal{};
  try {
    verified = verify_file(document, registered, copy);
  } catch (...) {
    discard(copy);
    throw;
  }
  if (auto* problem = std::get_if<refusal>(&verified)) {
    discard(copy);
    return std::move(*problem);
  }
  const auto& signature = std::get<verified_signature>(verified);

  auto loaded = load(copy);
  if (auto* failure = std::get_if<loader::load_failure>(&loaded)) {
    discard(copy);
    return refusal{"the signed plugin does not load: " + failure->reason};
  }
  auto& plugin = std::get<loader::loaded_plugin>(loaded);
  if (auto problem = verify_manifest(signature, plugin.description_json)) {
    discard(copy);
    return std::move(*problem);
  }
  return signed_plugin{std::move(plugin), signature.key_id()};
}

}  // namespace lotse::signing
