// The export file of `lotse-host export` / `lotse-host import`: a store's whole contents as one JSON document, so an
// instance can move between databases (SQLite to PostgreSQL) and be backed up independently of either.
//
//   {"format": "lotse-export", "format_version": 1,
//    "providers": [{"plugin_file": "…", "provider": {…}, "solutions": [{…}]}],
//    "municipalities": [{"version": 3, "profile": {…}}]}
//
// Providers, solutions and profiles use exactly the documents of docs/plugin-manifest.md and docs/api.md. The file
// carries no timestamp, so exporting the same contents twice gives the same bytes.
#pragma once

#include "catalog/domain/validation.hpp"
#include "catalog/store/store.hpp"

#include <boost/json/value.hpp>

namespace lotse::catalog {

inline constexpr int transfer_format_version = 1;

boost::json::value to_json(const store_contents& contents);

// Every problem at once, each with its JSON pointer ("/municipalities/3/profile/population: …"), including
// duplicate provider ids and AGS. A file of a newer format_version is refused rather than half read.
domain::parsed<store_contents> parse_store_contents(const boost::json::value& json);

}  // namespace lotse::catalog
