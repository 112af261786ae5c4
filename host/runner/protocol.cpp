#include "host/runner/protocol.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <limits>
#include <utility>

namespace lotse::runner::protocol {
namespace {

namespace json = boost::json;

constexpr std::array status_names = {
    std::pair{status::ok, std::string_view("ok")},
    std::pair{status::error, std::string_view("error")},
    std::pair{status::bad_request, std::string_view("bad_request")},
    std::pair{status::not_supported, std::string_view("not_supported")},
    std::pair{status::invalid_response, std::string_view("invalid_response")},
    std::pair{status::fatal, std::string_view("fatal")},
};

std::string line_of(const json::value& message) {
  std::string line = json::serialize(message);
  line += '\n';
  return line;
}

std::variant<json::object, std::string> parse_object(std::string_view line) {
  json::error_code ec;
  json::value value = json::parse(line, ec);
  if (ec) {
    return "the line is not JSON (" + ec.message() + ")";
  }
  if (!value.is_object()) {
    return std::string("the line is not a JSON object");
  }
  return std::move(value.as_object());
}

const json::string* string_field(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr ? value->if_string() : nullptr;
}

// Boost.JSON stores a non-negative integer as int64 when it fits and as uint64 otherwise.
std::optional<std::uint64_t> unsigned_field(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (value->is_uint64()) {
    return value->get_uint64();
  }
  if (value->is_int64() && value->get_int64() >= 0) {
    return static_cast<std::uint64_t>(value->get_int64());
  }
  return std::nullopt;
}

std::optional<status> status_from(std::string_view name) {
  for (const auto& [value, text] : status_names) {
    if (text == name) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view status_name(status value) {
  for (const auto& [candidate, text] : status_names) {
    if (candidate == value) {
      return text;
    }
  }
  return "unknown";
}

std::string encode_hello(const hello& message) {
  json::object line{{"type", "hello"}, {"protocol", version}};
  if (const auto* loaded = std::get_if<hello_loaded>(&message)) {
    line["status"] = "loaded";
    line["abi"] = json::object{{"major", loaded->abi.major}, {"minor", loaded->abi.minor}};
    line["sdk_version"] = loaded->sdk_version;
    line["description"] = loaded->description_json;
    json::array hooks;
    if (loaded->has_quote) {
      hooks.emplace_back("quote");
    }
    line["hooks"] = std::move(hooks);
  } else {
    line["status"] = "failed";
    line["reason"] = std::get<hello_failed>(message).reason;
  }
  return line_of(line);
}

std::variant<hello, malformed> decode_hello(std::string_view line) {
  const auto bad = [](std::string reason) -> std::variant<hello, malformed> {
    return malformed{std::nullopt, "invalid hello: " + std::move(reason)};
  };
  auto parsed = parse_object(line);
  if (auto* reason = std::get_if<std::string>(&parsed)) {
    return bad(std::move(*reason));
  }
  const json::object& object = std::get<json::object>(parsed);
  const json::string* type = string_field(object, "type");
  if (type == nullptr || *type != "hello") {
    return bad("\"type\" is not \"hello\"");
  }
  const json::value* protocol = object.if_contains("protocol");
  if (protocol == nullptr || !protocol->is_int64() || protocol->get_int64() != version) {
    return bad("the runner does not speak protocol version " + std::to_string(version) +
               " (is the runner command the same build as the host?)");
  }
  const json::string* status = string_field(object, "status");
  if (status == nullptr) {
    return bad("\"status\" is missing");
  }
  if (*status == "failed") {
    const json::string* reason = string_field(object, "reason");
    if (reason == nullptr) {
      return bad("\"reason\" is missing");
    }
    return hello{hello_failed{std::string(*reason)}};
  }
  if (*status != "loaded") {
    return bad("\"status\" is neither \"loaded\" nor \"failed\"");
  }
  const json::value* abi = object.if_contains("abi");
  const json::object* abi_object = abi != nullptr ? abi->if_object() : nullptr;
  const auto major = abi_object != nullptr ? unsigned_field(*abi_object, "major") : std::nullopt;
  const auto minor = abi_object != nullptr ? unsigned_field(*abi_object, "minor") : std::nullopt;
  constexpr auto max_version = std::numeric_limits<std::uint32_t>::max();
  if (!major || !minor || *major > max_version || *minor > max_version) {
    return bad("\"abi\" is not {\"major\": N, \"minor\": N}");
  }
  const json::string* sdk_version = string_field(object, "sdk_version");
  const json::string* description = string_field(object, "description");
  const json::value* hooks = object.if_contains("hooks");
  if (sdk_version == nullptr || description == nullptr || hooks == nullptr || !hooks->is_array()) {
    return bad("\"sdk_version\", \"description\" or \"hooks\" is missing");
  }
  hello_loaded loaded{
      .abi = {static_cast<std::uint32_t>(*major), static_cast<std::uint32_t>(*minor)},
      .sdk_version = std::string(*sdk_version),
      .description_json = std::string(*description),
  };
  for (const json::value& hook : hooks->get_array()) {
    if (!hook.is_string()) {
      return bad("\"hooks\" is not an array of strings");
    }
    // Hooks a later protocol adds are ignored, so an older host can still use the ones it knows.
    loaded.has_quote = loaded.has_quote || hook.get_string() == "quote";
  }
  return hello{std::move(loaded)};
}

std::string encode_request(const request& message) {
  return line_of(json::object{{"id", message.id}, {"method", message.method}, {"params", message.params}});
}

std::variant<request, malformed> decode_request(std::string_view line) {
  auto parsed = parse_object(line);
  if (auto* reason = std::get_if<std::string>(&parsed)) {
    return malformed{std::nullopt, "the request is not readable: " + std::move(*reason)};
  }
  json::object& object = std::get<json::object>(parsed);
  const std::optional<std::uint64_t> id = unsigned_field(object, "id");
  if (!id) {
    return malformed{std::nullopt, "the request has no \"id\" that is a non-negative integer"};
  }
  const json::string* method = string_field(object, "method");
  if (method == nullptr) {
    return malformed{id, "the request has no \"method\" string"};
  }
  json::value* params = object.if_contains("params");
  if (params == nullptr || !params->is_object()) {
    return malformed{id, "the request has no \"params\" object"};
  }
  return request{*id, std::string(*method), std::move(*params)};
}

std::string encode_response(const response& message) {
  json::object line;
  line["id"] = message.id ? json::value(*message.id) : json::value(nullptr);
  line["status"] = status_name(message.status);
  if (message.status == status::ok) {
    line["result"] = message.result;
  } else {
    line["message"] = message.message;
  }
  return line_of(line);
}

std::variant<response, malformed> decode_response(std::string_view line) {
  const auto bad = [](std::string reason) -> std::variant<response, malformed> {
    return malformed{std::nullopt, "invalid response: " + std::move(reason)};
  };
  auto parsed = parse_object(line);
  if (auto* reason = std::get_if<std::string>(&parsed)) {
    return bad(std::move(*reason));
  }
  json::object& object = std::get<json::object>(parsed);
  response message;
  const json::value* id = object.if_contains("id");
  if (id == nullptr) {
    return bad("\"id\" is missing");
  }
  if (!id->is_null()) {
    message.id = unsigned_field(object, "id");
    if (!message.id) {
      return bad("\"id\" is neither null nor a non-negative integer");
    }
  }
  const json::string* status_text = string_field(object, "status");
  const std::optional<status> status = status_text != nullptr ? status_from(*status_text) : std::nullopt;
  if (!status) {
    return bad("\"status\" is missing or unknown");
  }
  message.status = *status;
  if (message.status == status::ok) {
    json::value* result = object.if_contains("result");
    if (result == nullptr) {
      return bad("\"result\" is missing");
    }
    message.result = std::move(*result);
    return message;
  }
  const json::string* text = string_field(object, "message");
  if (text == nullptr) {
    return bad("\"message\" is missing");
  }
  if (text->size() > max_message_bytes) {
    return bad("\"message\" is " + std::to_string(text->size()) + " bytes, more than " +
               std::to_string(max_message_bytes));
  }
  message.message = std::string(*text);
  return message;
}

void line_splitter::append(std::string_view bytes) {
  if (overflowed_) {
    return;
  }
  // Drop returned lines before growing, so the buffer holds little more than the pending line and one read.
  if (start_ > 0 && (start_ == buffer_.size() || start_ >= buffer_.size() / 2)) {
    buffer_.erase(0, start_);
    if (newline_ != std::string::npos) {
      newline_ -= start_;
    }
    start_ = 0;
  }
  const std::size_t old_size = buffer_.size();
  buffer_.append(bytes);
  if (newline_ == std::string::npos) {
    newline_ = buffer_.find('\n', old_size);  // only the new bytes: each byte is searched once
  }
  const std::size_t line_bytes = (newline_ == std::string::npos ? buffer_.size() : newline_) - start_;
  overflowed_ = line_bytes > max_line_bytes_;
}

std::optional<std::string> line_splitter::next_line() {
  if (overflowed_ || newline_ == std::string::npos) {
    return std::nullopt;
  }
  std::string line = buffer_.substr(start_, newline_ - start_);
  start_ = newline_ + 1;
  newline_ = buffer_.find('\n', start_);
  if (newline_ != std::string::npos && newline_ - start_ > max_line_bytes_) {
    overflowed_ = true;
  } else if (newline_ == std::string::npos && pending_bytes() > max_line_bytes_) {
    overflowed_ = true;
  }
  return line;
}

}  // namespace lotse::runner::protocol
