#include "host/loader/plugin_loader.hpp"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace lotse::loader {
namespace {

using ::testing::AllOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path fixture_dir{LOTSE_FIXTURE_PLUGIN_DIR};

std::filesystem::path fixture(std::string_view name) { return fixture_dir / (std::string(name) + ".so"); }

std::string version(unsigned major, unsigned minor) { return std::to_string(major) + "." + std::to_string(minor); }

// The reason a plugin was rejected, or a test failure if it loaded.
std::string reason_of(const load_result& result) {
  if (const auto* failure = std::get_if<load_failure>(&result)) {
    return failure->reason;
  }
  ADD_FAILURE() << "expected a load_failure, but " << std::get<loaded_plugin>(result).file << " loaded";
  return {};
}

std::string reason_for(std::string_view name) {
  const load_result result = load_plugin(fixture(name));
  if (const auto* failure = std::get_if<load_failure>(&result)) {
    EXPECT_EQ(failure->file, fixture(name));
  }
  return reason_of(result);
}

// A fresh directory for tests that need their own set of files; removed again at the end of the test.
class scratch_dir {
 public:
  scratch_dir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("lotse-loader-" + std::string(test->name()) + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  ~scratch_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(plugin_loader, host_abi_is_the_sdk_abi) {
  EXPECT_EQ(host_abi(), (abi_version{LOTSE_ABI_MAJOR, LOTSE_ABI_MINOR}));
}

TEST(plugin_loader, valid_fixture_loads_with_its_description) {
  const load_result result = load_plugin(fixture("valid_fixture"));
  ASSERT_TRUE(std::holds_alternative<loaded_plugin>(result)) << reason_of(result);
  const auto& plugin = std::get<loaded_plugin>(result);

  EXPECT_EQ(plugin.file, fixture("valid_fixture"));
  EXPECT_EQ(plugin.abi, host_abi());
  EXPECT_EQ(plugin.sdk_version, "1.0.0");
  ASSERT_NE(plugin.api, nullptr);
  EXPECT_NE(plugin.api->describe, nullptr);

  const boost::json::value description = boost::json::parse(plugin.description_json);
  EXPECT_EQ(description.at("provider").at("id"), "fixture-provider");
  const auto& solutions = description.at("solutions").as_array();
  ASSERT_EQ(solutions.size(), 1U);
  EXPECT_EQ(solutions[0].at("id"), "fixture.solution");
  EXPECT_EQ(solutions[0].at("provides").as_array().at(0), "dms");
}

TEST(plugin_loader, same_file_loads_twice) {
  const load_result first = load_plugin(fixture("valid_fixture"));
  const load_result second = load_plugin(fixture("valid_fixture"));
  ASSERT_TRUE(std::holds_alternative<loaded_plugin>(first)) << reason_of(first);
  ASSERT_TRUE(std::holds_alternative<loaded_plugin>(second)) << reason_of(second);
  // dlopen hands back the already loaded library, so both results share one API table.
  EXPECT_EQ(std::get<loaded_plugin>(first).api, std::get<loaded_plugin>(second).api);
  EXPECT_EQ(std::get<loaded_plugin>(first).description_json, std::get<loaded_plugin>(second).description_json);
}

TEST(plugin_loader, loads_concurrently) {
  // The library registry is shared; loading from several threads at once must neither race nor lose a plugin.
  std::vector<std::thread> threads;
  std::atomic<int> loaded{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&loaded] {
      for (int i = 0; i < 5; ++i) {
        if (std::holds_alternative<loaded_plugin>(load_plugin(fixture("valid_fixture")))) {
          ++loaded;
        }
        EXPECT_TRUE(std::holds_alternative<load_failure>(load_plugin(fixture("abi_major_mismatch"))));
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(loaded.load(), 20);
}

TEST(plugin_loader, api_stays_callable_after_loading) {
  const load_result result = load_plugin(fixture("valid_fixture"));
  ASSERT_TRUE(std::holds_alternative<loaded_plugin>(result)) << reason_of(result);
  const lotse_plugin_api* api = std::get<loaded_plugin>(result).api;

  lotse_buffer buffer{nullptr, 0};
  ASSERT_EQ(api->describe(&buffer), LOTSE_OK);
  const std::string again(buffer.data, buffer.size);
  api->free_buffer(&buffer);
  EXPECT_EQ(again, std::get<loaded_plugin>(result).description_json);
}

TEST(plugin_loader, missing_file_is_not_loadable) {
  const auto missing = fixture_dir / "does_not_exist.so";
  const load_result result = load_plugin(missing);
  EXPECT_THAT(reason_of(result), AllOf(HasSubstr("not a loadable shared library"), HasSubstr("No such file")));
  ASSERT_TRUE(std::holds_alternative<load_failure>(result));
  EXPECT_EQ(std::get<load_failure>(result).file, missing);
}

struct broken_fixture {
  std::string name;
  std::vector<std::string> reason_contains;
};

void PrintTo(const broken_fixture& fixture, std::ostream* out) { *out << fixture.name; }

class broken_plugin : public ::testing::TestWithParam<broken_fixture> {};

TEST_P(broken_plugin, is_rejected_with_a_specific_reason) {
  const std::string reason = reason_for(GetParam().name);
  for (const auto& part : GetParam().reason_contains) {
    EXPECT_THAT(reason, HasSubstr(part));
  }
  // One line, so that it fits one log line and one field of an HTTP answer.
  EXPECT_THAT(reason, Not(HasSubstr("\n")));
}

std::vector<broken_fixture> broken_fixtures() {
  const std::string host = version(LOTSE_ABI_MAJOR, LOTSE_ABI_MINOR);
  // The last part of the first two is glibc's dlerror text (Debian 12): shorter than an ELF header, respectively a
  // header whose program headers lie beyond the end of the file.
  return {
      {"not_an_elf", {"not a loadable shared library", "not_an_elf.so", "file too short"}},
      {"truncated_elf", {"not a loadable shared library", "truncated_elf.so", "cannot read file data"}},
      {"missing_entry", {"does not export the entry point lotse_plugin_entry"}},
      {"null_entry", {"lotse_plugin_entry returned NULL"}},
      {"abi_major_mismatch",
       {"ABI major version " + std::to_string(LOTSE_ABI_MAJOR + 1) + " is not supported", "host ABI " + host,
        "plugin ABI " + version(LOTSE_ABI_MAJOR + 1, LOTSE_ABI_MINOR)}},
      {"abi_minor_too_new",
       {"ABI minor version " + std::to_string(LOTSE_ABI_MINOR + 1) + " is newer", "host ABI " + host,
        "plugin ABI " + version(LOTSE_ABI_MAJOR, LOTSE_ABI_MINOR + 1)}},
      {"table_too_small",
       {"struct_size is " + std::to_string(3 * sizeof(std::uint32_t)) + " bytes",
        "smaller than the " + std::to_string(sizeof(lotse_plugin_api)) + " bytes"}},
      {"describe_null", {"describe is NULL"}},
      {"free_buffer_null", {"free_buffer is NULL"}},
      {"sdk_version_null", {"sdk_version is NULL"}},
      {"describe_unwinds", {"describe threw a C++ exception across the C ABI"}},
      {"buffer_null_data", {"describe returned a buffer with NULL data but size 64"}},
      {"describe_throws",
       {"describe failed with status LOTSE_ERROR: describe_throws fixture: the catalogue backend is unreachable"}},
      {"invalid_json", {"not valid UTF-8 JSON", "at offset 37 of"}},
      {"invalid_utf8_json", {"not valid UTF-8 JSON", "at offset 51 of"}},
      {"description_too_large", {"the description is 4194305 bytes", "4 MiB"}},
  };
}

INSTANTIATE_TEST_SUITE_P(fixtures, broken_plugin, ::testing::ValuesIn(broken_fixtures()),
                         [](const ::testing::TestParamInfo<broken_fixture>& info) { return info.param.name; });

TEST(plugin_loader, plugin_error_message_is_shortened_to_one_line) {
  // describe_throws' message is a line, a newline and 500 more characters.
  const std::string reason = reason_for("describe_throws");
  const std::string prefix = "describe failed with status LOTSE_ERROR: ";
  ASSERT_THAT(reason, HasSubstr(prefix));
  const std::string message = reason.substr(reason.find(prefix) + prefix.size());
  EXPECT_THAT(message, HasSubstr("unreachable details: xxx"));
  EXPECT_THAT(message, EndsWith("..."));
  EXPECT_LE(message.size(), 200U + 3U);
  EXPECT_GE(message.size(), 150U);
}

// Every .so in the fixture directory, in the order load_directory must return them.
const std::vector<std::string> all_fixture_files = {
    "abi_major_mismatch.so", "abi_minor_too_new.so",  "buffer_null_data.so",      "describe_null.so",
    "describe_throws.so",    "describe_unwinds.so",   "description_too_large.so", "duplicate_ids.so",
    "free_buffer_null.so",   "invalid_json.so",       "invalid_utf8_json.so",     "missing_entry.so",
    "not_an_elf.so",         "null_entry.so",         "schema_violations.so",     "sdk_version_null.so",
    "table_too_small.so",    "truncated_elf.so",      "valid_fixture.so",         "valid_fixture_v2.so",
};

// The fixtures that load: the loader checks the ABI and that the description is JSON, not the manifest schema.
const std::vector<std::string> loadable_fixture_files = {"duplicate_ids.so", "schema_violations.so", "valid_fixture.so",
                                                         "valid_fixture_v2.so"};

TEST(plugin_loader, load_directory_returns_one_result_per_fixture_sorted) {
  const std::vector<load_result> results = load_directory(fixture_dir);

  std::vector<std::string> names;
  std::size_t loaded = 0;
  for (const auto& result : results) {
    const auto& file = std::visit([](const auto& r) -> const std::filesystem::path& { return r.file; }, result);
    EXPECT_EQ(file.parent_path(), fixture_dir);
    names.push_back(file.filename().string());
    if (std::holds_alternative<loaded_plugin>(result)) {
      ++loaded;
      EXPECT_THAT(loadable_fixture_files, ::testing::Contains(file.filename().string()));
    }
  }
  EXPECT_EQ(names, all_fixture_files);
  EXPECT_EQ(loaded, loadable_fixture_files.size());
}

TEST(plugin_loader, load_directory_takes_only_regular_so_files) {
  const scratch_dir dir;
  std::filesystem::copy_file(fixture("valid_fixture"), dir.path() / "b.so");
  std::filesystem::copy_file(fixture("not_an_elf"), dir.path() / "a.so");
  std::filesystem::copy_file(fixture("valid_fixture"), dir.path() / "c.so.1");
  std::filesystem::copy_file(fixture("valid_fixture"), dir.path() / "d.txt");
  std::filesystem::create_directory(dir.path() / "e.so");
  std::filesystem::create_symlink(dir.path() / "missing", dir.path() / "f.so");

  const std::vector<load_result> results = load_directory(dir.path());

  ASSERT_EQ(results.size(), 2U);
  EXPECT_THAT(reason_of(results[0]), HasSubstr("not a loadable shared library"));
  EXPECT_EQ(std::get<load_failure>(results[0]).file, dir.path() / "a.so");
  ASSERT_TRUE(std::holds_alternative<loaded_plugin>(results[1])) << reason_of(results[1]);
  EXPECT_EQ(std::get<loaded_plugin>(results[1]).file, dir.path() / "b.so");
}

TEST(plugin_loader, load_directory_of_an_empty_directory_is_empty) {
  const scratch_dir dir;
  EXPECT_TRUE(load_directory(dir.path()).empty());
}

TEST(plugin_loader, load_directory_throws_for_a_missing_directory) {
  const auto missing = fixture_dir / "no_such_directory";
  try {
    load_directory(missing);
    FAIL() << "load_directory did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr(missing.string()), HasSubstr("cannot be read")));
  }
}

TEST(plugin_loader, load_directory_throws_for_a_file) {
  EXPECT_THROW(load_directory(fixture("valid_fixture")), std::runtime_error);
}

}  // namespace
}  // namespace lotse::loader
