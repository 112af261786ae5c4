#include "host/signing/signing.hpp"

#include "tests/host/signing/scratch_directory.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace lotse::signing {
namespace {

using testing::permissions_of;
using testing::read_file;
using testing::scratch_directory;
using testing::write_file;
using ::testing::HasSubstr;
using ::testing::StartsWith;
namespace fs = std::filesystem;

const std::string manifest = R"({"provider":{"id":"p","name":"P","kind":"startup"},"solutions":[]})";

// The value of an accepted outcome; a refusal throws, which fails the test with the reason.
template <typename T>
const T& accepted(const outcome<T>& result) {
  if (const auto* problem = std::get_if<refusal>(&result)) {
    throw std::runtime_error("refused: " + problem->reason);
  }
  return std::get<T>(result);
}

template <typename T>
std::string reason_of(const outcome<T>& result) {
  if (const auto* problem = std::get_if<refusal>(&result)) {
    return problem->reason;
  }
  ADD_FAILURE() << "expected a refusal, but it was accepted";
  return {};
}

bool is_refused(const auto& result) { return std::holds_alternative<refusal>(result); }

// A plugin file stand-in: signing hashes bytes, it does not care whether they are a shared library.
fs::path make_plugin_file(const scratch_directory& dir, std::string_view contents = "\x7f" "ELF pretend plugin bytes") {
  const auto path = dir / "plugin.so";
  write_file(path, contents);
  return path;
}

template <typename Value>
std::string with_field(const std::string& json_text, std::string_view key, const Value& value) {
  auto document = boost::json::parse(json_text);
  document.as_object()[key] = boost::json::value_from(value);
  return boost::json::serialize(document);
}

std::string text_at(const boost::json::object& object, std::string_view key) {
  return boost::json::value_to<std::string>(object.at(key));
}

std::string without_field(const std::string& json_text, std::string_view key) {
  auto document = boost::json::parse(json_text);
  document.as_object().erase(key);
  return boost::json::serialize(document);
}

std::string base64(const std::vector<unsigned char>& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();
  return out;
}

TEST(signing_keys, key_id_is_16_hex_digits_of_the_public_keys_sha256) {
  const auto key = secret_key::generate();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), key.public_part().bytes.data(), key.public_part().bytes.size());
  std::array<char, 2 * crypto_hash_sha256_BYTES + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  EXPECT_EQ(key.key_id(), std::string(hex.data(), 16));
  EXPECT_EQ(key_id_of(key.public_part().bytes), key.key_id());
}

TEST(signing_keys, generated_keys_differ) {
  EXPECT_NE(secret_key::generate().key_id(), secret_key::generate().key_id());
}

TEST(signing_keys, key_files_round_trip) {
  const scratch_directory dir;
  const auto key = secret_key::generate();
  const auto files = write_key_files(key, dir.path(), "publisher");
  EXPECT_EQ(files.secret_file, dir / "publisher.secret.json");
  EXPECT_EQ(files.public_file, dir / "publisher.public.json");
  EXPECT_EQ(files.key_id, key.key_id());

  const auto public_read = read_public_key(files.public_file);
  ASSERT_FALSE(is_refused(public_read)) << reason_of(public_read);
  EXPECT_EQ(accepted(public_read), key.public_part());

  const auto secret_read = read_secret_key(files.secret_file);
  ASSERT_FALSE(is_refused(secret_read)) << reason_of(secret_read);
  EXPECT_EQ(accepted(secret_read).public_part(), key.public_part());

  // The documented shapes, field by field.
  const auto secret_json = boost::json::parse(read_file(files.secret_file)).as_object();
  EXPECT_EQ(text_at(secret_json, "format"), "lotse-secret-key-v1");
  EXPECT_EQ(text_at(secret_json, "algorithm"), "ed25519");
  EXPECT_EQ(text_at(secret_json, "key_id"), key.key_id());
  EXPECT_EQ(secret_json.at("secret_key").as_string().size(), 44U);  // base64 of a 32-byte seed
  EXPECT_EQ(secret_json.size(), 4U);
  const auto public_json = boost::json::parse(read_file(files.public_file)).as_object();
  EXPECT_EQ(text_at(public_json, "format"), "lotse-public-key-v1");
  EXPECT_EQ(text_at(public_json, "algorithm"), "ed25519");
  EXPECT_EQ(text_at(public_json, "key_id"), key.key_id());
  const auto& public_bytes = key.public_part().bytes;
  EXPECT_EQ(text_at(public_json, "public_key"), base64({public_bytes.begin(), public_bytes.end()}));
  EXPECT_EQ(public_json.size(), 4U);
}

