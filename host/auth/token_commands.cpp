#include "host/auth/token_commands.hpp"

#include "catalog/store/account_store.hpp"
#include "catalog/store/store.hpp"
#include "host/auth/auth.hpp"
#include "host/cli/command_line.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace lotse::auth {
namespace {

namespace po = boost::program_options;

using cli::add_db_option;
using cli::parse_arguments;

constexpr int default_valid_days = 90;
constexpr int max_valid_days = 3650;

// One connection is all a command needs; opening applies pending migrations like the server does.
std::unique_ptr<catalog::store> open_store(const po::variables_map& values) {
  return catalog::store::open({values["db"].as<std::string>(), 1});
}

std::string or_dash(const std::string& text) { return text.empty() ? "-" : text; }

}  // namespace

int run_token_create(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  constexpr std::string_view usage =
      "Usage: lotse-host token create --role ROLE [--org ID] [--name NAME] [--label TEXT] [--valid-days N] "
      "[--db URL]\n"
      "Issues a bearer token for the API and prints it alone on the first line (e.g. $(lotse-host token create … | "
      "head -1)).\nThe token is shown only this once: the database keeps only its SHA-256. Roles municipality "
      "(--org is the AGS),\npublisher and curator need --org, which is created if new; admin takes no --org.\n";
  po::options_description options("Options");
  options.add_options()("help,h", "print this help")                                                   //
      ("role", po::value<std::string>()->value_name("ROLE"), "municipality, publisher, curator or admin")  //
      ("org", po::value<std::string>()->value_name("ID"), "the organisation the token acts for")          //
      ("name", po::value<std::string>()->value_name("NAME"), "the organisation's name, if it is new (default: ID)")
      ("label", po::value<std::string>()->default_value("")->value_name("TEXT"), "who or what the token is for")
      ("valid-days", po::value<int>()->default_value(default_valid_days)->value_name("N"),
       "days until the token expires (1 to 3650)");
  add_db_option(options);
  const auto values = parse_arguments(args, options, {}, usage, err);
  if (!values) {
    return 2;
  }
  if (values->count("help") != 0) {
    out << usage << options;
    return 0;
  }
  const auto usage_error = [&](const std::string& problem) {
    err << "error: " << problem << "\n" << usage << options;
    return 2;
  };
  if (values->count("role") == 0) {
    return usage_error("--role ROLE is required");
  }
  const auto role_text = (*values)["role"].as<std::string>();
  const auto token_role = catalog::parse_role(role_text);
  if (!token_role) {
    return usage_error("unknown role '" + role_text + "'; expected municipality, publisher, curator or admin");
  }
  const bool has_org = values->count("org") != 0;
  if (*token_role == role::admin && (has_org || values->count("name") != 0)) {
    return usage_error("an admin token belongs to no organisation; leave out --org and --name");
  }
  if (*token_role != role::admin && !has_org) {
    return usage_error("a " + role_text + " token needs --org ID");
  }
  const int valid_days = (*values)["valid-days"].as<int>();
  if (valid_days < 1 || valid_days > max_valid_days) {
    return usage_error("--valid-days must be from 1 to " + std::to_string(max_valid_days));
  }
  const std::string organisation = has_org ? (*values)["org"].as<std::string>() : std::string();
  const std::string name = values->count("name") != 0 ? (*values)["name"].as<std::string>() : std::string();
  try {
    auto store = open_store(*values);
    catalog::account_store accounts(*store);
    const auto issued = issue_token(accounts, *token_role, organisation, name, (*values)["label"].as<std::string>(),
                                    std::chrono::hours(24) * valid_days);
    const auto& record = issued.record;
    out << issued.token << "\n"
        << "id: " << record.id << "\n"
        << "role: " << catalog::name_of(record.token_role) << "\n"
        << "organisation: " << (record.organisation.empty() ? "(none)" : record.organisation) << "\n"
        << "expires: " << record.expires_at << "\n"
        << "This token is shown only this once; store it now. Revoke it with: lotse-host token revoke " << record.id
        << "\n";
    return 0;
  } catch (const std::invalid_argument& e) {
    return usage_error(e.what());
  } catch (const std::exception& e) {
    err << "token create failed: " << e.what() << "\n";
    return 1;
  }
}

int run_token_revoke(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  constexpr std::string_view usage =
      "Usage: lotse-host token revoke ID [--db URL]\n"
      "Revokes the token with this id (as 'token list' shows it). Every host refuses it within 5 seconds.\n";
  po::options_description options("Options");
  options.add_options()("help,h", "print this help")  //
      ("id", po::value<std::vector<std::string>>()->value_name("ID"), "the token's id (tok_…)");
  add_db_option(options);
  po::positional_options_description positional;
  positional.add("id", -1);
  const auto values = parse_arguments(args, options, positional, usage, err);
  if (!values) {
    return 2;
  }
  if (values->count("help") != 0) {
    out << usage << options;
    return 0;
  }
  const auto ids =
      values->count("id") != 0 ? (*values)["id"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (ids.size() != 1) {
    err << "error: exactly one token ID is required\n" << usage << options;
    return 2;
  }
  try {
    auto store = open_store(*values);
    catalog::account_store accounts(*store);
    if (!accounts.revoke_token(ids.front())) {
      err << "token revoke: no token has the id '" << ids.front() << "' ('lotse-host token list' shows them)\n";
      return 1;
    }
    out << "revoked token " << ids.front() << "\n";
    return 0;
  } catch (const std::exception& e) {
    err << "token revoke failed: " << e.what() << "\n";
    return 1;
  }
}

int run_token_list(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  constexpr std::string_view usage =
      "Usage: lotse-host token list [--db URL]\n"
      "Lists every token (never the token itself, which is not stored): id, role, organisation, label, created,\n"
      "expires and revoked, oldest first.\n";
  po::options_description options("Options");
  options.add_options()("help,h", "print this help");
  add_db_option(options);
  const auto values = parse_arguments(args, options, {}, usage, err);
  if (!values) {
    return 2;
  }
  if (values->count("help") != 0) {
    out << usage << options;
    return 0;
  }
  std::vector<catalog::token_record> tokens;
  try {
    auto store = open_store(*values);
    tokens = catalog::account_store(*store).list_tokens();
  } catch (const std::exception& e) {
    err << "token list failed: " << e.what() << "\n";
    return 1;
  }
  if (tokens.empty()) {
    out << "no tokens\n";
    return 0;
  }
  using row = std::array<std::string, 7>;
  std::vector<row> rows{{"id", "role", "organisation", "label", "created", "expires", "revoked"}};
  for (const auto& token : tokens) {
    rows.push_back({token.id, std::string(catalog::name_of(token.token_role)), or_dash(token.organisation),
                    or_dash(token.label), token.created_at, token.expires_at, or_dash(token.revoked_at.value_or(""))});
  }
  constexpr row::size_type columns = std::tuple_size_v<row>;
  std::array<std::size_t, columns> widths{};
  for (const auto& r : rows) {
    for (row::size_type i = 0; i < columns; ++i) {
      widths[i] = std::max(widths[i], r[i].size());
    }
  }
  for (const auto& r : rows) {
    std::string line;
    for (row::size_type i = 0; i < columns; ++i) {
      line += r[i];
      if (i + 1 < columns) {
        line += std::string(widths[i] - r[i].size() + 2, ' ');
      }
    }
    out << line << "\n";
  }
  return 0;
}

}  // namespace lotse::auth
