#include "catalog/domain/json_reader.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lotse::domain {

std::string append_pointer(std::string_view base, std::string_view token) {
  std::string out(base);
  out += '/';
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string append_pointer(std::string_view base, std::size_t index) {
  return std::string(base) + '/' + std::to_string(index);
}

}  // namespace lotse::domain

namespace lotse::domain::detail {
namespace {

std::string describe_number(double value) {
  // Integral bounds read better without a trailing ".000000".
  if (std::floor(value) == value && std::abs(value) < 1e15) {
    return std::to_string(static_cast<std::int64_t>(value));
  }
  auto text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  return text;
}

std::string range_message(std::string_view what, double min, std::optional<double> max) {
  std::string out = "must be ";
  out += what;
  if (max) {
    out += " from " + describe_number(min) + " to " + describe_number(*max);
  } else {
    out += " ≥ " + describe_number(min);
  }
  return out;
}

bool is_identifier(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  const auto ok_first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  const auto ok_rest = [&](char c) { return ok_first(c) || c == '.' || c == '_' || c == '-'; };
  return ok_first(text.front()) && std::all_of(text.begin() + 1, text.end(), ok_rest);
}

bool is_digits(std::string_view text, std::size_t count) {
  return text.size() == count && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Counts code points, not bytes, so a German name's length limit means what a clerk expects.
std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::optional<std::string> check_text(const boost::json::value& json, const std::string& pointer, const text_rule& rule,
                                      field_errors& errors) {
  if (!json.is_string()) {
    errors.push_back({pointer, "must be a string"});
    return std::nullopt;
  }
  const auto& raw = json.get_string();
  std::string text(raw.data(), raw.size());
  if (rule.digits > 0) {
    if (!is_digits(text, rule.digits)) {
      errors.push_back({pointer, "must be exactly " + std::to_string(rule.digits) + " digits"});
      return std::nullopt;
    }
    return text;
  }
  const auto length = utf8_length(text);
  if (length < rule.min_length || length > rule.max_length) {
    errors.push_back({pointer, "must be " + std::to_string(rule.min_length) + " to " +
                                   std::to_string(rule.max_length) + " characters long"});
    return std::nullopt;
  }
  if (rule.identifier && !is_identifier(text)) {
    errors.push_back({pointer, "must be an identifier: lowercase letters, digits, '.', '_' or '-', starting with a "
                               "letter or digit"});
    return std::nullopt;
  }
  return text;
}

}  // namespace

object_reader::object_reader(const boost::json::value* json, std::string pointer, field_errors& errors)
    : pointer_(std::move(pointer)), errors_(&errors) {
  if (json == nullptr) {
    return;
  }
  if (!json->is_object()) {
    errors_->push_back({pointer_, "must be an object"});
    return;
  }
  object_ = &json->get_object();
}

const boost::json::value* object_reader::find(std::string_view key, presence need) {
  known_.push_back(key);
  if (object_ == nullptr) {
    return nullptr;
  }
  const auto* value = object_->if_contains(key);
  if (value == nullptr || (value->is_null() && need == presence::optional)) {
    if (need == presence::required) {
      errors_->push_back({pointer_to(key), "is required"});
    }
    return nullptr;
  }
  return value;
}

const boost::json::value* object_reader::member(std::string_view key, presence need) { return find(key, need); }

std::optional<std::string> object_reader::text(std::string_view key, presence need, text_rule rule) {
  const auto* value = find(key, need);
  if (value == nullptr) {
    return std::nullopt;
  }
  return check_text(*value, pointer_to(key), rule, *errors_);
}

std::optional<double> object_reader::number(std::string_view key, presence need, double min,
                                            std::optional<double> max) {
  const auto* value = find(key, need);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_number()) {
    errors_->push_back({pointer_to(key), range_message("a number", min, max)});
    return std::nullopt;
  }
  const double number = value->to_number<double>();
  if (!std::isfinite(number) || number < min || (max && number > *max)) {
    errors_->push_back({pointer_to(key), range_message("a number", min, max)});
    return std::nullopt;
  }
  return number;
}

std::optional<std::int64_t> object_reader::integer(std::string_view key, presence need, std::int64_t min,
                                                   std::optional<std::int64_t> max) {
  const auto* value = find(key, need);
  if (value == nullptr) {
    return std::nullopt;
  }
  const auto message = [&] {
    return range_message("a whole number", static_cast<double>(min),
                         max ? std::optional<double>(static_cast<double>(*max)) : std::nullopt);
  };
  boost::json::error_code ec;
  const auto number = value->is_number() ? value->to_number<std::int64_t>(ec) : std::int64_t{0};
  if (!value->is_number() || ec || number < min || (max && number > *max)) {
    errors_->push_back({pointer_to(key), message()});
    return std::nullopt;
  }
  return number;
}

std::optional<bool> object_reader::boolean(std::string_view key, presence need) {
  const auto* value = find(key, need);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_bool()) {
    errors_->push_back({pointer_to(key), "must be true or false"});
    return std::nullopt;
  }
  return value->get_bool();
}

