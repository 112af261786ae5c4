// The export file of `lotse-host export` / `lotse-host import`: a store's whole contents as one JSON document, so an
// instance can move between databases (SQLite to PostgreSQL) and be backed up independently of either.
//
//   {"format": "lotse-export", "format_version": 2,
//    "providers": [{"plugin_file": "…", "provider": {…}, "solutions": [{…}]}],
//    "municipalities": [{"version": 3, "profile": {…}}],
//    "organisations": [{"id": "…", "role": "publisher", "name": "…", "created_at": "2024-05-01T12:00:00Z"}],
//    "tokens": [{"id": "tok_…", "token_sha256": "<64 hex>", "role": "…", "organisation": "…", "label": "…",
//                "created_at": "…", "expires_at": "…", "revoked_at": null}],
//    "publisher_keys": [{"key_id": "…", "organisation": "…", "document": "<the key file's JSON, as text>",
//                        "registered_at": "…", "revoked_at": null}],
//    "submissions": [{"id": 1, "organisation": "…", "provider_id": "…", "file_name": "…", "file_sha256": "<64 hex>",
//                     "size_bytes": 4096, "key_id": "…", "status": "approved", "submitted_at": "…",
//                     "updated_at": "…", "history": [{"at": "…", "status": "pending", "actor": "…", "reason": ""}],
//                     "description": "<JSON as text>", "report": "<JSON as text>", "signature": "<JSON as text>",
//                     "library_base64": "<the library, standard base64>"}],
//    "last_submission_id": 3,
//    "provider_owners": [{"provider_id": "…", "organisation": "…"}],
//    "endorsements": [{"curator": "…", "solution_id": "…", "kind": "operated_by_us", "created_at": "…"}],
//    "demand_counts": [{"solution_id": "…", "event": "excluded", "reason": "budget_annual", "count": 12}]}
//
// Providers, solutions and profiles use exactly the documents of docs/plugin-manifest.md and docs/api.md. Stored
// documents of uploads and keys travel as strings, byte for byte: a signed manifest re-serialised would no longer be
// what was signed. Times are UTC, "YYYY-MM-DDTHH:MM:SSZ", as the store keeps them. The file carries no timestamp of
// its own and every list is sorted, so exporting the same contents twice gives the same bytes.
//
// Version 1 had providers and municipalities only; it is still read, with every other section empty. The file holds
// token hashes, publisher keys and uploaded libraries: it is as sensitive as the database itself.
#pragma once

#include "catalog/domain/validation.hpp"
#include "catalog/store/store_contents.hpp"

#include <boost/json/value.hpp>

namespace lotse::catalog {

inline constexpr int transfer_format_version = 2;

boost::json::value to_json(const store_contents& contents);

// Every problem at once, each with its JSON pointer ("/municipalities/3/profile/population: …",
// "/submissions/0/status: must be one of …"), including duplicate keys, a submission counter below a submission's id
// and a provider from an upload ("submission:N") whose submission is not in the file. A file of a newer
// format_version is refused rather than half read.
domain::parsed<store_contents> parse_store_contents(const boost::json::value& json);

}  // namespace lotse::catalog