TEST(signing_keys, secret_key_file_is_0600_and_public_key_file_0644) {
  const scratch_directory dir;
  const auto files = write_key_files(secret_key::generate(), dir.path(), "k");
  EXPECT_EQ(permissions_of(files.secret_file), fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(permissions_of(files.public_file), fs::perms::owner_read | fs::perms::owner_write |
                                                   fs::perms::group_read | fs::perms::others_read);
}

TEST(signing_keys, secret_key_file_mode_does_not_depend_on_the_umask) {
  const scratch_directory dir;
  const mode_t previous = ::umask(0);
  const auto files = write_key_files(secret_key::generate(), dir.path(), "k");
  ::umask(previous);
  EXPECT_EQ(permissions_of(files.secret_file), fs::perms::owner_read | fs::perms::owner_write);
}

TEST(signing_keys, existing_key_files_are_never_overwritten) {
  const scratch_directory dir;
  const auto first = write_key_files(secret_key::generate(), dir.path(), "k");
  const auto secret_before = read_file(first.secret_file);
  const auto public_before = read_file(first.public_file);

  try {
    write_key_files(secret_key::generate(), dir.path(), "k");
    FAIL() << "a second key pair overwrote the first";
  } catch (const signing_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("k.secret.json already exists"));
  }
  EXPECT_EQ(read_file(first.secret_file), secret_before);
  EXPECT_EQ(read_file(first.public_file), public_before);
}

TEST(signing_keys, an_existing_public_file_leaves_no_lone_secret_file) {
  const scratch_directory dir;
  write_file(dir / "k.public.json", "someone else's key");
  EXPECT_THROW(write_key_files(secret_key::generate(), dir.path(), "k"), signing_error);
  EXPECT_FALSE(fs::exists(dir / "k.secret.json"));
  EXPECT_EQ(read_file(dir / "k.public.json"), "someone else's key");
}

TEST(signing_keys, key_names_cannot_leave_the_directory) {
  const scratch_directory dir;
  EXPECT_THROW(write_key_files(secret_key::generate(), dir.path(), "../k"), std::invalid_argument);
  EXPECT_THROW(write_key_files(secret_key::generate(), dir.path(), ".hidden"), std::invalid_argument);
  EXPECT_THROW(write_key_files(secret_key::generate(), dir.path(), ""), std::invalid_argument);
}

TEST(signing_keys, malformed_public_key_files_are_refused_with_reasons) {
  const auto key = secret_key::generate();
  const auto good = public_key_json(key.public_part());
  ASSERT_FALSE(is_refused(parse_public_key(good)));

  EXPECT_THAT(reason_of(parse_public_key("not json")), StartsWith("the public key file is not JSON"));
  EXPECT_EQ(reason_of(parse_public_key("[1]")), "the public key file is not a JSON object");
  EXPECT_EQ(reason_of(parse_public_key(with_field(good, "format", "lotse-secret-key-v1"))),
            R"(the public key file has format "lotse-secret-key-v1", not "lotse-public-key-v1")");
  EXPECT_EQ(reason_of(parse_public_key(with_field(good, "algorithm", "rsa"))),
            R"(the public key file uses algorithm "rsa", but only ed25519 is supported)");
  EXPECT_EQ(reason_of(parse_public_key(with_field(good, "public_key", "not*base64"))),
            "the public key file's public_key is not valid base64");
  EXPECT_EQ(reason_of(parse_public_key(with_field(good, "public_key", base64(std::vector<unsigned char>(31, 7))))),
            "the public key file's public_key decodes to 31 bytes, but an Ed25519 public key has 32");
  EXPECT_EQ(reason_of(parse_public_key(without_field(good, "key_id"))), R"(the public key file has no "key_id" field)");
  EXPECT_EQ(reason_of(parse_public_key(with_field(good, "comment", "hi"))),
            R"(the public key file has an unknown field "comment")");
  EXPECT_EQ(reason_of(parse_public_key(with_field(good, "key_id", 5))),
            R"(the public key file's "key_id" field is not a string)");
  const auto other = secret_key::generate();
  EXPECT_EQ(reason_of(parse_public_key(with_field(good, "key_id", other.key_id()))),
            "the public key file's key_id " + other.key_id() + " does not belong to its key, whose key_id is " +
                key.key_id());
}