std::optional<std::vector<std::string>> object_reader::text_list(std::string_view key, presence need,
                                                                 text_rule rule, std::size_t max_items) {
  const auto* value = find(key, need);
  if (value == nullptr) {
    return std::nullopt;
  }
  const auto where = pointer_to(key);
  if (!value->is_array()) {
    errors_->push_back({where, "must be an array of strings"});
    return std::nullopt;
  }
  const auto& items = value->get_array();
  if (items.size() > max_items) {
    errors_->push_back({where, "must have at most " + std::to_string(max_items) + " entries"});
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto item_pointer = append_pointer(where, i);
    auto text = check_text(items[i], item_pointer, rule, *errors_);
    if (!text) {
      ok = false;
      continue;
    }
    if (std::find(out.begin(), out.end(), *text) != out.end()) {
      errors_->push_back({item_pointer, "is listed twice"});
      ok = false;
      continue;
    }
    out.push_back(std::move(*text));
  }
  if (!ok) {
    return std::nullopt;
  }
  return out;
}

void object_reader::error(std::string_view key, std::string message) {
  errors_->push_back({key.empty() ? pointer_ : pointer_to(key), std::move(message)});
}

void object_reader::finish() {
  if (object_ == nullptr) {
    return;
  }
  for (const auto& entry : *object_) {
    const std::string_view key(entry.key().data(), entry.key().size());
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
      errors_->push_back({pointer_to(key), "is not a known field"});
    }
  }
}

level_array read_levels(const boost::json::value& json, const std::string& pointer, field_errors& errors) {
  level_array levels{};
  if (!json.is_object()) {
    errors.push_back({pointer, "must be an object of maturity dimensions with levels 0 to 4"});
    return levels;
  }
  for (const auto& entry : json.get_object()) {
    const std::string_view key(entry.key().data(), entry.key().size());
    const auto where = append_pointer(pointer, key);
    const auto dim = parse_name<dimension>(key);
    if (!dim) {
      errors.push_back({where, "is not a maturity dimension; must be one of: " + std::string(all_names<dimension>())});
      continue;
    }
    boost::json::error_code ec;
    const auto level = entry.value().is_number() ? entry.value().to_number<std::int64_t>(ec) : -1;
    if (!entry.value().is_number() || ec || level < 0 || level > 4) {
      errors.push_back({where, "must be a whole number from 0 to 4"});
      continue;
    }
    levels[static_cast<std::size_t>(*dim)] = static_cast<std::uint8_t>(level);
  }
  return levels;
}

boost::json::object levels_to_json(const level_array& levels, bool skip_zero) {
  boost::json::object out;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (!skip_zero || levels[i] != 0) {
      out[name_of(static_cast<dimension>(i))] = levels[i];
    }
  }
  return out;
}

}  // namespace lotse::domain::detail
