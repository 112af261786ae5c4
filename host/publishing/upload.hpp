// What happens to an uploaded plugin before a curator sees it (docs/curation.md): the bundle is written into the
// host's own directory, its signature verified there against the publisher's registered keys, the verified copy
// started in a runner (never in this process) to read its description, that description checked against the signed
// manifest hash and validated like `lotse-host plugin check` does, and the runner stopped again. The outcome is a
// pending submission with its report, or a refusal listing every problem found.
#pragma once

#include "catalog/domain/model.hpp"
#include "catalog/domain/validation.hpp"
#include "catalog/store/account_store.hpp"
#include "catalog/store/curation_store.hpp"
#include "host/runner/plugin_process.hpp"

#include <boost/json/object.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lotse::publishing {

struct upload_environment {
  const catalog::account_store& accounts;
  const catalog::curation_store& curation;
  // The catalog as matching sees it now, for solution-id clashes and provider ids that belong to someone else.
  const std::vector<domain::provider_description>& catalog;
  std::filesystem::path owned_dir;  // private to this host (signing::copy_into_owned_directory's rules)
  runner::runner_options runner;
};

// Why an upload was not accepted: every problem as {pointer, message} (pointers into the bundle: /library,
// /signature; into the description: /solutions/2/id, …) and the report of the checks that ran.
struct upload_refusal {
  std::string detail;  // one sentence for the problem's detail
  domain::field_errors errors;
  boost::json::object report;
};

// Checks the bundle (the request body) of `organisation`'s upload. Throws only when the host itself fails (its owned
// directory is unusable, the store is unavailable).
std::variant<catalog::new_submission, upload_refusal> prepare_submission(const upload_environment& environment,
                                                                        std::string_view organisation,
                                                                        std::string_view body);

}  // namespace lotse::publishing
