// `lotse-host export FILE` and `lotse-host import FILE`: move a whole instance (catalog, profiles with their
// versions) between databases, e.g. from the embedded SQLite file to PostgreSQL. Format: catalog/store/transfer_json.hpp.
#pragma once

#include <iosfwd>
#include <span>
#include <string>

namespace lotse::app {

int run_export(std::span<const std::string> args, std::ostream& out, std::ostream& err);
int run_import(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace lotse::app
