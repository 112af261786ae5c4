// The path docs/sdk.md walks a start-up through, end to end: `cmake --install --component sdk` into a fresh prefix,
// sdk/template configured and built out of tree against nothing but that prefix, and the result loaded by the host's
// loader and checked by the host's validator. If this breaks, it breaks here first and not for a start-up.
#include "catalog/domain/description_json.hpp"
#include "host/loader/plugin_loader.hpp"
#include "tests/integration/host_process.hpp"
#include "tests/support/http_client.hpp"

#include <lotse/sdk/plugin.hpp>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace lotse {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const fs::path source_dir{LOTSE_SOURCE_DIR};
const fs::path binary_dir{LOTSE_BINARY_DIR};
const std::string cmake{LOTSE_CMAKE_COMMAND};
const std::string nm{LOTSE_NM_COMMAND};

// A fresh directory for one test, removed at its end whatever the outcome.
class scratch_dir {
 public:
  scratch_dir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() / ("lotse-sdk-" + std::string(test->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  ~scratch_dir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The command line as one could paste it into a shell, so a failure can be reproduced by hand.
std::string shell_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    line += line.empty() ? "" : " ";
    if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:") ==
                            std::string::npos) {
      line += arg;
    } else {
      line += "'";
      for (const char c : arg) {
        line += c == '\'' ? std::string("'\\''") : std::string(1, c);
      }
      line += "'";
    }
  }
  return line;
}

struct command_result {
  std::string command;
  int status = -1;     // exit status; 128 + signal number if a signal ended it
  std::string output;  // stdout and stderr interleaved

  std::string report() const { return "$ " + command + "\n(exit status " + std::to_string(status) + ")\n" + output; }
};

// Runs argv without a shell (no quoting can go wrong), output into log_file. DESTDIR is dropped from the environment
// because it would silently move every install away from the prefix the test looks at.
command_result run(const std::vector<std::string>& argv, const fs::path& log_file) {
  command_result result;
  result.command = shell_line(argv);
  std::vector<char*> args;
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  std::vector<char*> env;
  for (char** var = environ; *var != nullptr; ++var) {
    if (std::string_view(*var).substr(0, 8) != "DESTDIR=") {
      env.push_back(*var);
    }
  }
  env.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int error = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    result.output = std::string("cannot start: ") + std::strerror(error);
    return result;
  }
  int wait_status = 0;
  while (::waitpid(pid, &wait_status, 0) < 0) {
    if (errno != EINTR) {
      result.output = std::string("waitpid failed: ") + std::strerror(errno);
      return result;
    }
  }
  result.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
  result.output = read_file(log_file);
  return result;
}

// `cmake --install` of this build's SDK component into dir/prefix, exactly as docs/sdk.md tells a start-up.
command_result install_sdk(const fs::path& dir) {
  return run({cmake, "--install", binary_dir.string(), "--component", "sdk", "--prefix", (dir / "prefix").string()},
             dir / "install.log");
}

// Configures a generated project that asks for the given SDK version, against dir/prefix only. It enables C++ like a
// real plugin project: without a language CMake does not know the library architecture and cannot find Boost.
command_result configure_requiring(const fs::path& dir, const std::string& version) {
  const fs::path project = dir / ("wants-" + version);
  fs::create_directories(project);
  std::ofstream(project / "CMakeLists.txt") << "cmake_minimum_required(VERSION 3.25)\n"
                                            << "project(wants_lotse_sdk LANGUAGES CXX)\n"
                                            << "find_package(LotseSDK " << version << " REQUIRED)\n";
  return run({cmake, "-S", project.string(), "-B", (project / "build").string(),
              "-DCMAKE_PREFIX_PATH=" + (dir / "prefix").string()},
             project / "configure.log");
}

std::string cache_entry(const fs::path& build_dir, const std::string& name) {
  std::istringstream cache(read_file(build_dir / "CMakeCache.txt"));
  for (std::string line; std::getline(cache, line);) {
    if (line.rfind(name + ":", 0) == 0) {
      return line.substr(line.find('=') + 1);
    }
  }
  return {};
}

