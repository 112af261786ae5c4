// Keeps docs/plugin-manifest.schema.json equal to the validator without a JSON Schema library: the enums must be the
// vocabulary, and walking the schema together with a complete example, every rule the schema states at a location
// (required, optional, null, unknown fields, ranges, lengths, enums, minItems, uniqueItems) is checked against what
// parse_provider_description reports there, down to the exact pointer.
#include "catalog/domain/description_json.hpp"
#include "catalog/domain/vocabulary.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::domain {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::StartsWith;

const json::value& schema() {
  static const json::value parsed = [] {
    std::ifstream in(std::string(LOTSE_SOURCE_DIR) + "/docs/plugin-manifest.schema.json");
    if (!in) {
      throw std::runtime_error("cannot read docs/plugin-manifest.schema.json");
    }
    return json::parse(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
  }();
  return parsed;
}

// Follows "$ref": "#/$defs/…" (the only kind of reference the schema uses).
const json::object& resolve(const json::value& node) {
  const auto& object = node.as_object();
  if (const auto* ref = object.if_contains("$ref")) {
    const std::string_view target = ref->as_string();
    if (!target.starts_with("#/")) {
      throw std::runtime_error("unsupported $ref " + std::string(target));
    }
    return resolve(schema().at_pointer(target.substr(1)));
  }
  return object;
}

std::vector<std::string> strings_of(const json::array& array) {
  std::vector<std::string> out;
  for (const auto& item : array) {
    out.push_back(json::value_to<std::string>(item));
  }
  return out;
}

std::vector<std::string> split_names(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const auto comma = list.find(", ");
    out.emplace_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 2);
  }
  return out;
}

std::vector<std::string> enum_of(std::string_view def) {
  return strings_of(schema().at_pointer("/$defs/" + std::string(def)).at("enum").as_array());
}

TEST(description_schema, every_enum_is_the_vocabulary) {
  EXPECT_EQ(enum_of("stage"), split_names(all_names<stage>()));
  EXPECT_EQ(enum_of("dimension"), split_names(all_names<dimension>()));
  EXPECT_EQ(enum_of("it_skill"), split_names(all_names<it_skill>()));
  EXPECT_EQ(enum_of("solution_kind"), split_names(all_names<solution_kind>()));
  EXPECT_EQ(enum_of("provider_kind"), split_names(all_names<provider_kind>()));
  EXPECT_EQ(enum_of("hosting"), split_names(all_names<hosting>()));
  EXPECT_EQ(enum_of("operating_model"), split_names(all_names<operating_model>()));
  EXPECT_EQ(enum_of("need_category"), split_names(all_names<need_category>()));
  EXPECT_EQ(enum_of("capability"), split_names(all_names<capability>()));
  EXPECT_EQ(enum_of("need_category").size(), need_category_count);
  EXPECT_EQ(enum_of("capability").size(), capability_count);
}

TEST(description_schema, is_draft_2020_12) {
  EXPECT_EQ(schema().at("$schema"), "https://json-schema.org/draft/2020-12/schema");
}

