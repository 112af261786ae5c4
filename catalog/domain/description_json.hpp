// A plugin's description (one provider and its solutions) to and from JSON, with validation of every field
// (see docs/plugin-manifest.md). Also used by the store, which keeps each solution as its JSON document.
#pragma once

#include "catalog/domain/model.hpp"
#include "catalog/domain/validation.hpp"

#include <boost/json/value.hpp>

#include <string_view>
#include <vector>

namespace lotse::domain {

parsed<provider_description> parse_provider_description(const boost::json::value& json);
// One solution document; pointers in errors are relative to the solution ("/cost/setup_eur").
parsed<solution> parse_solution(const boost::json::value& json, std::string_view provider_id);
parsed<provider> parse_provider(const boost::json::value& json);

// Solution ids are unique across the whole catalog (docs/plugin-manifest.md): reports each solution of description
// whose id belongs to another provider in catalog, at /solutions/N/id. The description's own provider in catalog is
// its previous version, which the description replaces, so its ids never clash.
field_errors check_id_clashes(const provider_description& description,
                              const std::vector<provider_description>& catalog);

boost::json::value to_json(const provider_description& value);
boost::json::value to_json(const provider& value);
boost::json::value to_json(const solution& value);  // without provider_id: that belongs to the provider

}  // namespace lotse::domain