// Every file under prefix, by relative path, with its content.
std::map<std::string, std::string> installed_files(const fs::path& prefix) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(prefix)) {
    if (entry.is_regular_file()) {
      files.emplace(entry.path().lexically_relative(prefix).string(), read_file(entry.path()));
    }
  }
  return files;
}

bool is_inside(const fs::path& path, const fs::path& dir) {
  const auto relative = fs::weakly_canonical(path).lexically_relative(fs::weakly_canonical(dir));
  return !path.empty() && !relative.empty() && *relative.begin() != "..";
}

std::string error_list(const domain::field_errors& errors) {
  std::string out;
  for (const auto& error : errors) {
    out += "\n  " + error.pointer + " " + error.message;
  }
  return out;
}

TEST(sdk_install, installs_the_headers_and_package_files_and_nothing_else) {
  const scratch_dir dir;
  const auto install = install_sdk(dir.path());
  ASSERT_EQ(install.status, 0) << install.report();

  std::set<std::string> headers;
  std::set<std::string> package_files;
  std::vector<std::string> strays;
  for (const auto& [name, content] : installed_files(dir.path() / "prefix")) {
    const fs::path relative{name};
    const auto parent = relative.parent_path();
    if (parent == "include/lotse/sdk") {
      headers.insert(relative.filename().string());
    } else if (parent.filename() == "LotseSDK" && parent.parent_path().filename() == "cmake") {
      // The package directory is <libdir>/cmake/LotseSDK; libdir depends on the platform (lib, lib64, lib/<triplet>).
      package_files.insert(relative.filename().string());
    } else {
      strays.push_back(name);
    }
  }
  std::set<std::string> source_headers;
  for (const auto& entry : fs::directory_iterator(source_dir / "sdk/include/lotse/sdk")) {
    source_headers.insert(entry.path().filename().string());
  }
  EXPECT_EQ(headers, source_headers);
  EXPECT_THAT(strays, IsEmpty()) << "--component sdk must install the SDK alone\n" << install.report();
  EXPECT_EQ(package_files, (std::set<std::string>{"LotseSDKConfig.cmake", "LotseSDKConfigVersion.cmake",
                                                  "LotseSDKTargets.cmake", "LotseSDK.cmake", "lotse_plugin.map"}));
}

// docs/sdk.md lets a start-up configure sdk/ alone, without the host's dependencies; it must get the very same files.
TEST(sdk_install, sdk_folder_configured_alone_installs_the_same_files) {
  const scratch_dir dir;
  const auto install = install_sdk(dir.path());
  ASSERT_EQ(install.status, 0) << install.report();

  const fs::path build = dir.path() / "sdk-build";
  const auto configure = run({cmake, "-S", (source_dir / "sdk").string(), "-B", build.string(), "-G", "Ninja"},
                             dir.path() / "configure.log");
  ASSERT_EQ(configure.status, 0) << configure.report();
  const auto alone = run({cmake, "--install", build.string(), "--component", "sdk", "--prefix",
                          (dir.path() / "prefix-alone").string()},
                         dir.path() / "install-alone.log");
  ASSERT_EQ(alone.status, 0) << alone.report();

  const auto expected = installed_files(dir.path() / "prefix");
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(installed_files(dir.path() / "prefix-alone"), expected) << alone.report();
}