// Every field the schema knows, with values in the middle of their ranges and away from cross-field rules (stages
// span everything, population_range.min is 0), so each location can be changed on its own.
json::value complete_example() {
  return json::parse(R"json({
    "provider": {"id": "luftwerk-sensorik", "name": "Luftwerk Sensorik GmbH (fiktiv)", "kind": "startup",
                 "website": "https://luftwerk.example", "contact": "kommunen@luftwerk.example"},
    "solutions": [{
      "id": "luftwerk.pegel", "name": "Pegelsensoren", "summary": "Misst Wasserstände alle 15 Minuten.",
      "kind": "iot", "categories": ["environment.water_level", "infrastructure.iot_network"],
      "stages": {"min": "start", "max": "consolidation"},
      "min_levels": {"infrastructure": 1, "data": 2},
      "cost": {"setup_eur": 4500, "annual_base_eur": 600, "annual_per_inhabitant_eur": 0.05,
               "population_bands": [{"max_population": 5000, "annual_eur": 700},
                                    {"max_population": 20000, "annual_eur": 1400}],
               "shared_operation_discount": 0.25},
      "effort": {"rollout_fte": 0.1, "ongoing_fte": 0.02, "rollout_months": 3},
      "required_skill": "basic", "requires": ["lorawan_network"], "provides": ["iot_platform"],
      "compatible_service_providers": ["kommunal-it-sued"], "standards": ["LoRaWAN 1.0.4"],
      "hosting": ["german_cloud"], "operating_models": ["saas", "intermunicipal_shared"], "open_source": true,
      "population_range": {"min": 0, "max": 50000}, "references": ["08226028"]
    }, {
      "id": "luftwerk.gateway", "name": "LoRaWAN-Gateway", "summary": "Ein Funknetz.", "kind": "iot",
      "categories": ["infrastructure.iot_network"], "stages": {"min": "start", "max": "consolidation"},
      "cost": {"setup_eur": 2000, "annual_base_eur": 300},
      "effort": {"rollout_fte": 0.05, "ongoing_fte": 0.01, "rollout_months": 1},
      "required_skill": "none", "provides": ["lorawan_network"]
    }]
  })json");
}

std::string pointer_to(const std::string& base, std::string_view key) { return append_pointer(base, key); }

// Sets the value at pointer, adding the member if the object lacks it (json::value::at_pointer only finds).
void set_at(json::value& document, const std::string& pointer, json::value value) {
  const auto slash = pointer.rfind('/');
  auto& parent = document.at_pointer(pointer.substr(0, slash));
  const auto token = pointer.substr(slash + 1);
  if (parent.is_array()) {
    parent.as_array().at(std::stoul(token)) = std::move(value);
  } else {
    parent.as_object()[token] = std::move(value);
  }
}

field_errors errors_after(const std::function<void(json::value&)>& change) {
  auto document = complete_example();
  change(document);
  return parse_provider_description(document).errors;
}

std::string describe(const field_errors& errors) {
  std::string out;
  for (const auto& error : errors) {
    out += "\n  " + error.pointer + ": " + error.message;
  }
  return out.empty() ? " none" : out;
}

// A change at `pointer` must be reported exactly once, at `pointer`.
void expect_one_error_at(const field_errors& errors, const std::string& pointer, std::string_view what) {
  EXPECT_THAT(errors, ElementsAre(Field(&field_error::pointer, pointer)))
      << what << " at " << pointer << " gave:" << describe(errors);
}

void expect_valid(const field_errors& errors, const std::string& pointer, std::string_view what) {
  EXPECT_THAT(errors, IsEmpty()) << what << " at " << pointer << " gave:" << describe(errors);
}

bool type_allows(const json::object& node, std::string_view type) {
  const auto* types = node.if_contains("type");
  if (types == nullptr) {
    return false;
  }
  if (types->is_string()) {
    return types->as_string() == type;
  }
  for (const auto& item : types->as_array()) {
    if (item.as_string() == type) {
      return true;
    }
  }
  return false;
}

class schema_walk {
 public:
  // Checks the rules of the value schema `node` at `pointer`, which holds `example`, then descends. `first_only`
  // limits range checks to the first element of arrays, where the ascending-bands rule cannot interfere.
  // `in_array`: the enum check is the array's, which replaces the whole array so no word appears twice.
  void value(const json::value& node_json, const std::string& pointer, const json::value& example, bool first_only,
             bool in_array = false) {
    const auto& node = resolve(node_json);
    ++locations_;
    if (const auto* values = node.if_contains("enum"); values != nullptr && !in_array) {
      check_enum(strings_of(values->as_array()), pointer);
    }
    if (first_only && (node.contains("minimum") || node.contains("maximum"))) {
      check_range(node, pointer);
    }
    if (first_only && node.contains("maxLength") && !node.contains("pattern")) {
      check_length(node, pointer, 'x');
    }
    if (first_only && node.contains("pattern") &&
        node.at("pattern").as_string() == schema().at_pointer("/$defs/identifier/pattern").as_string()) {
      check_length(node, pointer, 'a');
    }
    if (node.contains("properties")) {
      object(node, pointer, example, first_only);
    }
    if (node.contains("propertyNames")) {
      map(node, pointer, example);
    }
    if (node.contains("items")) {
      array(node, pointer, example, first_only);
    }
  }

