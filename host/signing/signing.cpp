#include "host/signing/signing.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <system_error>
#include <vector>

namespace lotse::signing {

static_assert(public_key_bytes == crypto_sign_ed25519_PUBLICKEYBYTES);
static_assert(seed_bytes == crypto_sign_ed25519_SEEDBYTES);
static_assert(signature_bytes == crypto_sign_ed25519_BYTES);
static_assert(64 == crypto_sign_ed25519_SECRETKEYBYTES);

// The one place that may read a secret key's bytes besides the class itself.
struct secret_key_access {
  static const unsigned char* expanded(const secret_key& key) { return key.expanded_.data(); }
};

namespace {

namespace json = boost::json;

constexpr std::size_t sha256_hex_length = 2 * crypto_hash_sha256_BYTES;
// Key and signature files are a few hundred bytes; anything much larger is not one, and the limit bounds the
// wiped arena secrets are parsed in.
constexpr std::size_t max_document_bytes = 4096;
constexpr std::size_t io_chunk = 64 * 1024;

void ensure_sodium() {
  // sodium_init picks implementations and seeds the CSPRNG; it must run before any other libsodium call.
  static const bool ready = sodium_init() >= 0;
  if (!ready) {
    throw signing_error("libsodium could not be initialised");
  }
}

std::string errno_text(int error) { return std::system_category().message(error); }

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
  throw signing_error(what + " " + path.string() + ": " + errno_text(error));
}

// Owns a file descriptor.
class descriptor {
 public:
  explicit descriptor(int fd = -1) : fd_(fd) {}
  descriptor(descriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  descriptor& operator=(descriptor&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) {
        ::close(fd_);
      }
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~descriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // close() reports deferred write errors (e.g. NFS), so files we write are closed explicitly.
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

// Wipes a string that held secret material (base64 of a seed, the text of a secret key file).
struct wiped_string {
  std::string text;
  wiped_string() = default;
  wiped_string(const wiped_string&) = delete;
  wiped_string& operator=(const wiped_string&) = delete;
  ~wiped_string() { sodium_memzero(text.data(), text.size()); }
};

// Memory for the Boost.JSON values of a key file, wiped afterwards, so no copy of a secret outlives parsing in the
// general heap.
class wiped_arena {
 public:
  wiped_arena() : resource_(bytes_.data(), bytes_.size()) {}
  wiped_arena(const wiped_arena&) = delete;
  wiped_arena& operator=(const wiped_arena&) = delete;
  ~wiped_arena() { sodium_memzero(bytes_.data(), bytes_.size()); }
  json::storage_ptr storage() { return json::storage_ptr(&resource_); }

 private:
  alignas(std::max_align_t) std::array<unsigned char, 8 * max_document_bytes> bytes_{};
  json::static_resource resource_;
};

void write_all(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    const auto written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("cannot write", path, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

// Reads at most limit + 1 bytes, so a caller can tell "too large" without reading a huge file.
std::string read_limited(const std::filesystem::path& path, std::size_t limit) {
  descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    fail("cannot open", path, errno);
  }
  std::array<char, 4096> buffer{};
  std::string out;
  // Reserved once, so no reallocation leaves a copy of a secret key file behind in freed memory.
  out.reserve(limit + buffer.size());
  while (out.size() <= limit) {
    const auto got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int error = errno;
      sodium_memzero(out.data(), out.size());
      sodium_memzero(buffer.data(), buffer.size());
      fail("cannot read", path, error);
    }
    if (got == 0) {
      break;
    }
    out.append(buffer.data(), static_cast<std::size_t>(got));
  }
  // The buffer may have held part of a secret key file.
  sodium_memzero(buffer.data(), buffer.size());
  return out;
}

void fsync_directory(const std::filesystem::path& dir) {
  descriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid() || ::fsync(fd.get()) != 0) {
    fail("cannot sync directory", dir, errno);
  }
}

std::string to_hex(std::span<const unsigned char> bytes) {
  std::string out(2 * bytes.size() + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

bool is_lower_hex(std::string_view text, std::size_t length) {
  return text.size() == length &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string to_base64(std::span<const unsigned char> bytes) {
  return signing::to_base64(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

// Decodes standard base64 (with padding) into exactly out.size() bytes; otherwise the reason, naming `what` (e.g.
// "the public key file's public_key") and `kind` ("an Ed25519 public key").
std::optional<refusal> from_base64(std::string_view text, std::span<unsigned char> out, std::string_view what,
                                   std::string_view kind) {
  std::vector<unsigned char> buffer(text.size() / 4 * 3 + 3);
  std::size_t length = 0;
  const char* end = nullptr;
  const int status = sodium_base642bin(buffer.data(), buffer.size(), text.data(), text.size(), nullptr, &length, &end,
                                       sodium_base64_VARIANT_ORIGINAL);
  std::optional<refusal> problem;
  if (status != 0 || end != text.data() + text.size() || text.empty()) {
    problem = refusal{std::string(what) + " is not valid base64"};
  } else if (length != out.size()) {
    problem = refusal{std::string(what) + " decodes to " + std::to_string(length) + " bytes, but " + std::string(kind) +
                      " has " + std::to_string(out.size())};
  } else {
    std::memcpy(out.data(), buffer.data(), length);
  }
  sodium_memzero(buffer.data(), buffer.size());
  return problem;
}

std::string quoted(std::string_view text) { return json::serialize(json::string(text)); }

// The string fields of a key or signature file: a JSON object with exactly "format", "algorithm" and `names`, all
// strings, with the expected format and algorithm. `what` names the document in reasons ("the public key file").
template <std::size_t N>
std::optional<refusal> read_fields(std::string_view text, std::string_view what, std::string_view format,
                                   const std::array<std::string_view, N>& names, std::array<wiped_string, N>& out) {
  const std::string subject(what);
  if (text.size() > max_document_bytes) {
    return refusal{subject + " is larger than " + std::to_string(max_document_bytes) + " bytes, so it is not one"};
  }
  wiped_arena arena;
  json::error_code ec;
  // Same storage as parse's result, so the assignment below moves instead of copying into the general heap.
  json::value document(arena.storage());
  try {
    document = json::parse(text, ec, arena.storage());
  } catch (const std::bad_alloc&) {
    return refusal{subject + " is nested too deeply to be one"};
  }
  if (ec) {
    return refusal{subject + " is not JSON: " + ec.message()};
  }
  const auto* object = document.if_object();
  if (object == nullptr) {
    return refusal{subject + " is not a JSON object"};
  }
  const auto string_field = [&](std::string_view name) -> std::variant<std::string_view, refusal> {
    const auto* value = object->if_contains(name);
    if (value == nullptr) {
      return refusal{subject + " has no \"" + std::string(name) + "\" field"};
    }
    if (!value->is_string()) {
      return refusal{subject + "'s \"" + std::string(name) + "\" field is not a string"};
    }
    return std::string_view(value->get_string().data(), value->get_string().size());
  };
  const auto found_format = string_field("format");
  if (const auto* problem = std::get_if<refusal>(&found_format)) {
    return *problem;
  }
  if (const auto actual = std::get<std::string_view>(found_format); actual != format) {
    std::string reason = subject + " has format " + quoted(actual) + ", not " + quoted(format);
    if (format == secret_key_format && actual == public_key_format) {
      reason += " (it is a public key file; signing needs the .secret.json file)";
    }
    return refusal{reason};
  }
  const auto found_algorithm = string_field("algorithm");
  if (const auto* problem = std::get_if<refusal>(&found_algorithm)) {
    return *problem;
  }
  if (const auto actual = std::get<std::string_view>(found_algorithm); actual != algorithm) {
    return refusal{subject + " uses algorithm " + quoted(actual) + ", but only ed25519 is supported"};
  }
  for (std::size_t i = 0; i < N; ++i) {
    const auto found = string_field(names[i]);
    if (const auto* problem = std::get_if<refusal>(&found)) {
      return *problem;
    }
    out[i].text = std::string(std::get<std::string_view>(found));
  }
  for (const auto& entry : *object) {
    const std::string_view key(entry.key().data(), entry.key().size());
    if (key != "format" && key != "algorithm" && std::find(names.begin(), names.end(), key) == names.end()) {
      return refusal{subject + " has an unknown field " + quoted(key)};
    }
  }
  return std::nullopt;
}

std::optional<refusal> check_key_id(std::string_view stated, const public_key& key, std::string_view what) {
  if (!is_lower_hex(stated, key_id_length)) {
    return refusal{std::string(what) + "'s key_id must be " + std::to_string(key_id_length) +
                   " lowercase hexadecimal digits"};
  }
  if (stated != key.key_id) {
    return refusal{std::string(what) + "'s key_id " + std::string(stated) +
                   " does not belong to its key, whose key_id is " + key.key_id};
  }
  return std::nullopt;
}

bool is_plain_name(std::string_view name) {
  return !name.empty() && name.front() != '.' && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

// Creates path, which must not exist yet, with exactly `mode` (fchmod, because the umask may only narrow it).
descriptor create_new_file(const std::filesystem::path& path, mode_t mode) {
  descriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd.valid()) {
    if (errno == EEXIST) {
      throw signing_error(path.string() + " already exists; refusing to overwrite it");
    }
    fail("cannot create", path, errno);
  }
  if (::fchmod(fd.get(), mode) != 0) {
    const int error = errno;
    ::unlink(path.c_str());
    fail("cannot set the mode of", path, error);
  }
  return fd;
}

void finish_file(descriptor& fd, const std::filesystem::path& path) {
  if (::fsync(fd.get()) != 0 || fd.close() != 0) {
    fail("cannot write", path, errno);
  }
}

// Writes the secret key file's JSON to fd. Every intermediate copy of the seed (its base64, the JSON values, the
// serialised text) lives in memory that is wiped afterwards.
void write_secret_key_json(int fd, const secret_key& key, const std::filesystem::path& path) {
  std::array<unsigned char, seed_bytes> seed{};
  crypto_sign_ed25519_sk_to_seed(seed.data(), secret_key_access::expanded(key));
  wiped_string encoded;
  encoded.text = to_base64(seed);
  sodium_memzero(seed.data(), seed.size());
  wiped_arena arena;
  const json::value document(json::object({{"format", secret_key_format},
                                           {"algorithm", algorithm},
                                           {"key_id", key.key_id()},
                                           {"secret_key", json::string_view(encoded.text)}},
                                          arena.storage()));
  struct wiped_text {
    std::array<char, max_document_bytes> bytes{};
    ~wiped_text() { sodium_memzero(bytes.data(), bytes.size()); }
  } text;
  json::serializer serializer;
  serializer.reset(&document);
  const auto written = serializer.read(text.bytes.data(), text.bytes.size());
  if (!serializer.done()) {
    throw signing_error("the secret key file for " + path.string() + " would be larger than expected");
  }
  write_all(fd, std::string_view(written.data(), written.size()), path);
  write_all(fd, "\n", path);
}

// A name for the owned copy that keeps the upload's recognisable stem and its extension (".so"), so logs and
// load_directory still recognise it, but nothing of it that could escape the directory.
std::string copy_name(const std::filesystem::path& source) {
  std::string stem;
  for (const char c : source.stem().string().substr(0, 64)) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                       c == '-' || c == '.';
    stem += plain ? c : '_';
  }
  if (stem.empty() || stem.front() == '.') {
    stem.insert(0, "plugin");
  }
  std::string extension = source.extension().string();
  if (extension.size() > 16 || !is_plain_name(extension.empty() ? "x" : extension.substr(1))) {
    extension.clear();
  }
  std::array<unsigned char, 8> random{};
  randombytes_buf(random.data(), random.size());
  return stem + "-" + to_hex(random) + extension;
}

}  // namespace

std::string key_id_of(std::span<const unsigned char, public_key_bytes> key) {
  ensure_sodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), key.data(), key.size());
  return to_hex(digest).substr(0, key_id_length);
}

secret_key secret_key::generate() {
  ensure_sodium();
  secret_key key;
  crypto_sign_ed25519_keypair(key.public_.bytes.data(), key.expanded_.data());
  key.public_.key_id = key_id_of(key.public_.bytes);
  return key;
}

secret_key secret_key::from_seed(std::span<const unsigned char, seed_bytes> seed) {
  ensure_sodium();
  secret_key key;
  crypto_sign_ed25519_seed_keypair(key.public_.bytes.data(), key.expanded_.data(), seed.data());
  key.public_.key_id = key_id_of(key.public_.bytes);
  return key;
}

secret_key::secret_key(secret_key&& other) noexcept : expanded_(other.expanded_), public_(std::move(other.public_)) {
  sodium_memzero(other.expanded_.data(), other.expanded_.size());
}

secret_key& secret_key::operator=(secret_key&& other) noexcept {
  if (this != &other) {
    expanded_ = other.expanded_;
    public_ = std::move(other.public_);
    sodium_memzero(other.expanded_.data(), other.expanded_.size());
  }
  return *this;
}

secret_key::~secret_key() { sodium_memzero(expanded_.data(), expanded_.size()); }

std::string public_key_json(const public_key& key) {
  return json::serialize(json::object{{"format", public_key_format},
                                      {"algorithm", algorithm},
                                      {"key_id", key.key_id},
                                      {"public_key", to_base64(key.bytes)}});
}

key_files write_key_files(const secret_key& key, const std::filesystem::path& dir, std::string_view name) {
  if (!is_plain_name(name)) {
    throw std::invalid_argument("a key name must consist of letters, digits, '.', '_' and '-' and not start with '.'");
  }
  key_files files{dir / (std::string(name) + ".secret.json"), dir / (std::string(name) + ".public.json"),
                  key.key_id()};
  // Both names are claimed before anything is written, so a clash leaves neither a lone secret nor a half pair.
  auto secret_fd = create_new_file(files.secret_file, 0600);
  std::optional<descriptor> public_fd;
  try {
    public_fd.emplace(create_new_file(files.public_file, 0644));
  } catch (...) {
    ::unlink(files.secret_file.c_str());
    throw;
  }
  try {
    write_secret_key_json(secret_fd.get(), key, files.secret_file);
    finish_file(secret_fd, files.secret_file);
    write_all(public_fd->get(), public_key_json(key.public_part()) + "\n", files.public_file);
    finish_file(*public_fd, files.public_file);
    fsync_directory(dir);
  } catch (...) {
    ::unlink(files.secret_file.c_str());
    ::unlink(files.public_file.c_str());
    throw;
  }
  return files;
}

outcome<public_key> parse_public_key(std::string_view json_text) {
  ensure_sodium();
  constexpr std::string_view what = "the public key file";
  std::array<wiped_string, 2> fields;
  if (auto problem = read_fields<2>(json_text, what, public_key_format, {"key_id", "public_key"}, fields)) {
    return *problem;
  }
  public_key key;
  if (auto problem = from_base64(fields[1].text, key.bytes, "the public key file's public_key",
                                 "an Ed25519 public key")) {
    return *problem;
  }
  key.key_id = key_id_of(key.bytes);
  if (auto problem = check_key_id(fields[0].text, key, what)) {
    return *problem;
  }
  return key;
}

outcome<secret_key> parse_secret_key(std::string_view json_text) {
  ensure_sodium();
  constexpr std::string_view what = "the secret key file";
  std::array<wiped_string, 2> fields;
  if (auto problem = read_fields<2>(json_text, what, secret_key_format, {"key_id", "secret_key"}, fields)) {
    return *problem;
  }
  std::array<unsigned char, seed_bytes> seed{};
  if (auto problem = from_base64(fields[1].text, seed, "the secret key file's secret_key",
                                 "an Ed25519 secret key (seed)")) {
    return *problem;
  }
  auto key = secret_key::from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  if (auto problem = check_key_id(fields[0].text, key.public_part(), what)) {
    return *problem;
  }
  return key;
}

outcome<public_key> read_public_key(const std::filesystem::path& file) {
  return parse_public_key(read_limited(file, max_document_bytes));
}

outcome<secret_key> read_secret_key(const std::filesystem::path& file) {
  wiped_string text;
  text.text = read_limited(file, max_document_bytes);
  return parse_secret_key(text.text);
}

std::string signed_message(std::string_view file_sha256, std::string_view manifest_sha256) {
  std::string message(signature_format);
  message += '\n';
  message += file_sha256;
  message += '\n';
  message += manifest_sha256;
  message += '\n';
  return message;
}

std::string sha256_hex(std::string_view bytes) {
  ensure_sodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return to_hex(digest);
}

std::string file_sha256_hex(const std::filesystem::path& file) {
  ensure_sodium();
  descriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    fail("cannot open", file, errno);
  }
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<unsigned char> buffer(io_chunk);
  for (;;) {
    const auto got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("cannot read", file, errno);
    }
    if (got == 0) {
      break;
    }
    crypto_hash_sha256_update(&state, buffer.data(), static_cast<unsigned long long>(got));
  }
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&state, digest.data());
  return to_hex(digest);
}

