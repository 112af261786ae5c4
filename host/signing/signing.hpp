// Ed25519 signatures for provider plugins (docs/plugin-signing.md): publisher key pairs, detached signature files over
// a plugin file's SHA-256 and its manifest's SHA-256, and their verification. libsodium does all cryptography; this
// library only fixes the file formats and the exact message that is signed.
//
// A plugin is verified twice: verify_file on the host's own read-only copy *before* anything loads it (the bytes
// that will be loaded are the signed ones), and verify_manifest *after* loading (the description the copy returned
// is the signed one). copy_into_owned_directory makes the first check meaningful: nobody else can change the copy
// between verification and dlopen.
//
// Refusals (a wrong key, a bad signature, a malformed file) are expected outcomes and come back as values carrying
// one sentence; signing_error is thrown only when I/O fails and the operation cannot go on.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace lotse::signing {

inline constexpr std::string_view secret_key_format = "lotse-secret-key-v1";
inline constexpr std::string_view public_key_format = "lotse-public-key-v1";
inline constexpr std::string_view signature_format = "lotse-plugin-signature-v1";
inline constexpr std::string_view algorithm = "ed25519";

inline constexpr std::size_t public_key_bytes = 32;
inline constexpr std::size_t seed_bytes = 32;  // the RFC 8032 private key; what a secret key file holds
inline constexpr std::size_t signature_bytes = 64;
inline constexpr std::size_t key_id_length = 16;  // hex digits

// A file could not be read, written or created (including a key file that already exists): the operation ends.
class signing_error : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

// Why a key file, signature file, plugin file or manifest is not accepted: one sentence.
struct refusal {
  std::string reason;
};

template <typename T>
using outcome = std::variant<T, refusal>;

struct public_key {
  std::string key_id;  // key_id_of(bytes)
  std::array<unsigned char, public_key_bytes> bytes{};

  friend bool operator==(const public_key&, const public_key&) = default;
};

// The first 16 hex digits of the SHA-256 of the public key: short enough to read out, long enough that two keys of
// one publisher never collide by accident. It names a key; it proves nothing (verification uses the key itself).
std::string key_id_of(std::span<const unsigned char, public_key_bytes> key);

// An Ed25519 signing key. Move-only; its bytes are wiped (sodium_memzero) when it is destroyed or moved from.
class secret_key {
 public:
  // A new key from libsodium's CSPRNG.
  static secret_key generate();
  // The key whose RFC 8032 private key (seed) is `seed`.
  static secret_key from_seed(std::span<const unsigned char, seed_bytes> seed);

  secret_key(secret_key&& other) noexcept;
  secret_key& operator=(secret_key&& other) noexcept;
  secret_key(const secret_key&) = delete;
  secret_key& operator=(const secret_key&) = delete;
  ~secret_key();

  const public_key& public_part() const { return public_; }
  const std::string& key_id() const { return public_.key_id; }

 private:
  friend struct secret_key_access;
  secret_key() = default;

  // libsodium's expanded form (seed followed by the public key), as crypto_sign_ed25519_detached takes it.
  std::array<unsigned char, 64> expanded_{};
  public_key public_;
};

// --- key files ------------------------------------------------------------------------------------------------------
// {"format":"lotse-secret-key-v1","algorithm":"ed25519","key_id":"…","secret_key":"<base64 of the 32-byte seed>"}
// {"format":"lotse-public-key-v1","algorithm":"ed25519","key_id":"…","public_key":"<base64 of 32 bytes>"}

struct key_files {
  std::filesystem::path secret_file;  // DIR/NAME.secret.json, mode 0600
  std::filesystem::path public_file;  // DIR/NAME.public.json, mode 0644
  std::string key_id;
};

// Writes both key files of `key` into dir (which must exist). Never overwrites: throws signing_error, leaving no new
// file behind, if either file exists or cannot be written. name must be a plain file name ([A-Za-z0-9._-], not
// starting with '.'); std::invalid_argument otherwise.
key_files write_key_files(const secret_key& key, const std::filesystem::path& dir, std::string_view name);

std::string public_key_json(const public_key& key);