  int locations() const { return locations_; }

 private:
  void object(const json::object& node, const std::string& pointer, const json::value& example, bool first_only) {
    const auto& properties = node.at("properties").as_object();
    std::set<std::string> schema_keys;
    for (const auto& entry : properties) {
      schema_keys.emplace(entry.key());
    }
    std::set<std::string> example_keys;
    for (const auto& entry : example.as_object()) {
      example_keys.emplace(entry.key());
    }
    // The example must cover every field the schema names, or the checks below would miss some. Only the first
    // elements of arrays are complete; the second solution deliberately omits optional fields.
    if (first_only) {
      EXPECT_EQ(example_keys, schema_keys) << "the complete example does not have every field of " << pointer;
    }

    std::set<std::string> required;
    if (const auto* list = node.if_contains("required")) {
      for (const auto& name : strings_of(list->as_array())) {
        required.insert(name);
        EXPECT_TRUE(schema_keys.contains(name)) << pointer << " requires " << name << ", which it does not describe";
      }
    }
    EXPECT_EQ(node.at("additionalProperties"), false) << pointer << " must not allow unknown fields";

    for (const auto& key : example_keys) {
      const auto at = pointer_to(pointer, key);
      const auto removed = errors_after([&](json::value& d) { d.at_pointer(pointer).as_object().erase(key); });
      const auto nulled = errors_after([&](json::value& d) { set_at(d, at, nullptr); });
      if (required.contains(key)) {
        EXPECT_EQ(removed, (field_errors{{at, "is required"}})) << "removing " << at << " gave:" << describe(removed);
      } else {
        expect_valid(removed, at, "removing the optional field");
      }
      // Optional members may be null, meaning absent; the schema says so with "null" in their type.
      if (type_allows(resolve(properties.at(key)), "null")) {
        EXPECT_FALSE(required.contains(key)) << at << " is required but its schema allows null";
        expect_valid(nulled, at, "null");
      } else {
        expect_one_error_at(nulled, at, "null");
      }
      if (schema_keys.contains(key)) {
        value(properties.at(key), at, example.at(key), first_only);
      }
    }
    const auto unknown = pointer_to(pointer, "unexpected_field");
    const auto errors =
        errors_after([&](json::value& d) { d.at_pointer(pointer).as_object()["unexpected_field"] = 1; });
    EXPECT_EQ(errors, (field_errors{{unknown, "is not a known field"}})) << "at " << unknown << ":" << describe(errors);
  }

  // An object whose keys come from an enum (min_levels).
  void map(const json::object& node, const std::string& pointer, const json::value& example) {
    EXPECT_TRUE(example.is_object());
    const auto names = strings_of(resolve(node.at("propertyNames")).at("enum").as_array());
    for (const auto& name : names) {
      const auto at = pointer_to(pointer, name);
      expect_valid(errors_after([&](json::value& d) { d.at_pointer(pointer).as_object()[name] = 1; }), at,
                   "a known key");
      value(node.at("additionalProperties"), at, json::value(1), true);
    }
    const auto unknown = pointer_to(pointer, "unexpected_field");
    const auto errors =
        errors_after([&](json::value& d) { d.at_pointer(pointer).as_object()["unexpected_field"] = 1; });
    expect_one_error_at(errors, unknown, "an unknown key");
  }

