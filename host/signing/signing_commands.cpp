#include "host/signing/signing_commands.hpp"

#include "host/cli/command_line.hpp"

#include "host/loader/plugin_loader.hpp"
#include "host/signing/signing.hpp"

#include <boost/program_options.hpp>

#include <filesystem>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string_view>
#include <variant>
#include <vector>

namespace lotse::signing {
namespace {

namespace po = boost::program_options;

using cli::parse_arguments;

}  // namespace

int run_keys_generate(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  constexpr std::string_view usage =
      "Usage: lotse-host keys generate --out DIR [--name NAME]\n"
      "Generates an Ed25519 key pair for signing plugins: DIR/NAME.secret.json (mode 0600; keep it private) and\n"
      "DIR/NAME.public.json (register it for your organisation). Existing files are never overwritten.\n";
  po::options_description options("Options");
  options.add_options()("help,h", "print this help")                                          //
      ("out", po::value<std::string>()->value_name("DIR"), "directory for the key files (created if missing)")  //
      ("name", po::value<std::string>()->value_name("NAME"), "file name stem (default: the key id)");
  const auto values = parse_arguments(args, options, {}, usage, err);
  if (!values) {
    return 2;
  }
  if (values->count("help") != 0) {
    out << usage << options;
    return 0;
  }
  if (values->count("out") == 0) {
    err << "error: --out DIR is required\n" << usage << options;
    return 2;
  }
  const std::filesystem::path dir = (*values)["out"].as<std::string>();
  try {
    auto key = secret_key::generate();
    const std::string name = values->count("name") != 0 ? (*values)["name"].as<std::string>() : key.key_id();
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
      // A directory made for a secret key is private from the start.
      std::filesystem::create_directories(dir);
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
    }
    const auto files = write_key_files(key, dir, name);
    out << "key id: " << files.key_id << "\n"
        << "secret key: " << files.secret_file.string() << " (mode 0600: keep it private, never upload it)\n"
        << "public key: " << files.public_file.string() << " (register it for your organisation)\n";
    return 0;
  } catch (const std::invalid_argument& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "keys generate failed: " << e.what() << "\n";
    return 1;
  }
}

int run_plugin_sign(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  constexpr std::string_view usage =
      "Usage: lotse-host plugin sign --key SECRET_KEY_FILE FILE [--out SIG]\n"
      "Loads the plugin FILE to read its description and writes a detached Ed25519 signature over the file's SHA-256\n"
      "and the description's SHA-256 to SIG (default FILE.sig). describe() must return the same bytes every time.\n";
  po::options_description options("Options");
  options.add_options()("help,h", "print this help")  //
      ("key", po::value<std::string>()->value_name("SECRET_KEY_FILE"), "the publisher's .secret.json")  //
      ("out", po::value<std::string>()->value_name("SIG"), "where to write the signature (default FILE.sig)")  //
      ("file", po::value<std::vector<std::string>>()->value_name("FILE"), "the plugin (.so)");
  po::positional_options_description positional;
  positional.add("file", -1);
  const auto values = parse_arguments(args, options, positional, usage, err);
  if (!values) {
    return 2;
  }
  if (values->count("help") != 0) {
    out << usage << options;
    return 0;
  }
  const auto files = values->count("file") != 0 ? (*values)["file"].as<std::vector<std::string>>()
                                                 : std::vector<std::string>{};
  if (values->count("key") == 0 || files.size() != 1) {
    const auto* problem =
        values->count("key") == 0 ? "--key SECRET_KEY_FILE is required" : "exactly one FILE is required";
    err << "error: " << problem << "\n" << usage << options;
    return 2;
  }
  const std::filesystem::path file = files.front();
  const std::filesystem::path key_file = (*values)["key"].as<std::string>();
  const std::filesystem::path signature_file =
      std::filesystem::path(values->count("out") != 0 ? (*values)["out"].as<std::string>() : file.string() + ".sig");
  try {
    auto key = read_secret_key(key_file);
    if (const auto* problem = std::get_if<refusal>(&key)) {
      err << "cannot use " << key_file.string() << ": " << problem->reason << "\n";
      return 1;
    }
    const auto loaded = loader::load_plugin(file);
    if (const auto* failure = std::get_if<loader::load_failure>(&loaded)) {
      err << "cannot load " << file.string() << ": " << failure->reason << "\n";
      return 1;
    }
    const auto& signer = std::get<secret_key>(key);
    const auto document = sign(signer, file, std::get<loader::loaded_plugin>(loaded).description_json);
    write_signature_file(signature_file, document);
    out << "signed " << file.string() << " with key " << signer.key_id() << "\n"
        << "wrote " << signature_file.string() << "\n";
    return 0;
  } catch (const std::exception& e) {
    err << "plugin sign failed: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace lotse::signing