signature_document sign(const secret_key& key, const std::filesystem::path& file, std::string_view manifest) {
  ensure_sodium();
  signature_document document{key.key_id(), file_sha256_hex(file), sha256_hex(manifest), {}};
  const auto message = signed_message(document.file_sha256, document.manifest_sha256);
  crypto_sign_ed25519_detached(document.signature.data(), nullptr,
                               reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                               secret_key_access::expanded(key));
  return document;
}

std::string signature_json(const signature_document& document) {
  return json::serialize(json::object{{"format", signature_format},
                                      {"algorithm", algorithm},
                                      {"key_id", document.key_id},
                                      {"file_sha256", document.file_sha256},
                                      {"manifest_sha256", document.manifest_sha256},
                                      {"signature", to_base64(document.signature)}});
}

outcome<signature_document> parse_signature(std::string_view json_text) {
  ensure_sodium();
  constexpr std::string_view what = "the signature file";
  std::array<wiped_string, 4> fields;
  if (auto problem = read_fields<4>(json_text, what, signature_format,
                                    {"key_id", "file_sha256", "manifest_sha256", "signature"}, fields)) {
    return *problem;
  }
  signature_document document;
  document.key_id = fields[0].text;
  document.file_sha256 = fields[1].text;
  document.manifest_sha256 = fields[2].text;
  if (!is_lower_hex(document.key_id, key_id_length)) {
    return refusal{"the signature file's key_id must be " + std::to_string(key_id_length) +
                   " lowercase hexadecimal digits"};
  }
  for (const auto& [name, value] : {std::pair{"file_sha256", &document.file_sha256},
                                    std::pair{"manifest_sha256", &document.manifest_sha256}}) {
    if (!is_lower_hex(*value, sha256_hex_length)) {
      return refusal{std::string("the signature file's ") + name + " must be " + std::to_string(sha256_hex_length) +
                     " lowercase hexadecimal digits"};
    }
  }
  if (auto problem = from_base64(fields[3].text, document.signature, "the signature file's signature",
                                 "an Ed25519 signature")) {
    return *problem;
  }
  return document;
}

