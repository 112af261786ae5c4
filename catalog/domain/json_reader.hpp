// Reading untrusted JSON objects field by field while collecting every problem with its JSON pointer.
// Internal to lotse_domain: the profile and description parsers share it, so both report errors the same way.
#pragma once

#include "catalog/domain/model.hpp"
#include "catalog/domain/validation.hpp"
#include "catalog/domain/vocabulary.hpp"

#include <boost/json/value.hpp>

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::domain::detail {

using domain::append_pointer;

enum class presence { required, optional };

struct text_rule {
  std::size_t min_length = 1;
  std::size_t max_length = 200;
  // When set, the text must match ^[a-z0-9][a-z0-9._-]*$ (identifiers).
  bool identifier = false;
  // When set, the text must be exactly this many ASCII digits (AGS).
  std::size_t digits = 0;
};

// Reads one JSON object. Every accessor records the key as known; finish() reports keys nobody asked for, so a
// typo ("budget_anual_eur") is an error rather than a silently ignored field.
class object_reader {
 public:
  object_reader(const boost::json::value* json, std::string pointer, field_errors& errors);

  bool valid() const { return object_ != nullptr; }
  const std::string& pointer() const { return pointer_; }
  field_errors& errors() const { return *errors_; }
  std::string pointer_to(std::string_view key) const { return append_pointer(pointer_, key); }

  std::optional<std::string> text(std::string_view key, presence need, text_rule rule = {});
  std::optional<double> number(std::string_view key, presence need, double min, std::optional<double> max = {});
  std::optional<std::int64_t> integer(std::string_view key, presence need, std::int64_t min,
                                      std::optional<std::int64_t> max = {});
  std::optional<bool> boolean(std::string_view key, presence need);
  std::optional<std::vector<std::string>> text_list(std::string_view key, presence need, text_rule rule = {},
                                                    std::size_t max_items = 200);

  template <typename Enum>
  std::optional<Enum> word(std::string_view key, presence need);

  template <typename Enum, std::size_t N>
  std::optional<std::bitset<N>> word_set(std::string_view key, presence need);

  // The raw member for nested structures; reports a missing required member.
  const boost::json::value* member(std::string_view key, presence need);
  // A reader for a nested object member, reporting into the same errors; invalid() when absent or not an object.
  object_reader child(std::string_view key, presence need) { return {member(key, need), pointer_to(key), *errors_}; }

  void error(std::string_view key, std::string message);
  void finish();

 private:
  const boost::json::value* find(std::string_view key, presence need);

  const boost::json::object* object_ = nullptr;
  std::string pointer_;
  field_errors* errors_;
  std::vector<std::string_view> known_;
};

// Reads {"strategy": 0..4, ...}: levels per maturity dimension; absent dimensions stay 0.
level_array read_levels(const boost::json::value& json, const std::string& pointer, field_errors& errors);
boost::json::object levels_to_json(const level_array& levels, bool skip_zero);

// Checks a single word against a vocabulary; reports "must be one of: …" at pointer.
template <typename Enum>
std::optional<Enum> read_word(const boost::json::value& json, const std::string& pointer, field_errors& errors);

template <typename Enum>
std::optional<Enum> object_reader::word(std::string_view key, presence need) {
  const auto* value = find(key, need);
  if (value == nullptr) {
    return std::nullopt;
  }
  return read_word<Enum>(*value, pointer_to(key), *errors_);
}

template <typename Enum, std::size_t N>
std::optional<std::bitset<N>> object_reader::word_set(std::string_view key, presence need) {
  const auto* value = find(key, need);
  if (value == nullptr) {
    return std::nullopt;
  }
  const auto where = pointer_to(key);
  if (!value->is_array()) {
    errors_->push_back({where, "must be an array of words from: " + std::string(all_names<Enum>())});
    return std::nullopt;
  }
  std::bitset<N> set;
  bool ok = true;
  const auto& items = value->get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto item_pointer = append_pointer(where, i);
    const auto word = read_word<Enum>(items[i], item_pointer, *errors_);
    if (!word) {
      ok = false;
      continue;
    }
    const auto bit = static_cast<std::size_t>(*word);
    if (set.test(bit)) {
      errors_->push_back({item_pointer, "is listed twice"});
      ok = false;
    }
    set.set(bit);
  }
  if (!ok) {
    return std::nullopt;
  }
  return set;
}

template <typename Enum>
std::optional<Enum> read_word(const boost::json::value& json, const std::string& pointer, field_errors& errors) {
  if (json.is_string()) {
    const auto& text = json.get_string();
    if (auto parsed = parse_name<Enum>(std::string_view(text.data(), text.size()))) {
      return parsed;
    }
  }
  errors.push_back({pointer, "must be one of: " + std::string(all_names<Enum>())});
  return std::nullopt;
}

// Serialises a bitset of vocabulary words as a JSON array of their names, in vocabulary order.
template <typename Enum, std::size_t N>
boost::json::array words_to_json(const std::bitset<N>& set) {
  boost::json::array out;
  for (std::size_t i = 0; i < N; ++i) {
    if (set.test(i)) {
      out.emplace_back(name_of(static_cast<Enum>(i)));
    }
  }
  return out;
}

}  // namespace lotse::domain::detail