TEST(signing_keys, malformed_secret_key_files_are_refused_with_reasons) {
  const scratch_directory dir;
  const auto key = secret_key::generate();
  const auto files = write_key_files(key, dir.path(), "k");
  const auto good = read_file(files.secret_file);

  EXPECT_EQ(reason_of(parse_secret_key(read_file(files.public_file))),
            R"(the secret key file has format "lotse-public-key-v1", not "lotse-secret-key-v1" )"
            "(it is a public key file; signing needs the .secret.json file)");
  EXPECT_EQ(reason_of(parse_secret_key(with_field(good, "secret_key", "%%%%"))),
            "the secret key file's secret_key is not valid base64");
  EXPECT_EQ(reason_of(parse_secret_key(with_field(good, "secret_key", base64(std::vector<unsigned char>(64, 1))))),
            "the secret key file's secret_key decodes to 64 bytes, but an Ed25519 secret key (seed) has 32");
  EXPECT_THAT(reason_of(parse_secret_key(with_field(good, "key_id", "0000000000000000"))),
              HasSubstr("does not belong to its key"));
  EXPECT_THAT(reason_of(parse_secret_key(std::string(5000, ' '))), HasSubstr("larger than 4096 bytes"));
}

TEST(signing_keys, an_unreadable_key_file_is_an_io_error) {
  const scratch_directory dir;
  EXPECT_THROW(read_secret_key(dir / "missing.secret.json"), signing_error);
  EXPECT_THROW(read_public_key(dir / "missing.public.json"), signing_error);
}

TEST(signing, signature_document_has_the_documented_shape) {
  const scratch_directory dir;
  const auto key = secret_key::generate();
  const auto file = make_plugin_file(dir);
  const auto document = sign(key, file, manifest);

  const auto json = boost::json::parse(signature_json(document)).as_object();
  EXPECT_EQ(text_at(json, "format"), "lotse-plugin-signature-v1");
  EXPECT_EQ(text_at(json, "algorithm"), "ed25519");
  EXPECT_EQ(text_at(json, "key_id"), key.key_id());
  EXPECT_EQ(text_at(json, "file_sha256"), file_sha256_hex(file));
  EXPECT_EQ(text_at(json, "manifest_sha256"), sha256_hex(manifest));
  EXPECT_EQ(json.at("signature").as_string().size(), 88U);  // base64 of 64 bytes
  EXPECT_EQ(json.size(), 6U);

  const auto parsed = parse_signature(signature_json(document));
  ASSERT_FALSE(is_refused(parsed)) << reason_of(parsed);
  EXPECT_EQ(accepted(parsed), document);
}

TEST(signing, sha256_matches_a_known_vector) {
  // FIPS 180-2 test vector "abc".
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const scratch_directory dir;
  write_file(dir / "abc", "abc");
  EXPECT_EQ(file_sha256_hex(dir / "abc"), sha256_hex("abc"));
}

TEST(signing, file_hash_streams_files_larger_than_one_chunk) {
  const scratch_directory dir;
  std::string big(200 * 1024 + 17, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) {
    big[i] = static_cast<char>(i * 31 % 251);
  }
  write_file(dir / "big", big);
  EXPECT_EQ(file_sha256_hex(dir / "big"), sha256_hex(big));
}

TEST(signing, the_signature_covers_the_documented_domain_separated_message) {
  // Checked with libsodium directly, so the message format is the documented one and not just self-consistent.
  const scratch_directory dir;
  const auto key = secret_key::generate();
  const auto document = sign(key, make_plugin_file(dir), manifest);
  const std::string message =
      "lotse-plugin-signature-v1\n" + document.file_sha256 + "\n" + document.manifest_sha256 + "\n";
  EXPECT_EQ(signed_message(document.file_sha256, document.manifest_sha256), message);
  EXPECT_EQ(crypto_sign_ed25519_verify_detached(document.signature.data(),
                                                reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                                key.public_part().bytes.data()),
            0);
}