// Parse key files. A refusal names what is wrong (not JSON, wrong format or algorithm, bad base64, wrong length,
// a key_id that does not belong to the key, unknown or missing fields).
outcome<public_key> parse_public_key(std::string_view json_text);
outcome<secret_key> parse_secret_key(std::string_view json_text);
// Read and parse; throw signing_error if the file cannot be read. The secret key file's text is wiped after use.
outcome<public_key> read_public_key(const std::filesystem::path& file);
outcome<secret_key> read_secret_key(const std::filesystem::path& file);

// --- signatures -----------------------------------------------------------------------------------------------------

// A detached signature (conventionally FILE.sig), as JSON:
// {"format":"lotse-plugin-signature-v1","algorithm":"ed25519","key_id":"…","file_sha256":"<64 hex>",
//  "manifest_sha256":"<64 hex>","signature":"<base64 of 64 bytes>"}
struct signature_document {
  std::string key_id;
  std::string file_sha256;      // lowercase hex of the plugin file's SHA-256
  std::string manifest_sha256;  // lowercase hex of the SHA-256 of the exact description bytes describe() returned
  std::array<unsigned char, signature_bytes> signature{};

  friend bool operator==(const signature_document&, const signature_document&) = default;
};

// What the Ed25519 signature covers: "lotse-plugin-signature-v1\n" FILE_SHA256 "\n" MANIFEST_SHA256 "\n". The
// prefix separates it from anything else a publisher's key might sign.
std::string signed_message(std::string_view file_sha256, std::string_view manifest_sha256);

std::string sha256_hex(std::string_view bytes);

// Standard base64 with padding (libsodium), as key files, signatures, plugin bundles and the database carry bytes;
// nullopt for text that is not.
std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);
// Streams the file through SHA-256; throws signing_error if it cannot be read.
std::string file_sha256_hex(const std::filesystem::path& file);

// Signs file (hashed from disk now) together with manifest. Throws signing_error if file cannot be read.
signature_document sign(const secret_key& key, const std::filesystem::path& file, std::string_view manifest);

std::string signature_json(const signature_document& document);
outcome<signature_document> parse_signature(std::string_view json_text);
// Throws signing_error if the file cannot be read (a missing signature is the caller's refusal to phrase).
outcome<signature_document> read_signature_file(const std::filesystem::path& file);
// Replaces path atomically (temporary file, fsync, rename), mode 0644. Throws signing_error.
void write_signature_file(const std::filesystem::path& path, const signature_document& document);

// A signature document that verify_file accepted; only verify_file makes one, so verify_manifest can never be asked
// to trust a manifest hash whose signature nobody checked.
class verified_signature {
 public:
  const signature_document& document() const { return document_; }
  const std::string& key_id() const { return document_.key_id; }

 private:
  friend outcome<verified_signature> verify_file(const signature_document&, std::span<const public_key>,
                                                 const std::filesystem::path&);
  explicit verified_signature(signature_document document) : document_(std::move(document)) {}

  signature_document document_;
};

// Before loading: the signature was made by one of the registered keys (matched by key_id) and file's SHA-256 is the
// signed one. Call it on the copy from copy_into_owned_directory and load that same copy. Throws signing_error only
// if file cannot be read.
outcome<verified_signature> verify_file(const signature_document& document, std::span<const public_key> registered,
                                        const std::filesystem::path& file);

// After loading: manifest (the loaded copy's description_json) is the signed one. std::nullopt when it is.
std::optional<refusal> verify_manifest(const verified_signature& signature, std::string_view manifest);

// --- the host's own copy --------------------------------------------------------------------------------------------

// Copies source into dir as a new file with a unique name (source's stem, random hex, source's extension), fsyncs it
// and makes it read-only (0444). dir is created (0700) if missing; it must be a real directory owned by this user
// and writable by nobody else, otherwise someone could swap the copy between verification and loading. Throws
// signing_error for I/O failures and for such a directory.
std::filesystem::path copy_into_owned_directory(const std::filesystem::path& source, const std::filesystem::path& dir);

// The same for bytes received over the network (an upload): a new read-only file in dir named after file_name's
// stem and extension.
std::filesystem::path write_into_owned_directory(std::string_view bytes, std::string_view file_name,
                                                 const std::filesystem::path& dir);

}  // namespace lotse::signing