TEST(sdk_install, template_builds_out_of_tree_and_loads_as_a_valid_plugin) {
  const scratch_dir dir;
  const auto install = install_sdk(dir.path());
  ASSERT_EQ(install.status, 0) << install.report();

  const fs::path build = dir.path() / "build";
  // Warnings as errors: the template is what start-ups copy, so it has to be clean under the usual warning flags.
  const auto configure = run({cmake, "-S", (source_dir / "sdk/template").string(), "-B", build.string(), "-G", "Ninja",
                              "-DCMAKE_PREFIX_PATH=" + (dir.path() / "prefix").string(), "-DCMAKE_BUILD_TYPE=Release",
                              "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Werror"},
                             dir.path() / "configure.log");
  ASSERT_EQ(configure.status, 0) << configure.report();
  // A LotseSDK installed elsewhere on the machine must not be what the template found.
  EXPECT_TRUE(is_inside(cache_entry(build, "LotseSDK_DIR"), dir.path() / "prefix")) << configure.report();
  const auto compile = run({cmake, "--build", build.string()}, dir.path() / "build.log");
  ASSERT_EQ(compile.status, 0) << compile.report();

  const fs::path file = build / "my_plugin.so";
  const loader::load_result result = loader::load_plugin(file);
  if (const auto* failure = std::get_if<loader::load_failure>(&result)) {
    FAIL() << file << " did not load: " << failure->reason;
  }
  const auto& plugin = std::get<loader::loaded_plugin>(result);
  EXPECT_EQ(plugin.abi, loader::host_abi());
  EXPECT_EQ(plugin.sdk_version, lotse::sdk::sdk_version);

  // The host's own validator, so the template can never drift away from what the catalog accepts.
  const auto description = domain::parse_provider_description(boost::json::parse(plugin.description_json));
  ASSERT_TRUE(description.ok()) << "the template's description has errors:" << error_list(description.errors)
                                << "\n" << plugin.description_json;
  EXPECT_EQ(description.value.provider_info.kind, domain::provider_kind::startup);
  ASSERT_EQ(description.value.solutions.size(), 1U);

  // The linker's view, not the loader's: lotse_plugin_entry must be the only symbol another library could bind to.
  const auto symbols = run({nm, "-D", "--defined-only", file.string()}, dir.path() / "nm.log");
  ASSERT_EQ(symbols.status, 0) << symbols.report();
  std::vector<std::string> exported;
  std::istringstream lines(symbols.output);
  for (std::string line; std::getline(lines, line);) {
    if (const auto last_space = line.rfind(' '); last_space != std::string::npos) {
      exported.push_back(line.substr(last_space + 1));
    }
  }
  EXPECT_EQ(exported, std::vector<std::string>{"lotse_plugin_entry"}) << symbols.report();

  // The template's quote example, through the C ABI as the host will call it.
  ASSERT_NE(plugin.api->quote, nullptr);
  const std::string request = boost::json::serialize(boost::json::object{
      {"solution_id", description.value.solutions.front().id}, {"profile", boost::json::object{{"population", 4000}}}});
  lotse_buffer answer{nullptr, 0};
  const lotse_status status = plugin.api->quote(request.data(), request.size(), &answer);
  const std::string answer_text(answer.data == nullptr ? "" : answer.data, answer.size);
  plugin.api->free_buffer(&answer);
  ASSERT_EQ(status, LOTSE_OK) << answer_text;
  const auto quote = boost::json::parse(answer_text);
  ASSERT_TRUE(quote.is_object()) << answer_text;
  const auto* annual = quote.get_object().if_contains("annual_eur");
  ASSERT_NE(annual, nullptr) << answer_text;
  EXPECT_TRUE(annual->is_number()) << answer_text;
}