TEST(signing, sign_and_verify) {
  const scratch_directory dir;
  const auto key = secret_key::generate();
  const auto file = make_plugin_file(dir);
  const auto document = sign(key, file, manifest);
  const std::vector<public_key> registered{secret_key::generate().public_part(), key.public_part()};

  const auto verified = verify_file(document, registered, file);
  ASSERT_FALSE(is_refused(verified)) << reason_of(verified);
  EXPECT_EQ(accepted(verified).key_id(), key.key_id());
  EXPECT_EQ(verify_manifest(accepted(verified), manifest), std::nullopt);
}

TEST(signing, a_key_read_back_from_its_file_signs_what_its_public_file_verifies) {
  const scratch_directory dir;
  const auto files = write_key_files(secret_key::generate(), dir.path(), "k");
  const auto secret = read_secret_key(files.secret_file);
  const auto pub = read_public_key(files.public_file);
  ASSERT_FALSE(is_refused(secret));
  ASSERT_FALSE(is_refused(pub));
  const auto file = make_plugin_file(dir);
  const auto document = sign(accepted(secret), file, manifest);
  EXPECT_FALSE(is_refused(verify_file(document, std::vector{accepted(pub)}, file)));
}

TEST(signing, a_file_with_one_byte_flipped_is_refused_with_the_hash_reason) {
  const scratch_directory dir;
  const auto key = secret_key::generate();
  const std::string contents = "\x7f" "ELF pretend plugin bytes, long enough to flip one in the middle";
  const auto file = make_plugin_file(dir, contents);
  const auto document = sign(key, file, manifest);

  std::string tampered = contents;
  tampered[contents.size() / 2] = static_cast<char>(tampered[contents.size() / 2] ^ 0x01);
  write_file(file, tampered);
  EXPECT_EQ(reason_of(verify_file(document, std::vector{key.public_part()}, file)),
            "the file's SHA-256 hash does not match the signature: the file was changed after signing");
}

TEST(signing, a_different_manifest_is_refused) {
  const scratch_directory dir;
  const auto key = secret_key::generate();
  const auto file = make_plugin_file(dir);
  const auto document = sign(key, file, manifest);
  const auto verified = verify_file(document, std::vector{key.public_part()}, file);
  ASSERT_FALSE(is_refused(verified));

  std::string changed = manifest;
  changed[changed.find("startup")] = 'S';
  const auto problem = verify_manifest(accepted(verified), changed);
  ASSERT_TRUE(problem.has_value());
  EXPECT_THAT(problem->reason, StartsWith("the plugin's description is not the signed one"));
}

TEST(signing, hashes_edited_in_the_signature_file_break_the_signature) {
  // Someone who swaps the plugin and writes its hash into the signature file still cannot produce the signature.
  const scratch_directory dir;
  const auto key = secret_key::generate();
  const auto file = make_plugin_file(dir);
  auto document = sign(key, file, manifest);
  write_file(file, "an evil plugin");
  document.file_sha256 = file_sha256_hex(file);
  EXPECT_EQ(reason_of(verify_file(document, std::vector{key.public_part()}, file)),
            "the signature does not verify with the registered key " + key.key_id() +
                ": the signature file was altered or was not made with this key");

  auto manifest_swapped = sign(key, make_plugin_file(dir), manifest);
  manifest_swapped.manifest_sha256 = sha256_hex("another description");
  EXPECT_THAT(reason_of(verify_file(manifest_swapped, std::vector{key.public_part()}, dir / "plugin.so")),
              HasSubstr("does not verify"));
}

TEST(signing, a_signature_by_an_unregistered_key_is_refused) {
  const scratch_directory dir;
  const auto signer = secret_key::generate();
  const auto file = make_plugin_file(dir);
  const auto document = sign(signer, file, manifest);
  const std::vector<public_key> registered{secret_key::generate().public_part()};
  EXPECT_EQ(reason_of(verify_file(document, registered, file)),
            "the signature was made with key " + signer.key_id() + ", which is not registered for this publisher");
  EXPECT_TRUE(is_refused(verify_file(document, {}, file)));
}

