#include "host/plugin_check/plugin_check.hpp"

#include "host/cli/command_line.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/store/store.hpp"
#include "host/loader/plugin_loader.hpp"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <exception>
#include <filesystem>
#include <optional>
#include <ostream>
#include <variant>

namespace lotse::plugin_check {
namespace {

namespace po = boost::program_options;

constexpr std::string_view usage =
    "Usage: lotse-host plugin check FILE [--db URL]\n"
    "Loads the plugin FILE and validates its description against docs/plugin-manifest.md, printing every error as\n"
    "'POINTER: MESSAGE'. With --db, solution ids are also checked against the other providers in that catalog.\n"
    "Exit status 0: valid; 1: invalid or not loadable; 2: bad usage.\n";

std::string count(std::size_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

}  // namespace

domain::field_errors check_description(std::string_view description_json,
                                       const std::vector<domain::provider_description>* catalog) {
  boost::json::error_code ec;
  const auto json = boost::json::parse(description_json, ec);
  if (ec) {
    // The loader has checked this already; a caller passing other text still gets an answer instead of a throw.
    return {{"", "is not valid JSON: " + ec.message()}};
  }
  auto parsed = domain::parse_provider_description(json);
  if (catalog != nullptr) {
    // Clashes are reported for the ids that did parse, even when other fields have errors: all errors at once.
    auto clashes = domain::check_id_clashes(parsed.value, *catalog);
    parsed.errors.insert(parsed.errors.end(), clashes.begin(), clashes.end());
  }
  return std::move(parsed.errors);
}

int run_plugin_check(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  po::options_description options("Options");
  options.add_options()("help,h", "print this help")  //
      ("db", po::value<std::string>()->value_name("URL"),
       "check solution ids against this catalog (sqlite:PATH, postgresql://…)")  //
      ("file", po::value<std::vector<std::string>>()->value_name("FILE"), "the plugin (.so)");
  po::positional_options_description positional;
  positional.add("file", -1);
  const auto arguments = cli::parse_arguments(args, options, positional, usage, err);
  if (!arguments) {
    return 2;
  }
  const auto& values = *arguments;
  if (values.count("help") != 0) {
    out << usage << options;
    return 0;
  }
  const auto files =
      values.count("file") != 0 ? values["file"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (files.size() != 1) {
    err << "error: exactly one FILE is required\n" << usage << options;
    return 2;
  }
  const std::filesystem::path file = files.front();

  std::optional<std::vector<domain::provider_description>> catalog;
  if (values.count("db") != 0) {
    const auto url = values["db"].as<std::string>();
    try {
      catalog = catalog::store::open({.url = url})->load_catalog();
    } catch (const std::exception& e) {
      err << "cannot read the catalog from " << url << ": " << e.what() << "\n";
      return 1;
    }
  }

  const auto loaded = loader::load_plugin(file);
  if (const auto* failure = std::get_if<loader::load_failure>(&loaded)) {
    out << file.string() << ": the plugin does not load: " << failure->reason << "\n";
    return 1;
  }
  const auto& plugin = std::get<loader::loaded_plugin>(loaded);
  const auto errors = check_description(plugin.description_json, catalog ? &*catalog : nullptr);
  for (const auto& error : errors) {
    // The document itself has the empty pointer, which would make the line start with a bare colon.
    out << (error.pointer.empty() ? "(document)" : error.pointer) << ": " << error.message << "\n";
  }
  if (!errors.empty()) {
    out << file.string() << ": " << count(errors.size(), "error", "errors") << " in the description\n";
    return 1;
  }
  const auto parsed = domain::parse_provider_description(boost::json::parse(plugin.description_json)).value;
  out << file.string() << ": the description is valid (provider " << parsed.provider_info.id << ", "
      << count(parsed.solutions.size(), "solution", "solutions")
      << (catalog ? ", no id clashes with " + count(catalog->size(), "provider", "providers") + " in the catalog" : "")
      << ")\n";
  return 0;
}

}  // namespace lotse::plugin_check