// Acceptance of the plugin lifecycle, following docs/sdk.md step by step: the template built out of tree is checked,
// signed and bundled with lotse-host's commands, its key registered and the bundle uploaded over HTTP with a
// publisher token, approved by a curator, and its solution is matched by the running host without a restart.
TEST(sdk_install, template_is_signed_uploaded_approved_and_matched_without_a_restart) {
  const scratch_dir dir;
  ASSERT_EQ(install_sdk(dir.path()).status, 0);
  const fs::path build = dir.path() / "build";
  ASSERT_EQ(run({cmake, "-S", (source_dir / "sdk/template").string(), "-B", build.string(), "-G", "Ninja",
                 "-DCMAKE_PREFIX_PATH=" + (dir.path() / "prefix").string(), "-DCMAKE_BUILD_TYPE=Release"},
                dir.path() / "configure.log").status, 0);
  ASSERT_EQ(run({cmake, "--build", build.string()}, dir.path() / "build.log").status, 0);
  const auto plugin = (build / "my_plugin.so").string();
  const auto host = (binary_dir / "host" / "lotse-host").string();
  const auto db = "sqlite:" + (dir.path() / "lotse.db").string();
  const auto step = [&](const std::vector<std::string>& argv) {
    const auto result = run(argv, dir.path() / "step.log");
    EXPECT_EQ(result.status, 0) << result.report();
    return result.output;
  };
  const auto token_of = [](const std::string& output) { return output.substr(0, output.find('\n')); };
  const auto publisher = token_of(step({host, "token", "create", "--role", "publisher", "--org", "beispiel-startup",
                                        "--db", db}));
  const auto curator = token_of(step({host, "token", "create", "--role", "curator", "--org", "kommunal-it", "--db", db}));
  step({host, "keys", "generate", "--out", (dir.path() / "keys").string(), "--name", "beispiel-startup"});
  step({host, "plugin", "check", plugin});
  step({host, "plugin", "sign", "--key", (dir.path() / "keys" / "beispiel-startup.secret.json").string(), plugin});
  step({host, "plugin", "bundle", plugin});

  test::host_process server({"--db", db});
  test::http_client client("127.0.0.1", server.port());
  const auto as = [](const std::string& token) {
    return std::map<std::string, std::string>{{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
  };
  auto reply = client.request(boost::beast::http::verb::post, "/api/v1/publisher-keys",
                              read_file(dir.path() / "keys" / "beispiel-startup.public.json"), as(publisher));
  ASSERT_EQ(reply.status, 201U) << reply.body;
  reply = client.request(boost::beast::http::verb::post, "/api/v1/plugins", read_file(plugin + ".bundle.json"),
                         as(publisher));
  ASSERT_EQ(reply.status, 201U) << reply.body;
  const auto id = boost::json::parse(reply.body).at("id").as_int64();
  reply = client.request(boost::beast::http::verb::post, "/api/v1/plugins/" + std::to_string(id) + "/approve", "",
                         as(curator));
  ASSERT_EQ(reply.status, 200U) << reply.body;

  reply = client.request(boost::beast::http::verb::post, "/api/v1/match", R"({"profile": {"ags": "09190157",
      "name": "Musterdorf", "population": 4000, "maturity": {"stage": "start", "levels": {"infrastructure": 2}},
      "resources": {"budget_once_eur": 10000, "budget_annual_eur": 5000, "staff_fte": 0.5},
      "needs": {"operations.winter_service": 1}}, "top_k": 5})", {{"Content-Type", "application/json"}});
  ASSERT_EQ(reply.status, 200U) << reply.body;
  const auto results = boost::json::parse(reply.body).at("results");
  ASSERT_FALSE(results.as_array().empty()) << reply.body;
  EXPECT_EQ(results.at(0).at("solution_id"), "beispiel-startup.winterdienst") << reply.body;
  // Its quote hook runs in a runner the host started from the approved upload.
  reply = client.request(boost::beast::http::verb::post, "/api/v1/solutions/beispiel-startup.winterdienst/quote",
                         R"({"profile": {"ags": "09190157", "name": "Musterdorf", "population": 4000,
                             "maturity": {"stage": "start"},
                             "resources": {"budget_once_eur": 10000, "budget_annual_eur": 5000, "staff_fte": 0.5}}})",
                         {{"Content-Type", "application/json"}});
  EXPECT_EQ(reply.status, 200U) << reply.body;
  EXPECT_EQ(server.stop(), 0) << server.log();
}

TEST(sdk_install, find_package_accepts_only_the_same_major_version_and_no_newer_minor) {
  const scratch_dir dir;
  const auto install = install_sdk(dir.path());
  ASSERT_EQ(install.status, 0) << install.report();

  // The positive case first, so the rejections below cannot pass merely because nothing was found at all.
  const auto same = configure_requiring(dir.path(), "1.0");
  EXPECT_EQ(same.status, 0) << same.report();

  // A start-up asking for another major or a newer minor builds against an SDK the host would refuse (or that lacks
  // what it needs): CMake must reject the installed package and name its version.
  for (const std::string version : {"2.0", "1.1", "0.9"}) {
    const auto other = configure_requiring(dir.path(), version);
    EXPECT_NE(other.status, 0) << "find_package(LotseSDK " << version << ") succeeded\n" << other.report();
    EXPECT_THAT(other.output, HasSubstr(std::string("version: ") + lotse::sdk::sdk_version)) << other.report();
  }
}

}  // namespace
}  // namespace lotse