outcome<signature_document> read_signature_file(const std::filesystem::path& file) {
  return parse_signature(read_limited(file, max_document_bytes));
}

void write_signature_file(const std::filesystem::path& path, const signature_document& document) {
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string temporary = path.string() + ".tmp-XXXXXX";
  descriptor fd(::mkstemp(temporary.data()));
  if (!fd.valid()) {
    fail("cannot create a temporary file beside", path, errno);
  }
  try {
    if (::fchmod(fd.get(), 0644) != 0) {
      fail("cannot set the mode of", temporary, errno);
    }
    write_all(fd.get(), signature_json(document) + "\n", temporary);
    finish_file(fd, temporary);
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
      fail("cannot rename " + temporary + " to", path, errno);
    }
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  fsync_directory(dir);
}

outcome<verified_signature> verify_file(const signature_document& document, std::span<const public_key> registered,
                                        const std::filesystem::path& file) {
  ensure_sodium();
  const auto key = std::find_if(registered.begin(), registered.end(),
                                [&](const public_key& candidate) { return candidate.key_id == document.key_id; });
  if (key == registered.end()) {
    return refusal{"the signature was made with key " + document.key_id +
                   ", which is not registered for this publisher"};
  }
  // The signature is checked before the hashes it covers are trusted for anything.
  const auto message = signed_message(document.file_sha256, document.manifest_sha256);
  if (crypto_sign_ed25519_verify_detached(document.signature.data(),
                                          reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                          key->bytes.data()) != 0) {
    return refusal{"the signature does not verify with the registered key " + document.key_id +
                   ": the signature file was altered or was not made with this key"};
  }
  if (file_sha256_hex(file) != document.file_sha256) {
    return refusal{"the file's SHA-256 hash does not match the signature: the file was changed after signing"};
  }
  return verified_signature(document);
}

