#include "host/publishing/published_plugins.hpp"

#include "host/signing/signing.hpp"

#include <spdlog/spdlog.h>

#include <set>
#include <system_error>
#include <variant>

namespace lotse::publishing {

published_plugins::published_plugins(const catalog::curation_store& curation, const catalog::account_store& accounts,
                                     runner::plugin_registry& registry, std::filesystem::path owned_dir,
                                     runner::runner_options options)
    : curation_(curation),
      accounts_(accounts),
      registry_(registry),
      owned_dir_(std::move(owned_dir)),
      options_(std::move(options)) {}

void published_plugins::sync() {
  std::lock_guard lock(mutex_);
  const auto approved = curation_.approved_submissions();
  std::set<std::string> wanted;
  for (const auto& summary : approved) {
    wanted.insert(summary.provider_id);
    const auto running = running_.find(summary.provider_id);
    if ((running != running_.end() && running->second == summary.id) || failed_.contains(summary.id)) {
      continue;
    }
    const auto fail = [&](const std::string& why) {
      spdlog::error("approved plugin {} (submission {}, provider {}) does not run on this host: {}",
                    summary.file_name, summary.id, summary.provider_id, why);
      failed_.emplace(summary.id, why);
    };
    const auto bundle = curation_.find_bundle(summary.id);
    if (!bundle) {
      continue;  // withdrawn in the meantime; the next sync sees it
    }
    const auto library = signing::from_base64(bundle->library_base64);
    auto document = signing::parse_signature(bundle->signature_json);
    if (!library || std::holds_alternative<signing::refusal>(document)) {
      fail("its stored library or signature is damaged");
      continue;
    }
    std::vector<signing::public_key> keys;
    for (const auto& record : accounts_.publisher_keys(bundle->organisation)) {
      if (auto key = signing::parse_public_key(record.document); std::holds_alternative<signing::public_key>(key)) {
        // Revoked keys too: revoking a key stops new uploads signed with it, not versions a curator approved.
        keys.push_back(std::get<signing::public_key>(key));
      }
    }
    const auto copy = signing::write_into_owned_directory(*library, bundle->file_name, owned_dir_);
    auto verified = signing::verify_file(std::get<signing::signature_document>(document), keys, copy);
    if (const auto* refused = std::get_if<signing::refusal>(&verified)) {
      fail("its signature does not verify: " + refused->reason);
      continue;
    }
    auto started = runner::start_plugin(copy, options_);
    if (const auto* failure = std::get_if<loader::load_failure>(&started)) {
      fail(failure->reason);
      continue;
    }
    auto& plugin = std::get<runner::started_plugin>(started);
    if (const auto refused =
            signing::verify_manifest(std::get<signing::verified_signature>(verified), plugin.info.description_json)) {
      fail(refused->reason);
      continue;
    }
    registry_.put(summary.provider_id, std::move(plugin.process));
    running_[summary.provider_id] = summary.id;
    spdlog::info("plugin {} (submission {}) of {} runs for provider {}", summary.file_name, summary.id,
                 summary.organisation, summary.provider_id);
  }
  for (auto it = running_.begin(); it != running_.end();) {
    if (!wanted.contains(it->first)) {
      spdlog::info("provider {}: stopped the runner of submission {}, which is no longer approved", it->first,
                   it->second);
      registry_.remove(it->first);
      it = running_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<std::int64_t> published_plugins::running_submission(const std::string& provider_id) const {
  std::lock_guard lock(mutex_);
  const auto found = running_.find(provider_id);
  return found == running_.end() ? std::nullopt : std::optional(found->second);
}

}  // namespace lotse::publishing
