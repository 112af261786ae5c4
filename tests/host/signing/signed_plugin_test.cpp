#include "host/signing/signed_plugin.hpp"

#include "tests/host/signing/scratch_directory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace lotse::signing {
namespace {

using testing::read_file;
using testing::scratch_directory;
using testing::write_file;
using ::testing::HasSubstr;
using ::testing::StartsWith;
namespace fs = std::filesystem;

const fs::path fixture_dir{LOTSE_FIXTURE_PLUGIN_DIR};

std::string manifest_of(const fs::path& plugin) {
  const auto loaded = loader::load_plugin(plugin);
  if (const auto* failure = std::get_if<loader::load_failure>(&loaded)) {
    throw std::runtime_error("fixture does not load: " + failure->reason);
  }
  return std::get<loader::loaded_plugin>(loaded).description_json;
}

std::string reason_of(const outcome<signed_plugin>& result) {
  if (const auto* problem = std::get_if<refusal>(&result)) {
    return problem->reason;
  }
  ADD_FAILURE() << "expected a refusal, but " << std::get<signed_plugin>(result).plugin.file << " loaded";
  return {};
}

std::size_t files_in(const fs::path& dir) {
  if (!fs::exists(dir)) {
    return 0;
  }
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

// An upload of a fixture plugin with its signature beside it, and the host's owned directory.
class signed_upload : public ::testing::Test {
 protected:
  void upload(std::string_view fixture, const secret_key& signer, std::string_view manifest) {
    fs::copy_file(fixture_dir / (std::string(fixture) + ".so"), upload_path);
    write_signature_file(signature_path, sign(signer, upload_path, manifest));
  }
  void upload_signed_valid_fixture() { upload("valid_fixture", key, manifest_of(fixture_dir / "valid_fixture.so")); }

  outcome<signed_plugin> load() {
    return load_signed_plugin(upload_path, signature_path, std::vector{key.public_part()}, owned);
  }

  scratch_directory dir;
  secret_key key = secret_key::generate();
  fs::path upload_path = dir / "upload.so";
  fs::path signature_path = dir / "upload.so.sig";
  fs::path owned = dir / "owned";
};

TEST_F(signed_upload, a_signed_plugin_loads_from_its_owned_copy) {
  upload_signed_valid_fixture();
  const auto result = load();
  ASSERT_TRUE(std::holds_alternative<signed_plugin>(result)) << reason_of(result);
  const auto& loaded = std::get<signed_plugin>(result);
  EXPECT_EQ(loaded.key_id, key.key_id());
  EXPECT_EQ(loaded.plugin.file.parent_path(), owned);
  EXPECT_EQ(read_file(loaded.plugin.file), read_file(upload_path));
  EXPECT_THAT(loaded.plugin.description_json, HasSubstr("fixture-provider"));
}

TEST_F(signed_upload, the_loader_is_given_the_verified_copy_not_the_upload) {
  upload_signed_valid_fixture();
  std::vector<fs::path> loaded_paths;
  const auto result = load_signed_plugin(upload_path, signature_path, std::vector{key.public_part()}, owned,
                                         [&](const fs::path& path) {
                                           loaded_paths.push_back(path);
                                           return loader::load_plugin(path);
                                         });
  ASSERT_TRUE(std::holds_alternative<signed_plugin>(result)) << reason_of(result);
  ASSERT_EQ(loaded_paths.size(), 1U);
  EXPECT_EQ(loaded_paths[0].parent_path(), owned);
  EXPECT_NE(loaded_paths[0], upload_path);
}

TEST_F(signed_upload, an_unsigned_plugin_is_refused_before_anything_is_copied_or_loaded) {
  fs::copy_file(fixture_dir / "valid_fixture.so", upload_path);
  bool loaded = false;
  const auto result = load_signed_plugin(upload_path, signature_path, std::vector{key.public_part()}, owned,
                                         [&](const fs::path& path) {
                                           loaded = true;
                                           return loader::load_plugin(path);
                                         });
  EXPECT_EQ(reason_of(result), "the plugin is not signed: there is no signature file " + signature_path.string());
  EXPECT_FALSE(loaded);
  EXPECT_EQ(files_in(owned), 0U);
}

TEST_F(signed_upload, a_changed_file_is_refused_without_loading_and_its_copy_removed) {
  upload_signed_valid_fixture();
  auto bytes = read_file(upload_path);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x10);
  fs::remove(upload_path);
  write_file(upload_path, bytes);
  bool loaded = false;
  const auto result = load_signed_plugin(upload_path, signature_path, std::vector{key.public_part()}, owned,
                                         [&](const fs::path& path) {
                                           loaded = true;
                                           return loader::load_plugin(path);
                                         });
  EXPECT_EQ(reason_of(result),
            "the file's SHA-256 hash does not match the signature: the file was changed after signing");
  EXPECT_FALSE(loaded);
  EXPECT_EQ(files_in(owned), 0U);
}

TEST_F(signed_upload, a_signature_by_an_unregistered_key_is_refused) {
  const auto stranger = secret_key::generate();
  upload("valid_fixture", stranger, manifest_of(fixture_dir / "valid_fixture.so"));
  EXPECT_THAT(reason_of(load()), HasSubstr("key " + stranger.key_id() + ", which is not registered"));
  EXPECT_EQ(files_in(owned), 0U);
}

TEST_F(signed_upload, a_malformed_signature_file_is_refused_with_its_reason) {
  fs::copy_file(fixture_dir / "valid_fixture.so", upload_path);
  write_file(signature_path, "-----BEGIN PGP SIGNATURE-----");
  EXPECT_THAT(reason_of(load()), StartsWith("the signature file is not JSON"));
}

TEST_F(signed_upload, a_description_other_than_the_signed_one_is_refused) {
  upload("valid_fixture", key, R"({"provider":{"id":"fixture-provider"},"solutions":["what was signed"]})");
  EXPECT_THAT(reason_of(load()), StartsWith("the plugin's description is not the signed one"));
  EXPECT_EQ(files_in(owned), 0U);
}

TEST_F(signed_upload, a_signed_file_that_does_not_load_is_refused_with_the_loaders_reason) {
  upload("not_an_elf", key, "{}");
  EXPECT_THAT(reason_of(load()), StartsWith("the signed plugin does not load: not a loadable shared library"));
  EXPECT_EQ(files_in(owned), 0U);
}

}  // namespace
}  // namespace lotse::signing