std::optional<refusal> verify_manifest(const verified_signature& signature, std::string_view manifest) {
  if (sha256_hex(manifest) != signature.document().manifest_sha256) {
    return refusal{"the plugin's description is not the signed one: it changed after signing, or describe() does not "
                   "return the same bytes every time"};
  }
  return std::nullopt;
}

namespace {

// Creates a new file with a unique name (name_hint's stem, random hex, its extension) in dir, fills it through
// `fill`, then fsyncs it and makes it read-only; see copy_into_owned_directory for why dir is checked as it is.
std::filesystem::path store_in_owned_directory(const std::filesystem::path& name_hint, const std::filesystem::path& dir,
                                               const std::function<void(int, const std::filesystem::path&)>& fill) {
  ensure_sodium();
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    fail("cannot create directory", dir, errno);
  }
  // Opened without following a final symlink and checked through the descriptor, so the directory checked is the
  // one written to.
  descriptor dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  if (!dir_fd.valid()) {
    fail("cannot open directory", dir, errno);
  }
  struct stat dir_status {};
  if (::fstat(dir_fd.get(), &dir_status) != 0) {
    fail("cannot inspect", dir, errno);
  }
  if (dir_status.st_uid != ::geteuid()) {
    throw signing_error(dir.string() + " is not owned by this user, so a copy there could be replaced by its owner");
  }
  if ((dir_status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    throw signing_error(dir.string() +
                        " is writable by its group or by others, so a copy there could be replaced before loading");
  }

  std::string name;
  descriptor out;
  for (int attempt = 0; attempt < 8 && !out.valid(); ++attempt) {
    name = copy_name(name_hint);
    out = descriptor(::openat(dir_fd.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!out.valid() && errno != EEXIST) {
      fail("cannot create a file in", dir, errno);
    }
  }
  if (!out.valid()) {
    throw signing_error("cannot find an unused file name in " + dir.string());
  }
  const auto target = dir / name;
  try {
    fill(out.get(), target);
    if (::fsync(out.get()) != 0 || ::fchmod(out.get(), 0444) != 0 || out.close() != 0) {
      fail("cannot finish", target, errno);
    }
    if (::fsync(dir_fd.get()) != 0) {
      fail("cannot sync directory", dir, errno);
    }
  } catch (...) {
    ::unlinkat(dir_fd.get(), name.c_str(), 0);
    throw;
  }
  return target;
}

}  // namespace

std::filesystem::path copy_into_owned_directory(const std::filesystem::path& source, const std::filesystem::path& dir) {
  ensure_sodium();
  descriptor in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) {
    fail("cannot open", source, errno);
  }
  struct stat source_status {};
  if (::fstat(in.get(), &source_status) != 0) {
    fail("cannot inspect", source, errno);
  }
  if (!S_ISREG(source_status.st_mode)) {
    throw signing_error(source.string() + " is not a regular file");
  }
  return store_in_owned_directory(source, dir, [&](int out, const std::filesystem::path& target) {
    std::vector<char> buffer(io_chunk);
    for (;;) {
      const auto got = ::read(in.get(), buffer.data(), buffer.size());
      if (got < 0) {
        if (errno == EINTR) {
          continue;
        }
        fail("cannot read", source, errno);
      }
      if (got == 0) {
        break;
      }
      write_all(out, std::string_view(buffer.data(), static_cast<std::size_t>(got)), target);
    }
  });
}

std::filesystem::path write_into_owned_directory(std::string_view bytes, std::string_view file_name,
                                                 const std::filesystem::path& dir) {
  return store_in_owned_directory(std::filesystem::path(std::string(file_name)).filename(), dir,
                                  [&](int out, const std::filesystem::path& target) { write_all(out, bytes, target); });
}

std::string to_base64(std::string_view bytes) {
  ensure_sodium();
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // ENCODED_LEN counts the terminating NUL
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  ensure_sodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

}  // namespace lotse::signing