TEST(signing, a_registered_key_id_with_another_key_behind_it_does_not_verify) {
  // key_id only selects a key; the key itself decides.
  const scratch_directory dir;
  const auto signer = secret_key::generate();
  const auto file = make_plugin_file(dir);
  const auto document = sign(signer, file, manifest);
  auto impostor = secret_key::generate().public_part();
  impostor.key_id = signer.key_id();
  EXPECT_THAT(reason_of(verify_file(document, std::vector{impostor}, file)), HasSubstr("does not verify"));
}

TEST(signing, malformed_signature_files_are_refused_with_reasons) {
  const scratch_directory dir;
  const auto good = signature_json(sign(secret_key::generate(), make_plugin_file(dir), manifest));
  ASSERT_FALSE(is_refused(parse_signature(good)));

  EXPECT_THAT(reason_of(parse_signature("{\"format\": ")), StartsWith("the signature file is not JSON: "));
  EXPECT_THAT(reason_of(parse_signature("")), StartsWith("the signature file is not JSON"));
  EXPECT_EQ(reason_of(parse_signature(R"("a string")")), "the signature file is not a JSON object");
  EXPECT_EQ(reason_of(parse_signature(with_field(good, "format", "lotse-plugin-signature-v2"))),
            R"(the signature file has format "lotse-plugin-signature-v2", not "lotse-plugin-signature-v1")");
  EXPECT_EQ(reason_of(parse_signature(without_field(good, "format"))), R"(the signature file has no "format" field)");
  EXPECT_EQ(reason_of(parse_signature(with_field(good, "algorithm", "ed448"))),
            R"(the signature file uses algorithm "ed448", but only ed25519 is supported)");
  EXPECT_EQ(reason_of(parse_signature(with_field(good, "signature", "!!not base64!!"))),
            "the signature file's signature is not valid base64");
  EXPECT_EQ(reason_of(parse_signature(with_field(good, "signature", "QUJD="))),
            "the signature file's signature is not valid base64");
  EXPECT_EQ(reason_of(parse_signature(with_field(good, "signature", base64(std::vector<unsigned char>(63, 9))))),
            "the signature file's signature decodes to 63 bytes, but an Ed25519 signature has 64");
  EXPECT_EQ(reason_of(parse_signature(with_field(good, "signature", base64(std::vector<unsigned char>(65, 9))))),
            "the signature file's signature decodes to 65 bytes, but an Ed25519 signature has 64");
  EXPECT_EQ(reason_of(parse_signature(with_field(good, "file_sha256", "ABC"))),
            "the signature file's file_sha256 must be 64 lowercase hexadecimal digits");
  EXPECT_EQ(reason_of(parse_signature(with_field(good, "manifest_sha256", std::string(64, 'g')))),
            "the signature file's manifest_sha256 must be 64 lowercase hexadecimal digits");
  EXPECT_EQ(reason_of(parse_signature(with_field(good, "key_id", "0123"))),
            "the signature file's key_id must be 16 lowercase hexadecimal digits");
  EXPECT_EQ(reason_of(parse_signature(without_field(good, "signature"))),
            R"(the signature file has no "signature" field)");
  EXPECT_EQ(reason_of(parse_signature(with_field(good, "signed_by", "me"))),
            R"(the signature file has an unknown field "signed_by")");
}

TEST(signing, signature_files_round_trip_and_are_replaced_atomically) {
  const scratch_directory dir;
  const auto key = secret_key::generate();
  const auto first = sign(key, make_plugin_file(dir, "one"), manifest);
  const auto second = sign(key, make_plugin_file(dir, "two"), manifest);
  write_signature_file(dir / "plugin.so.sig", first);
  write_signature_file(dir / "plugin.so.sig", second);

  const auto read = read_signature_file(dir / "plugin.so.sig");
  ASSERT_FALSE(is_refused(read)) << reason_of(read);
  EXPECT_EQ(accepted(read), second);
  EXPECT_EQ(permissions_of(dir / "plugin.so.sig"),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  // No temporary file is left behind.
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    names.insert(entry.path().filename().string());
  }
  EXPECT_EQ(names, (std::set<std::string>{"plugin.so", "plugin.so.sig"}));
}

