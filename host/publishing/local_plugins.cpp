#include "host/publishing/local_plugins.hpp"

#include "catalog/domain/description_json.hpp"
#include "host/loader/plugin_loader.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <system_error>

namespace lotse::publishing {
namespace {

// A plugin's description failed validation: one log line naming the file, the count and the first errors.
void log_invalid_description(const std::filesystem::path& file, const domain::field_errors& errors) {
  std::string shown;
  for (std::size_t i = 0; i < errors.size() && i < 3; ++i) {
    shown += (i > 0 ? "; " : "") + errors[i].pointer + " " + errors[i].message;
  }
  spdlog::warn("plugin {} skipped: its description has {} schema error(s): {}{}", file.filename().string(),
               errors.size(), shown, errors.size() > 3 ? "; …" : "");
}

// A plugin file that may be started: the path the runner loads (the verified copy, or the file itself when unsigned
// ones are allowed) and, for a signed one, the signature its description must match.
struct candidate {
  std::filesystem::path original;
  std::filesystem::path load_path;
  std::optional<signing::verified_signature> signature;
};

}  // namespace

std::vector<signing::public_key> read_trusted_keys(const std::filesystem::path& dir) {
  std::vector<signing::public_key> keys;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    if (name.ends_with(".public.json")) {
      files.push_back(entry.path());
    }
  }
  if (ec) {
    throw std::runtime_error("cannot read the trusted keys directory " + dir.string() + ": " + ec.message());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    auto key = signing::read_public_key(file);
    if (const auto* refused = std::get_if<signing::refusal>(&key)) {
      throw std::runtime_error("trusted key " + file.string() + " is not usable: " + refused->reason);
    }
    keys.push_back(std::get<signing::public_key>(key));
  }
  return keys;
}

local_sync_report sync_local_plugins(const local_plugin_options& options, catalog::store& store,
                                     runner::plugin_registry& registry) {
  local_sync_report report;
  std::vector<std::string> present;
  std::vector<candidate> candidates;
  for (const auto& file : loader::plugin_files(options.dir)) {
    const auto name = file.filename().string();
    present.push_back(name);  // a refused file keeps its provider's last good description
    auto signature_file = file;
    signature_file += ".sig";
    std::error_code ec;
    if (!std::filesystem::exists(signature_file, ec)) {
      if (!options.allow_unsigned) {
        spdlog::warn("plugin {} refused: it has no signature {} (sign it with `lotse-host plugin sign`, or start "
                     "with --allow-unsigned-plugins for development)",
                     name, signature_file.filename().string());
        ++report.refused;
        continue;
      }
      candidates.push_back({file, file, std::nullopt});
      continue;
    }
    try {
      auto document = signing::read_signature_file(signature_file);
      if (const auto* refused = std::get_if<signing::refusal>(&document)) {
        spdlog::warn("plugin {} refused: {}", name, refused->reason);
        ++report.refused;
        continue;
      }
      auto copy = signing::copy_into_owned_directory(file, options.owned_dir);
      auto verified = signing::verify_file(std::get<signing::signature_document>(document), options.trusted_keys, copy);
      if (const auto* refused = std::get_if<signing::refusal>(&verified)) {
        spdlog::warn("plugin {} refused: {}", name, refused->reason);
        std::filesystem::remove(copy, ec);
        ++report.refused;
        continue;
      }
      candidates.push_back({file, copy, std::move(std::get<signing::verified_signature>(verified))});
    } catch (const signing::signing_error& e) {
      spdlog::warn("plugin {} refused: {}", name, e.what());
      ++report.refused;
    }
  }

  std::vector<std::filesystem::path> paths;
  for (const auto& c : candidates) {
    paths.push_back(c.load_path);
  }
  auto started = runner::start_plugins(paths, options.runner);
  std::map<std::string, std::string> provider_files;  // provider id -> the file that provides it here
  for (std::size_t i = 0; i < started.size(); ++i) {
    const auto& c = candidates[i];
    const auto name = c.original.filename().string();
    if (const auto* failure = std::get_if<loader::load_failure>(&started[i])) {
      spdlog::warn("plugin {} skipped: {}", name, failure->reason);
      ++report.refused;
      continue;
    }
    auto& plugin = std::get<runner::started_plugin>(started[i]);
    if (c.signature) {
      if (const auto refused = signing::verify_manifest(*c.signature, plugin.info.description_json)) {
        spdlog::warn("plugin {} refused: {}", name, refused->reason);
        ++report.refused;
        continue;
      }
    }
    auto parsed = domain::parse_provider_description(boost::json::parse(plugin.info.description_json));
    if (!parsed.ok()) {
      log_invalid_description(c.original, parsed.errors);
      ++report.refused;
      continue;
    }
    const auto& provider_id = parsed.value.provider_info.id;
    if (const auto [first, inserted] = provider_files.emplace(provider_id, name); !inserted) {
      spdlog::warn("plugin {} refused: provider '{}' is already provided by {} in the same directory; one provider, "
                   "one plugin file",
                   name, provider_id, first->second);
      ++report.refused;
      continue;
    }
    try {
      store.replace_provider(parsed.value, name);
      registry.put(provider_id, std::move(plugin.process));
      ++report.loaded;
      if (!c.signature) {
        ++report.unsigned_loaded;
      }
    } catch (const catalog::store_error& e) {
      spdlog::warn("plugin {} skipped: {}", name, e.what());
      ++report.refused;
    }
  }
  for (const auto& removed : store.remove_providers_except(present)) {
    spdlog::info("provider {} removed: its plugin is no longer in {}", removed, options.dir.string());
  }
  if (report.unsigned_loaded > 0) {
    spdlog::warn("{} unsigned plugin(s) loaded because of --allow-unsigned-plugins; do not use it in production",
                 report.unsigned_loaded);
  }
  spdlog::info("{} plugin(s) loaded from {}, {} refused", report.loaded, options.dir.string(), report.refused);
  return report;
}

}  // namespace lotse::publishing
