#include "host/signing/signing_commands.hpp"

#include "host/loader/plugin_loader.hpp"
#include "host/signing/signing.hpp"
#include "tests/host/signing/scratch_directory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace lotse::signing {
namespace {

using testing::permissions_of;
using testing::read_file;
using testing::scratch_directory;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace fs = std::filesystem;

const fs::path fixture_dir{LOTSE_FIXTURE_PLUGIN_DIR};

struct run_result {
  int status;
  std::string out;
  std::string err;
};

run_result run(int (*command)(std::span<const std::string>, std::ostream&, std::ostream&),
               std::vector<std::string> args) {
  std::ostringstream out;
  std::ostringstream err;
  const int status = command(args, out, err);
  return {status, out.str(), err.str()};
}

template <typename T>
T accepted(outcome<T> result) {
  if (auto* problem = std::get_if<refusal>(&result)) {
    throw std::runtime_error("refused: " + problem->reason);
  }
  return std::move(std::get<T>(result));
}

TEST(keys_generate, writes_a_key_pair_named_as_asked) {
  const scratch_directory dir;
  const auto result = run(run_keys_generate, {"--out", dir.path().string(), "--name", "publisher"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.err, IsEmpty());
  const auto key = accepted(read_secret_key(dir / "publisher.secret.json"));
  const auto pub = accepted(read_public_key(dir / "publisher.public.json"));
  EXPECT_EQ(key.public_part(), pub);
  EXPECT_THAT(result.out, HasSubstr("key id: " + pub.key_id));
  EXPECT_THAT(result.out, HasSubstr((dir / "publisher.secret.json").string()));
  EXPECT_EQ(permissions_of(dir / "publisher.secret.json"), fs::perms::owner_read | fs::perms::owner_write);
}

TEST(keys_generate, names_the_files_after_the_key_id_by_default_and_creates_a_private_directory) {
  const scratch_directory dir;
  const auto keys = dir / "keys" / "nested";
  const auto result = run(run_keys_generate, {"--out", keys.string()});
  ASSERT_EQ(result.status, 0) << result.err;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(keys)) {
    names.push_back(entry.path().filename().string());
  }
  ASSERT_EQ(names.size(), 2U);
  const auto key = accepted(read_secret_key(keys / (names[0].substr(0, 16) + ".secret.json")));
  EXPECT_TRUE(fs::exists(keys / (key.key_id() + ".public.json")));
  EXPECT_EQ(permissions_of(keys), fs::perms::owner_all);
}

TEST(keys_generate, refuses_to_overwrite_an_existing_key) {
  const scratch_directory dir;
  ASSERT_EQ(run(run_keys_generate, {"--out", dir.path().string(), "--name", "k"}).status, 0);
  const auto before = read_file(dir / "k.secret.json");
  const auto again = run(run_keys_generate, {"--out", dir.path().string(), "--name", "k"});
  EXPECT_EQ(again.status, 1);
  EXPECT_THAT(again.err, HasSubstr("already exists"));
  EXPECT_EQ(read_file(dir / "k.secret.json"), before);
}

TEST(keys_generate, bad_usage_is_status_2_and_help_is_0) {
  EXPECT_EQ(run(run_keys_generate, {}).status, 2);
  EXPECT_EQ(run(run_keys_generate, {"--out"}).status, 2);
  EXPECT_EQ(run(run_keys_generate, {"--ou", "/tmp"}).status, 2);  // no guessing of abbreviated options
  EXPECT_EQ(run(run_keys_generate, {"--out", "/tmp", "extra"}).status, 2);
  EXPECT_EQ(run(run_keys_generate, {"--out", "/tmp", "--name", "../escape"}).status, 2);
  const auto help = run(run_keys_generate, {"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_THAT(help.out, HasSubstr("Usage: lotse-host keys generate --out DIR [--name NAME]"));
}

// A publisher's key pair and a copy of a fixture plugin to sign, in a scratch directory.
class plugin_sign : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(run(run_keys_generate, {"--out", dir.path().string(), "--name", "k"}).status, 0);
    fs::copy_file(fixture_dir / "valid_fixture.so", plugin);
  }

  scratch_directory dir;
  fs::path plugin = dir / "plugin.so";
  fs::path secret = dir / "k.secret.json";
};

TEST_F(plugin_sign, writes_a_signature_that_verifies_against_the_file_and_its_description) {
  const auto result = run(run_plugin_sign, {"--key", secret.string(), plugin.string()});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("wrote " + plugin.string() + ".sig"));

  const auto document = accepted(read_signature_file(plugin.string() + ".sig"));
  const auto pub = accepted(read_public_key(dir / "k.public.json"));
  const auto verified = accepted(verify_file(document, std::vector{pub}, plugin));
  const auto loaded = std::get<loader::loaded_plugin>(loader::load_plugin(plugin));
  EXPECT_EQ(verify_manifest(verified, loaded.description_json), std::nullopt);
}

TEST_F(plugin_sign, writes_where_out_says) {
  const auto result =
      run(run_plugin_sign, {plugin.string(), "--key", secret.string(), "--out", (dir / "x.sig").string()});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(fs::exists(dir / "x.sig"));
  EXPECT_FALSE(fs::exists(plugin.string() + ".sig"));
}

TEST_F(plugin_sign, a_plugin_that_does_not_load_is_not_signed) {
  const auto result = run(run_plugin_sign, {"--key", secret.string(), (fixture_dir / "not_an_elf.so").string(), "--out",
                                            (dir / "x.sig").string()});
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.err, HasSubstr("cannot load"));
  EXPECT_THAT(result.err, HasSubstr("not a loadable shared library"));
  EXPECT_FALSE(fs::exists(dir / "x.sig"));
}

TEST_F(plugin_sign, the_public_key_file_is_refused_as_a_signing_key) {
  const auto result = run(run_plugin_sign, {"--key", (dir / "k.public.json").string(), plugin.string()});
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.err, HasSubstr("it is a public key file; signing needs the .secret.json file"));
  EXPECT_FALSE(fs::exists(plugin.string() + ".sig"));
}

TEST_F(plugin_sign, a_missing_key_file_is_a_failure) {
  const auto result = run(run_plugin_sign, {"--key", (dir / "none.json").string(), plugin.string()});
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.err, HasSubstr("none.json"));
}

TEST_F(plugin_sign, bad_usage_is_status_2_and_help_is_0) {
  EXPECT_EQ(run(run_plugin_sign, {plugin.string()}).status, 2);
  EXPECT_EQ(run(run_plugin_sign, {"--key", secret.string()}).status, 2);
  EXPECT_EQ(run(run_plugin_sign, {"--key", secret.string(), plugin.string(), plugin.string()}).status, 2);
  EXPECT_EQ(run(run_plugin_sign, {"--key", secret.string(), "--bogus", plugin.string()}).status, 2);
  const auto help = run(run_plugin_sign, {"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_THAT(help.out, HasSubstr("Usage: lotse-host plugin sign --key SECRET_KEY_FILE FILE [--out SIG]"));
}

}  // namespace
}  // namespace lotse::signing
