#include "host/publishing/upload.hpp"

#include "catalog/domain/description_json.hpp"
#include "host/plugin_check/plugin_check.hpp"
#include "host/publishing/bundle.hpp"
#include "host/signing/signing.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <system_error>

namespace lotse::publishing {
namespace {

namespace json = boost::json;

// Removes the host's copy when the upload has been looked at: the library lives on in the database, and every host
// makes its own copy from there when the plugin is approved.
class scratch_copy {
 public:
  explicit scratch_copy(std::filesystem::path path) : path_(std::move(path)) {}
  ~scratch_copy() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  scratch_copy(const scratch_copy&) = delete;
  scratch_copy& operator=(const scratch_copy&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class report_builder {
 public:
  void passed(std::string_view check, std::string detail) { add(check, true, std::move(detail)); }

  upload_refusal refuse(std::string_view check, std::string detail, domain::field_errors errors) {
    add(check, false, detail);
    report_["valid"] = false;
    return {std::move(detail), std::move(errors), std::move(report_)};
  }

  json::object& report() { return report_; }

 private:
  void add(std::string_view check, bool ok, std::string detail) {
    checks_.push_back(json::object{{"check", check}, {"ok", ok}, {"detail", std::move(detail)}});
    report_["checks"] = checks_;
  }

  json::object report_{{"valid", true}};
  json::array checks_;
};

std::vector<signing::public_key> registered_keys(const catalog::account_store& accounts,
                                                 std::string_view organisation) {
  std::vector<signing::public_key> keys;
  for (const auto& record : accounts.publisher_keys(organisation)) {
    if (record.revoked_at) {
      continue;
    }
    auto parsed = signing::parse_public_key(record.document);
    if (auto* key = std::get_if<signing::public_key>(&parsed)) {
      keys.push_back(*key);
    } else {
      spdlog::error("publisher key {} of {} in the database does not parse: {}", record.key_id, organisation,
                    std::get<signing::refusal>(parsed).reason);
    }
  }
  return keys;
}

}  // namespace

std::variant<catalog::new_submission, upload_refusal> prepare_submission(const upload_environment& environment,
                                                                        std::string_view organisation,
                                                                        std::string_view body) {
  report_builder report;
  auto bundle = parse_bundle(body);
  if (!bundle.ok()) {
    return report.refuse("bundle", "The upload is not a valid plugin bundle.", std::move(bundle.errors));
  }
  report.passed("bundle", bundle.value.file_name + ", " + std::to_string(bundle.value.library.size()) + " bytes");

  // Signature first, on the host's own copy: nothing unsigned is ever started, not even in a runner.
  auto document = signing::parse_signature(bundle.value.signature_json);
  if (const auto* refused = std::get_if<signing::refusal>(&document)) {
    return report.refuse("signature", "The signature is not valid: " + refused->reason,
                         {{"/signature", refused->reason}});
  }
  const auto keys = registered_keys(environment.accounts, organisation);
  if (keys.empty()) {
    const std::string why = "your organisation has no registered publisher key; register the public key first "
                            "(POST /api/v1/publisher-keys)";
    return report.refuse("signature", "The plugin cannot be verified: " + why, {{"/signature", why}});
  }
  const scratch_copy copy(
      signing::write_into_owned_directory(bundle.value.library, bundle.value.file_name, environment.owned_dir));
  auto verified = signing::verify_file(std::get<signing::signature_document>(document), keys, copy.path());
  if (const auto* refused = std::get_if<signing::refusal>(&verified)) {
    return report.refuse("signature", "The signature does not verify: " + refused->reason,
                         {{"/signature", refused->reason}});
  }
  const auto& signature = std::get<signing::verified_signature>(verified);
  report.passed("signature", "signed with key " + signature.key_id() + " of " + std::string(organisation));

  auto started = runner::start_plugin(copy.path(), environment.runner);
  if (const auto* failure = std::get_if<loader::load_failure>(&started)) {
    // The loader names the file it opened: the host's private copy, whose path is none of the publisher's business.
    auto reason = failure->reason;
    const auto private_path = copy.path().string();
    for (auto at = reason.find(private_path); at != std::string::npos; at = reason.find(private_path)) {
      reason.replace(at, private_path.size(), bundle.value.file_name);
    }
    return report.refuse("load", "The plugin does not load: " + reason, {{"/library", reason}});
  }
  // The runner is stopped when `plugin` goes out of scope: the description is all an upload needs.
  const auto plugin = std::move(std::get<runner::started_plugin>(started));
  const auto& info = plugin.info;
  report.passed("load", "ABI " + std::to_string(info.abi.major) + "." + std::to_string(info.abi.minor) + ", SDK " +
                            info.sdk_version + (info.has_quote ? ", with a quote hook" : ", without a quote hook"));
  report.report()["abi"] = std::to_string(info.abi.major) + "." + std::to_string(info.abi.minor);
  report.report()["sdk_version"] = info.sdk_version;
  report.report()["has_quote"] = info.has_quote;

  if (const auto refused = signing::verify_manifest(signature, info.description_json)) {
    return report.refuse("manifest", "The description is not the signed one: " + refused->reason,
                         {{"/signature", refused->reason}});
  }
  report.passed("manifest", "the description is the signed one");

  auto errors = plugin_check::check_description(info.description_json, &environment.catalog);
  if (!errors.empty()) {
    const auto count = errors.size();
    return report.refuse("schema",
                         "The plugin's description has " + std::to_string(count) + " error(s); each is listed.",
                         std::move(errors));
  }
  auto description = domain::parse_provider_description(json::parse(info.description_json));
  const auto& provider = description.value.provider_info;
  json::array solution_ids;
  for (const auto& solution : description.value.solutions) {
    solution_ids.emplace_back(solution.id);
  }
  report.report()["provider"] = json::object{{"id", provider.id}, {"name", provider.name}};
  report.report()["solutions"] = std::move(solution_ids);
  report.passed("schema", "provider '" + provider.id + "' with " + std::to_string(description.value.solutions.size()) +
                              " solution(s)");

  // A provider id belongs to the publisher whose first version was approved; one that is in the catalog without an
  // owner comes from a host's plugin directory. Either way another publisher cannot take it over.
  const auto owner = environment.curation.owner_of_provider(provider.id);
  const bool in_catalog = std::any_of(environment.catalog.begin(), environment.catalog.end(),
                                      [&](const auto& p) { return p.provider_info.id == provider.id; });
  if ((owner && *owner != organisation) || (!owner && in_catalog)) {
    const std::string why = "the provider id '" + provider.id + "' belongs to " +
                            (owner ? std::string("another publisher") : std::string("a plugin installed on the host"));
    return report.refuse("ownership", "The plugin cannot be accepted: " + why + ".", {{"/provider/id", why}});
  }
  report.passed("ownership", owner ? "a new version of your provider '" + provider.id + "'"
                                   : "provider id '" + provider.id + "' is free; approval makes it yours");

  catalog::new_submission submission;
  submission.organisation = organisation;
  submission.provider_id = provider.id;
  submission.file_name = bundle.value.file_name;
  submission.file_sha256 = signature.document().file_sha256;
  submission.size_bytes = static_cast<std::int64_t>(bundle.value.library.size());
  submission.key_id = signature.key_id();
  submission.library_base64 = signing::to_base64(bundle.value.library);
  submission.signature_json = bundle.value.signature_json;
  submission.description_json = info.description_json;
  submission.report_json = json::serialize(report.report());
  return submission;
}

}  // namespace lotse::publishing
