#include "host/app/transfer_commands.hpp"

#include "catalog/store/store.hpp"
#include "catalog/store/transfer_json.hpp"
#include "host/cli/command_line.hpp"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <system_error>

namespace lotse::app {
namespace po = boost::program_options;

namespace {

struct transfer_options {
  std::string file;
  std::string db;
};

// FILE and --db (default: LOTSE_DB, then the server's default), or nullopt after printing help or a usage error.
std::optional<transfer_options> parse_options(std::string_view name, std::string_view what,
                                              std::span<const std::string> args, std::ostream& out,
                                              std::ostream& err, int& status) {
  transfer_options options;
  options.db = cli::default_database_url();
  po::options_description visible("Usage: lotse-host " + std::string(name) + " FILE [--db URL]\n" +
                                  std::string(what) + "\n\nOptions");
  visible.add_options()("help,h", "show this help and exit")(
      "db", po::value(&options.db)->default_value(options.db),
      "database, sqlite:PATH or postgresql://… (default from LOTSE_DB)");
  po::options_description all;
  all.add(visible).add_options()("file", po::value(&options.file));
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(std::vector<std::string>(args.begin(), args.end()))
                  .options(all)
                  .positional(positional)
                  .run(),
              vm);
    if (vm.count("help") != 0) {
      out << visible << '\n';
      status = 0;
      return std::nullopt;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    err << "lotse-host " << name << ": " << e.what() << "\nTry 'lotse-host " << name << " --help'.\n";
    status = 2;
    return std::nullopt;
  }
  if (options.file.empty()) {
    err << "lotse-host " << name << ": FILE is missing\nTry 'lotse-host " << name << " --help'.\n";
    status = 2;
    return std::nullopt;
  }
  return options;
}

std::size_t solution_count(const catalog::store_contents& contents) {
  std::size_t count = 0;
  for (const auto& stored : contents.providers) {
    count += stored.description.solutions.size();
  }
  return count;
}

std::string summary(const catalog::store_contents& contents) {
  return std::to_string(contents.providers.size()) + " provider(s) with " + std::to_string(solution_count(contents)) +
         " solution(s) and " + std::to_string(contents.profiles.size()) + " municipality profile(s); " +
         std::to_string(contents.organisations.size()) + " organisation(s), " +
         std::to_string(contents.tokens.size()) + " token(s), " + std::to_string(contents.publisher_keys.size()) +
         " publisher key(s), " + std::to_string(contents.submissions.size()) + " plugin submission(s), " +
         std::to_string(contents.endorsements.size()) + " endorsement(s) and " +
         std::to_string(contents.demand_counts.size()) + " demand count(s)";
}

}  // namespace

int run_export(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  int status = 0;
  const auto options = parse_options(
      "export",
      "Writes everything the database holds as JSON to FILE ('-' for standard output): the catalog, municipality\n"
      "profiles, organisations, API tokens (their SHA-256 hashes), publisher keys, plugin submissions with their\n"
      "libraries and history, provider owners, endorsements and demand counts. The file is as sensitive as the\n"
      "database; FILE is created readable by its owner only.",
      args, out, err, status);
  if (!options) {
    return status;
  }
  try {
    auto store = catalog::store::open({options->db, 1});
    const auto contents = store->export_contents();
    const std::string text = boost::json::serialize(catalog::to_json(contents)) + "\n";
    if (options->file == "-") {
      out << text << std::flush;
    } else {
      // Written beside the target and renamed over it, so a failed export never leaves half a file behind.
      const std::filesystem::path target(options->file);
      auto partial = target;
      partial += ".partial";
      {
        std::ofstream file(partial, std::ios::binary | std::ios::trunc);
        // Before anything is written: the file holds token hashes and uploaded libraries, like the database.
        std::error_code ec;
        std::filesystem::permissions(partial, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                     ec);
        file << text;
        file.close();
        if (!file) {
          std::filesystem::remove(partial);
          err << "lotse-host export: cannot write " << partial.string() << "\n";
          return 1;
        }
      }
      std::filesystem::rename(partial, target);
    }
    err << "lotse-host export: wrote " << summary(contents) << " to "
        << (options->file == "-" ? std::string("standard output") : options->file) << "\n";
    return 0;
  } catch (const std::exception& e) {
    err << "lotse-host export: " << e.what() << "\n";
    return 1;
  }
}

int run_import(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  int status = 0;
  const auto options = parse_options("import", "Loads a file written by 'lotse-host export' (format version 1 or 2) "
                                     "into an empty database\n(all or nothing).", args, out, err, status);
  if (!options) {
    return status;
  }
  std::string text;
  {
    std::ifstream file(options->file, std::ios::binary);
    if (!file) {
      err << "lotse-host import: cannot read " << options->file << "\n";
      return 1;
    }
    text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  boost::json::error_code ec;
  const auto json = boost::json::parse(text, ec);
  if (ec) {
    err << "lotse-host import: " << options->file << " is not valid JSON: " << ec.message() << "\n";
    return 1;
  }
  auto contents = catalog::parse_store_contents(json);
  if (!contents.ok()) {
    err << "lotse-host import: " << options->file << " has " << contents.errors.size()
        << " problem(s); nothing was imported:\n";
    for (const auto& error : contents.errors) {
      err << "  " << (error.pointer.empty() ? "(document)" : error.pointer) << ": " << error.message << "\n";
    }
    return 1;
  }
  try {
    auto store = catalog::store::open({options->db, 1});
    store->import_contents(contents.value);
    out << "lotse-host import: imported " << summary(contents.value) << " from " << options->file << "\n";
    return 0;
  } catch (const std::exception& e) {
    err << "lotse-host import: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace lotse::app
