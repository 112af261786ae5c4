// Argument parsing shared by lotse-host's subcommands (plugin check, plugin sign, keys generate, token …, export,
// import), so they all refuse bad input the same way and find their database the same way.
#pragma once

#include <boost/program_options.hpp>

#include <cstdlib>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::cli {

// The database a subcommand works on when --db is not given: LOTSE_DB, as for the server, then the server's default.
inline std::string default_database_url() {
  const char* env_db = std::getenv("LOTSE_DB");
  return env_db != nullptr && *env_db != '\0' ? env_db : "sqlite:lotse.db";
}

// --db URL with that default, for subcommands that always need a database.
inline void add_db_option(boost::program_options::options_description& options) {
  options.add_options()("db",
                        boost::program_options::value<std::string>()->default_value(default_database_url())
                            ->value_name("URL"),
                        "database, sqlite:PATH or postgresql://… (default from LOTSE_DB)");
}

// Parses a subcommand's arguments; nullopt after printing the problem and the usage to err. Abbreviated option
// names are not guessed, so a typo cannot silently select another option.
inline std::optional<boost::program_options::variables_map> parse_arguments(
    std::span<const std::string> args, const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description& positional, std::string_view usage,
    std::ostream& err) {
  namespace po = boost::program_options;
  try {
    po::variables_map values;
    po::store(po::command_line_parser(std::vector<std::string>(args.begin(), args.end()))
                  .options(options)
                  .positional(positional)
                  .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
                  .run(),
              values);
    po::notify(values);
    return values;
  } catch (const po::error& e) {
    err << "error: " << e.what() << "\n" << usage << options;
    return std::nullopt;
  }
}

}  // namespace lotse::cli
