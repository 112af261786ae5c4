// Publishing and curation (docs/curation.md): plugins uploaded by publishers wait as submissions until a curator
// approves or rejects them; approving one writes its provider into the catalog (replacing the provider's previous
// version), withdrawing one takes its solutions out. Curators' endorsements live here too. Every change that alters
// what matching sees moves store::catalog_revision(), so every host's watcher swaps in a new snapshot.
//
// Thread-safe, like store. Expected outcomes (an unknown id, a submission in the wrong state, a provider id owned by
// another publisher) are return values; store_error / store_unavailable as in store.hpp.
#pragma once

#include "catalog/domain/model.hpp"
#include "catalog/store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::catalog {

// pending → approved | rejected | withdrawn; approved → superseded (a newer version was approved) | withdrawn.
enum class submission_status { pending, approved, rejected, superseded, withdrawn };

std::string_view name_of(submission_status status);
std::optional<submission_status> parse_submission_status(std::string_view text);

struct submission_event {
  std::string at;  // ISO 8601 UTC
  submission_status status = submission_status::pending;
  std::string actor;   // organisation id, or "admin"
  std::string reason;  // "" where none was given
};

struct submission_summary {
  std::int64_t id = 0;
  std::string organisation;  // the publisher
  std::string provider_id;
  std::string file_name;
  std::string file_sha256;
  std::int64_t size_bytes = 0;
  std::string key_id;  // the publisher key that signed it
  submission_status status = submission_status::pending;
  std::string submitted_at;
  std::string updated_at;
};

struct submission : submission_summary {
  std::string description_json;  // exactly the bytes the plugin's describe() returned (the signed manifest)
  std::string report_json;       // the validation report made at upload (host/publishing)
  std::vector<submission_event> history;  // oldest first; the first is "pending"
};

// What a host needs to run an approved plugin: the bytes and the signature to verify them with again.
struct submission_bundle {
  std::int64_t id = 0;
  std::string organisation;
  std::string provider_id;
  std::string file_name;
  std::string file_sha256;
  std::string library_base64;
  std::string signature_json;
  std::string description_json;
};

struct new_submission {
  std::string organisation;
  std::string provider_id;
  std::string file_name;
  std::string file_sha256;
  std::int64_t size_bytes = 0;
  std::string key_id;
  std::string library_base64;
  std::string signature_json;
  std::string description_json;
  std::string report_json;
};

enum class transition_outcome {
  done,
  not_found,
  wrong_state,  // e.g. approving a rejected submission; `status` says what it is
  conflict,     // the provider id belongs to another publisher or to a plugin installed on the host; see `message`
};
struct transition_result {
  transition_outcome outcome = transition_outcome::done;
  submission_status status = submission_status::pending;  // the submission's status afterwards
  std::string message;                                     // for conflict
};

// The plugin_file a provider written by approve() carries in the providers table. Providers from a host's plugin
// directory carry a plain file name, which never starts with this.
inline constexpr std::string_view submission_file_prefix = "submission:";

class curation_store {
 public:
  explicit curation_store(const store& s);

  // Stores a new pending submission and its first history entry; returns its id (1, 2, …, across all hosts).
  std::int64_t add_submission(const new_submission& submission);
  std::optional<submission> find_submission(std::int64_t id) const;
  // Newest first. Filters are optional.
  std::vector<submission_summary> list_submissions(std::optional<std::string_view> organisation = std::nullopt,
                                                   std::optional<submission_status> status = std::nullopt) const;

  // The publisher that owns the provider id (set by its first approval), if any.
  std::optional<std::string> owner_of_provider(std::string_view provider_id) const;
  // The provider ids an organisation owns, sorted.
  std::vector<std::string> owned_providers(std::string_view organisation) const;

  // Approves a pending submission in one transaction: claims the provider id for its publisher (conflict if another
  // owns it, or a host's plugin directory provides it), writes `description` (the submission's parsed description)
  // as the provider, marks the previously approved version superseded, records the event, moves the revision.
  // Throws std::invalid_argument for a description that does not validate or names another provider.
  transition_result approve(std::int64_t id, const domain::provider_description& description, std::string_view actor,
                            std::string_view reason);
  transition_result reject(std::int64_t id, std::string_view actor, std::string_view reason);
  // Pending or approved → withdrawn; withdrawing the approved version removes the provider and its solutions.
  transition_result withdraw(std::int64_t id, std::string_view actor, std::string_view reason);

  // The approved submissions (one per provider), sorted by provider id; the bytes are fetched by find_bundle only
  // for those a host does not run yet.
  std::vector<submission_summary> approved_submissions() const;
  std::optional<submission_bundle> find_bundle(std::int64_t id) const;

  // One endorsement per (curator, solution); putting another kind replaces it. Moves the catalog revision.
  void put_endorsement(const domain::endorsement& endorsement);
  // false when there was none.
  bool remove_endorsement(std::string_view curator, std::string_view solution_id);
  // Sorted by curator, then solution; only this curator's when given.
  std::vector<domain::endorsement> endorsements(std::optional<std::string_view> curator = std::nullopt) const;

 private:
  const store& store_;
};

}  // namespace lotse::catalog