  void array(const json::object& node, const std::string& pointer, const json::value& example, bool first_only) {
    const auto& items = example.as_array();
    ASSERT_FALSE(items.empty()) << "the complete example needs an element in " << pointer;
    const auto* min_items = node.if_contains("minItems");
    const auto emptied = errors_after([&](json::value& d) { set_at(d, pointer, json::array()); });
    if (min_items != nullptr && min_items->to_number<int>() > 0) {
      expect_one_error_at(emptied, pointer, "an empty array");
    } else {
      expect_valid(emptied, pointer, "an empty array");
    }
    // The validator rejects repeated words and texts in every list; lists of objects have their own rules
    // (solution ids, ascending bands) that the schema can only state in $comment.
    const bool scalar_items = !type_allows(resolve(node.at("items")), "object");
    const auto* unique = node.if_contains("uniqueItems");
    EXPECT_EQ(scalar_items, unique != nullptr && unique->as_bool()) << pointer << ": uniqueItems";
    if (unique != nullptr && unique->as_bool()) {
      const auto twice = errors_after([&](json::value& d) {
        auto& array = d.at_pointer(pointer).as_array();
        array.push_back(json::value(array.front()));
      });
      expect_one_error_at(twice, append_pointer(pointer, items.size()), "a repeated element");
    }
    if (const auto* values = resolve(node.at("items")).if_contains("enum")) {
      for (const auto& name : strings_of(values->as_array())) {
        expect_valid(errors_after([&](json::value& d) { set_at(d, pointer, json::array{json::value(name)}); }),
                     pointer, "word " + name);
      }
      expect_one_error_at(errors_after([&](json::value& d) { set_at(d, pointer, json::array{"no_such_word"}); }),
                          append_pointer(pointer, 0), "an unknown word");
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      value(node.at("items"), append_pointer(pointer, i), items[i], first_only && i == 0, true);
    }
  }

  void check_enum(const std::vector<std::string>& names, const std::string& pointer) {
    for (const auto& name : names) {
      expect_valid(errors_after([&](json::value& d) { set_at(d, pointer, json::value(name)); }), pointer,
                   "word " + name);
    }
    const auto errors = errors_after([&](json::value& d) { set_at(d, pointer, "no_such_word"); });
    expect_one_error_at(errors, pointer, "an unknown word");
    if (errors.size() == 1) {
      EXPECT_THAT(errors[0].message, StartsWith("must be one of: "));
    }
  }

  void check_range(const json::object& node, const std::string& pointer) {
    const bool integer = type_allows(node, "integer");
    const auto set = [&](double number) {
      return errors_after([&](json::value& d) {
        set_at(d, pointer, integer ? json::value(static_cast<std::int64_t>(number)) : json::value(number));
      });
    };
    if (const auto* minimum = node.if_contains("minimum")) {
      const double min = minimum->to_number<double>();
      expect_valid(set(min), pointer, "the minimum");
      expect_one_error_at(set(min - (integer ? 1 : 0.001)), pointer, "below the minimum");
    }
    if (const auto* maximum = node.if_contains("maximum")) {
      const double max = maximum->to_number<double>();
      expect_valid(set(max), pointer, "the maximum");
      expect_one_error_at(set(max + (integer ? 1 : 0.001)), pointer, "above the maximum");
    }
    const double inside = node.contains("minimum") ? node.at("minimum").to_number<double>() + 0.5 : 0.5;
    const auto fraction = errors_after([&](json::value& d) { set_at(d, pointer, inside); });
    if (integer) {
      expect_one_error_at(fraction, pointer, "a fraction");
    } else {
      EXPECT_TRUE(type_allows(node, "number")) << pointer;
      expect_valid(fraction, pointer, "a fraction");
    }
    expect_one_error_at(errors_after([&](json::value& d) { set_at(d, pointer, "1"); }), pointer, "a string");
  }

  void check_length(const json::object& node, const std::string& pointer, char fill) {
    const auto max = node.at("maxLength").to_number<std::size_t>();
    // Lengths count code points: "ä" is two bytes but one character.
    const auto set_text = [&](std::string text) {
      return errors_after([&](json::value& d) { set_at(d, pointer, json::value(text)); });
    };
    expect_valid(set_text(std::string(max, fill)), pointer, "the maximum length");
    expect_one_error_at(set_text(std::string(max + 1, fill)), pointer, "one character too many");
    if (fill == 'x') {
      std::string umlauts;
      for (std::size_t i = 0; i < max; ++i) {
        umlauts += "ä";
      }
      expect_valid(set_text(umlauts), pointer, "umlauts");
    }
    const auto min = node.at("minLength").to_number<std::size_t>();
    ASSERT_EQ(min, 1U) << pointer;
    expect_one_error_at(errors_after([&](json::value& d) { set_at(d, pointer, ""); }), pointer, "an empty text");
  }

