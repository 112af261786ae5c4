// Everything a store holds that is not derived from something else, read in one consistent snapshot: what
// `lotse-host export` writes and `lotse-host import` reads (catalog/store/transfer_json.hpp), and so what an instance
// keeps when it moves from SQLite to PostgreSQL. A header of its own because it holds the rows of account_store,
// curation_store and demand_store, whose headers include store.hpp.
#pragma once

#include "catalog/domain/model.hpp"
#include "catalog/store/account_store.hpp"
#include "catalog/store/curation_store.hpp"
#include "catalog/store/demand_store.hpp"
#include "catalog/store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::catalog {

// The rows below carry the columns the stores' own reads leave out (when a row was made, an uploaded library and
// its signature), so that a move loses nothing.
struct organisation_record : organisation {
  std::string created_at;  // ISO 8601 UTC, as sql_support's utc_timestamp
};

struct submission_record : submission {
  std::string library_base64;  // the uploaded library, exactly as stored: hosts run approved plugins from it
  std::string signature_json;
};

// Which publisher owns a provider id (curation_store::owner_of_provider).
struct provider_owner {
  std::string provider_id;
  std::string organisation;
};

struct endorsement_record : domain::endorsement {
  std::string created_at;
};

struct store_contents {
  std::vector<stored_provider> providers;            // sorted by provider id
  std::vector<versioned_profile> profiles;           // sorted by AGS
  std::vector<organisation_record> organisations;    // sorted by id
  std::vector<token_record> tokens;                  // sorted by id; SHA-256 hashes, never a token's text
  std::vector<publisher_key_record> publisher_keys;  // sorted by key_id
  std::vector<submission_record> submissions;        // sorted by id, each history oldest first
  // The submission counter: the last id handed out. New submissions are numbered after it, so it is at least the
  // largest id in `submissions`.
  std::int64_t last_submission_id = 0;
  std::vector<provider_owner> provider_owners;    // sorted by provider id
  std::vector<endorsement_record> endorsements;   // sorted by curator, then solution id
  std::vector<demand_count> demand_counts;        // sorted by solution id, event, reason
};

}  // namespace lotse::catalog