TEST(signing, a_missing_signature_file_is_an_io_error) {
  const scratch_directory dir;
  EXPECT_THROW(read_signature_file(dir / "nothing.sig"), signing_error);
}

TEST(signing, a_missing_file_to_verify_is_an_io_error) {
  const scratch_directory dir;
  const auto key = secret_key::generate();
  const auto document = sign(key, make_plugin_file(dir), manifest);
  fs::remove(dir / "plugin.so");
  EXPECT_THROW(verify_file(document, std::vector{key.public_part()}, dir / "plugin.so"), signing_error);
}

TEST(owned_copy, is_read_only_identical_and_uniquely_named) {
  const scratch_directory dir;
  const auto upload = make_plugin_file(dir, std::string(100000, 'x') + "end");
  const auto owned = dir / "owned";

  const auto first = copy_into_owned_directory(upload, owned);
  const auto second = copy_into_owned_directory(upload, owned);
  EXPECT_EQ(first.parent_path(), owned);
  EXPECT_NE(first, second);
  EXPECT_THAT(first.filename().string(), StartsWith("plugin-"));
  EXPECT_EQ(first.extension(), ".so");
  EXPECT_EQ(read_file(first), read_file(upload));
  EXPECT_EQ(read_file(second), read_file(upload));
  const auto read_only = fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read;
  EXPECT_EQ(permissions_of(first), read_only);
  EXPECT_EQ(permissions_of(second), read_only);
  // A directory the host creates for its copies is private.
  EXPECT_EQ(permissions_of(owned), fs::perms::owner_all);
  // Changing the upload afterwards does not change the copy.
  write_file(upload, "changed");
  EXPECT_EQ(read_file(first), std::string(100000, 'x') + "end");
}

TEST(owned_copy, verification_happens_on_the_copy) {
  const scratch_directory dir;
  const auto key = secret_key::generate();
  const auto upload = make_plugin_file(dir);
  const auto document = sign(key, upload, manifest);
  const auto copy = copy_into_owned_directory(upload, dir / "owned");
  write_file(upload, "swapped after the copy");
  EXPECT_FALSE(is_refused(verify_file(document, std::vector{key.public_part()}, copy)));
  EXPECT_TRUE(is_refused(verify_file(document, std::vector{key.public_part()}, upload)));
}

TEST(owned_copy, refuses_a_directory_others_can_write_to) {
  const scratch_directory dir;
  const auto upload = make_plugin_file(dir);
  fs::create_directory(dir / "shared");
  fs::permissions(dir / "shared", fs::perms::owner_all | fs::perms::group_all, fs::perm_options::replace);
  try {
    copy_into_owned_directory(upload, dir / "shared");
    FAIL() << "copied into a group-writable directory";
  } catch (const signing_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("writable by its group or by others"));
  }
  EXPECT_TRUE(fs::is_empty(dir / "shared"));
}

TEST(owned_copy, refuses_a_symlink_as_the_directory) {
  const scratch_directory dir;
  const auto upload = make_plugin_file(dir);
  fs::create_directory(dir / "real");
  fs::permissions(dir / "real", fs::perms::owner_all, fs::perm_options::replace);
  fs::create_directory_symlink(dir / "real", dir / "link");
  EXPECT_THROW(copy_into_owned_directory(upload, dir / "link"), signing_error);
  EXPECT_TRUE(fs::is_empty(dir / "real"));
}

TEST(owned_copy, refuses_what_is_not_a_regular_file) {
  const scratch_directory dir;
  EXPECT_THROW(copy_into_owned_directory(dir.path(), dir / "owned"), signing_error);
  EXPECT_THROW(copy_into_owned_directory(dir / "missing.so", dir / "owned"), signing_error);
}

TEST(owned_copy, names_cannot_escape_the_directory) {
  const scratch_directory dir;
  write_file(dir / "we ird$name.so", "x");
  const auto copy = copy_into_owned_directory(dir / "we ird$name.so", dir / "owned");
  EXPECT_EQ(copy.parent_path(), dir / "owned");
  EXPECT_THAT(copy.filename().string(), StartsWith("we_ird_name-"));
}

}  // namespace
}  // namespace lotse::signing