  int locations_ = 0;
};

TEST(description_schema, the_complete_example_is_valid) {
  const auto result = parse_provider_description(complete_example());
  EXPECT_TRUE(result.ok()) << describe(result.errors);
}

TEST(description_schema, every_rule_of_the_schema_is_the_validators) {
  schema_walk walk;
  walk.value(schema(), "", complete_example(), true);
  // A walk that silently stopped early would pass; the schema has this many value locations along the example.
  EXPECT_GE(walk.locations(), 80);
}

TEST(description_schema, patterns_agree_with_the_validator) {
  // JSON Schema patterns are ECMA-262 regular expressions that match anywhere unless anchored, as std::regex_search.
  struct sample_set {
    std::string schema_pointer;  // where the pattern is
    std::string document_pointer;  // where the parser checks it
    std::vector<std::string> samples;
  };
  const std::vector<sample_set> sets = {
      {"/$defs/identifier/pattern", "/provider/id",
       {"a", "0", "a.b_c-1", "luftwerk-sensorik", "A", "-a", ".a", "a b", "aB", "ä", "a/b"}},
      {"/$defs/provider/properties/website/pattern", "/provider/website",
       {"https://x.example", "http://x", "ftp://x", "www.example.org", "HTTPS://x", " https://x", "https:/x"}},
      {"/$defs/solution/properties/references/items/pattern", "/solutions/0/references/0",
       {"08226028", "0822602", "082260281", "0822602a", "", "+8226028"}},
  };
  for (const auto& set : sets) {
    const std::regex pattern(json::value_to<std::string>(schema().at_pointer(set.schema_pointer)),
                             std::regex::ECMAScript);
    for (const auto& sample : set.samples) {
      const auto errors = errors_after([&](json::value& d) { set_at(d, set.document_pointer, json::value(sample)); });
      EXPECT_EQ(std::regex_search(sample, pattern), errors.empty())
          << set.schema_pointer << " and the validator disagree on \"" << sample << "\":" << describe(errors);
    }
  }
}

TEST(description_schema, fields_the_serialiser_writes_are_in_the_schema) {
  // to_json writes every field the model has, so a field the parser reads but the schema lacks shows up here.
  const auto parsed = parse_provider_description(complete_example());
  ASSERT_TRUE(parsed.ok());
  const auto written = to_json(parsed.value);
  const auto keys = [](const json::value& object) {
    std::set<std::string> out;
    for (const auto& entry : object.as_object()) {
      out.emplace(entry.key());
    }
    return out;
  };
  const auto schema_keys = [&](std::string_view def) {
    return keys(schema().at_pointer("/$defs/" + std::string(def) + "/properties"));
  };
  EXPECT_EQ(keys(written), keys(schema().at("properties")));
  EXPECT_EQ(keys(written.at("provider")), schema_keys("provider"));
  EXPECT_EQ(keys(written.at("solutions").at(0)), schema_keys("solution"));
  EXPECT_EQ(keys(written.at_pointer("/solutions/0/cost")), schema_keys("solution/properties/cost"));
  EXPECT_EQ(keys(written.at_pointer("/solutions/0/effort")), schema_keys("solution/properties/effort"));
  EXPECT_EQ(keys(written.at_pointer("/solutions/0/stages")), schema_keys("solution/properties/stages"));
  EXPECT_EQ(keys(written.at_pointer("/solutions/0/population_range")),
            schema_keys("solution/properties/population_range"));
  EXPECT_EQ(keys(written.at_pointer("/solutions/0/cost/population_bands/0")),
            schema_keys("solution/properties/cost/properties/population_bands/items"));
}

}  // namespace
}  // namespace lotse::domain
