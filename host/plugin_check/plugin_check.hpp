// `lotse-host plugin check FILE`: loads one plugin and reports every problem of its description at once, one line
// per error ("/solutions/2/cost/setup_eur: must be a number ≥ 0") and a summary, without starting a server. Plugin
// authors run it before signing and uploading; the host applies the same validation when it loads the plugin.
#pragma once

#include "catalog/domain/model.hpp"
#include "catalog/domain/validation.hpp"

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::plugin_check {

// Every error of a description as the loader returned it (well-formed JSON), in document order; with a catalog also
// each solution id that another provider there already uses.
domain::field_errors check_description(std::string_view description_json,
                                       const std::vector<domain::provider_description>* catalog = nullptr);

// `plugin check FILE [--db URL]` (args: the words after "plugin check"). Prints the report to out; exit status 0
// when the plugin loads and its description is valid, 1 when not (also when it does not load, with the loader's
// reason), 2 for bad usage. With --db the store's catalog is read for id clashes (opening the store applies pending
// migrations, as the host's start-up does).
int run_plugin_check(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace lotse::plugin_check
