#include "host/publishing/bundle.hpp"

#include "host/cli/command_line.hpp"
#include "host/signing/signing.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <iterator>
#include <ostream>
#include <sstream>
#include <vector>

namespace lotse::publishing {
namespace {

namespace json = boost::json;
namespace po = boost::program_options;

bool plain_so_name(std::string_view name) {
  if (name.size() < 4 || name.size() > 255 || !name.ends_with(".so") || name.front() == '.') {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) {
    return std::nullopt;
  }
  return std::move(bytes).str();
}

}  // namespace


domain::parsed<plugin_bundle> parse_bundle(std::string_view json_text) {
  domain::parsed<plugin_bundle> result;
  auto& errors = result.errors;
  json::error_code ec;
  const auto document = json::parse(json_text, ec);
  if (ec) {
    errors.push_back({"", "is not JSON (" + ec.message() + ")"});
    return result;
  }
  const auto* object = document.if_object();
  if (object == nullptr) {
    errors.push_back({"", "must be an object with format, file_name, library and signature"});
    return result;
  }
  for (const auto& [key, value] : *object) {
    if (key != "format" && key != "file_name" && key != "library" && key != "signature") {
      errors.push_back({domain::append_pointer("", key), "is not a member of a plugin bundle"});
    }
  }
  const auto* format = object->if_contains("format");
  if (format == nullptr || !format->is_string() || format->get_string() != bundle_format) {
    errors.push_back({"/format", "must be \"" + std::string(bundle_format) + "\""});
  }
  const auto* file_name = object->if_contains("file_name");
  if (file_name == nullptr || !file_name->is_string() || !plain_so_name(file_name->get_string())) {
    errors.push_back({"/file_name", "must be a plain file name ending in .so (letters, digits, . _ -)"});
  } else {
    result.value.file_name = file_name->get_string();
  }
  const auto* library = object->if_contains("library");
  if (library == nullptr || !library->is_string() || library->get_string().empty()) {
    errors.push_back({"/library", "must be the plugin library as standard base64"});
  } else if (auto bytes = signing::from_base64(library->get_string())) {
    result.value.library = std::move(*bytes);
  } else {
    errors.push_back({"/library", "is not valid standard base64"});
  }
  const auto* signature = object->if_contains("signature");
  if (signature == nullptr || !signature->is_object()) {
    errors.push_back({"/signature", "must be the signature document (the FILE.sig that `lotse-host plugin sign` "
                                    "writes)"});
  } else {
    result.value.signature_json = json::serialize(*signature);
  }
  return result;
}

std::string bundle_json(std::string_view file_name, std::string_view library, std::string_view signature_json) {
  json::object document;
  document["format"] = bundle_format;
  document["file_name"] = file_name;
  document["library"] = signing::to_base64(library);
  document["signature"] = json::parse(signature_json);
  return json::serialize(document);
}

int run_plugin_bundle(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  constexpr std::string_view usage =
      "Usage: lotse-host plugin bundle FILE [--signature SIG] [--out OUT]\n"
      "Packs the plugin FILE and its signature SIG (default FILE.sig) into one upload document OUT (default\n"
      "FILE.bundle.json) for POST /api/v1/plugins.\n";
  po::options_description options("Options");
  options.add_options()("help,h", "print this help")  //
      ("signature", po::value<std::string>()->value_name("SIG"), "the signature file (default FILE.sig)")  //
      ("out", po::value<std::string>()->value_name("OUT"), "where to write the bundle (default FILE.bundle.json)")  //
      ("file", po::value<std::vector<std::string>>()->value_name("FILE"), "the plugin (.so)");
  po::positional_options_description positional;
  positional.add("file", -1);
  const auto values = cli::parse_arguments(args, options, positional, usage, err);
  if (!values) {
    return 2;
  }
  if (values->count("help") != 0) {
    out << usage << options;
    return 0;
  }
  const auto files = values->count("file") != 0 ? (*values)["file"].as<std::vector<std::string>>()
                                                 : std::vector<std::string>{};
  if (files.size() != 1) {
    err << "error: exactly one FILE is required\n" << usage << options;
    return 2;
  }
  const std::filesystem::path file = files.front();
  const std::filesystem::path signature_file =
      values->count("signature") != 0 ? (*values)["signature"].as<std::string>() : file.string() + ".sig";
  const std::filesystem::path out_file =
      values->count("out") != 0 ? (*values)["out"].as<std::string>() : file.string() + ".bundle.json";
  const auto name = file.filename().string();
  if (!plain_so_name(name)) {
    err << "cannot bundle " << file.string() << ": the file name must end in .so and use only letters, digits, "
        << ". _ -\n";
    return 1;
  }
  const auto library = read_file(file);
  if (!library) {
    err << "cannot read " << file.string() << "\n";
    return 1;
  }
  const auto signature = read_file(signature_file);
  if (!signature) {
    err << "cannot read " << signature_file.string() << " (sign the plugin first: lotse-host plugin sign --key "
        << "SECRET_KEY_FILE " << file.string() << ")\n";
    return 1;
  }
  json::error_code ec;
  json::parse(*signature, ec);
  if (ec) {
    err << signature_file.string() << " is not a signature document (not JSON: " << ec.message() << ")\n";
    return 1;
  }
  const auto document = bundle_json(name, *library, *signature);
  if (document.size() > max_bundle_bytes) {
    err << "the bundle would be " << document.size() << " bytes; uploads are limited to " << max_bundle_bytes
        << " bytes (a library of about " << max_bundle_bytes / 4 * 3 / (1024 * 1024) << " MiB)\n";
    return 1;
  }
  std::ofstream output(out_file, std::ios::binary | std::ios::trunc);
  output << document;
  output.close();
  if (!output) {
    err << "cannot write " << out_file.string() << "\n";
    return 1;
  }
  out << "wrote " << out_file.string() << " (" << document.size() << " bytes)\n";
  return 0;
}

}  // namespace lotse::publishing
