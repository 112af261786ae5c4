// Argument parsing shared by lotse-host's subcommands that live in the libraries (plugin check, plugin sign,
// keys generate), so they all refuse bad input the same way.
#pragma once

#include <boost/program_options.hpp>

#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::cli {

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
