#include "host/assessment/assessment_json.hpp"

#include "host/assessment/questionnaire.hpp"

#include <boost/json.hpp>

#include <set>

namespace lotse::assessment {
namespace json = boost::json;

namespace {

// The answers object of a request, or nullptr when the request has none.
const json::object* answers_object(const json::value& request) {
  if (!request.is_object()) {
    return nullptr;
  }
  const auto* given = request.get_object().if_contains("answers");
  return given != nullptr && given->is_object() ? &given->get_object() : nullptr;
}

bool is_current_version(const json::value& v) {
  return (v.is_int64() && v.get_int64() == questionnaire_version) ||
         (v.is_uint64() && v.get_uint64() == static_cast<std::uint64_t>(questionnaire_version));
}

json::object levels_to_json(const domain::level_array& levels) {
  json::object out;
  for (std::size_t i = 0; i < domain::dimension_count; ++i) {
    out[domain::name_of(static_cast<domain::dimension>(i))] = static_cast<std::int64_t>(levels[i]);
  }
  return out;
}

json::array capabilities_to_json(const domain::capability_set& set) {
  json::array out;
  for (std::size_t i = 0; i < domain::capability_count; ++i) {
    if (set.test(i)) {
      out.emplace_back(domain::name_of(static_cast<domain::capability>(i)));
    }
  }
  return out;
}

}  // namespace

json::object questionnaire_to_json() {
  json::array questions;
  for (const auto& q : questionnaire()) {
    json::array options;
    for (const auto& o : q.options) {
      options.push_back(json::object{{"id", o.id}, {"label_de", o.label_de}, {"label_en", o.label_en}});
    }
    json::object item{{"id", q.id}, {"text_de", q.text_de}, {"text_en", q.text_en}};
    if (!q.help_de.empty()) {
      item["help_de"] = q.help_de;
    }
    if (!q.help_en.empty()) {
      item["help_en"] = q.help_en;
    }
    if (q.stage) {
      item["stage"] = domain::name_of(*q.stage);
    }
    if (q.dimension) {
      item["dimension"] = domain::name_of(*q.dimension);
    }
    item["required"] = true;
    item["options"] = std::move(options);
    questions.push_back(std::move(item));
  }
  return json::object{{"version", questionnaire_version}, {"questions", std::move(questions)}};
}

domain::parsed<answers> parse_answers(const json::value& request) {
  domain::parsed<answers> out;
  if (!request.is_object()) {
    out.errors.push_back({"", "must be an object with member \"answers\""});
    return out;
  }
  const auto& document = request.get_object();
  for (const auto& member : document) {
    const std::string_view key(member.key().data(), member.key().size());
    if (key == "version") {
      if (!is_current_version(member.value())) {
        out.errors.push_back({"/version", "must be " + std::to_string(questionnaire_version) +
                                              ", the version of GET /api/v1/assessment"});
      }
    } else if (key != "answers") {
      // answer_pointer escapes per RFC 6901; the member sits at the top level, not under /answers.
      out.errors.push_back({answer_pointer(key).substr(std::string_view("/answers").size()),
                            "is not a known member; send \"answers\" and optionally \"version\""});
    }
  }
  const auto* given = answers_object(request);
  if (given == nullptr) {
    out.errors.push_back({"/answers", "is required: an object mapping question ids to option ids"});
    return out;
  }
  for (const auto& member : *given) {
    std::string question_id(member.key().data(), member.key().size());
    const auto& value = member.value();
    if (value.is_null()) {
      continue;  // a form sends null for an unanswered question; evaluate() reports it as missing
    }
    if (!value.is_string()) {
      out.errors.push_back({answer_pointer(question_id), "must be a string: the id of one of the question's options"});
      continue;
    }
    out.value.emplace(std::move(question_id), std::string(value.get_string()));
  }
  return out;
}

domain::parsed<assessment_result> assess(const json::value& request) {
  auto given = parse_answers(request);
  if (answers_object(request) == nullptr) {
    // Without an answers object, listing every question as missing would bury the one real problem.
    return {{}, std::move(given.errors)};
  }
  auto result = evaluate(given.value);
  std::set<std::string> reported;
  for (const auto& e : given.errors) {
    reported.insert(e.pointer);
  }
  for (auto& e : result.errors) {
    if (!reported.contains(e.pointer)) {
      given.errors.push_back(std::move(e));
    }
  }
  result.errors = std::move(given.errors);
  return result;
}

json::object to_json(const assessment_result& result) {
  json::object level_explanations;
  for (std::size_t i = 0; i < domain::dimension_count; ++i) {
    level_explanations[domain::name_of(static_cast<domain::dimension>(i))] =
        json::object{{"level", static_cast<std::int64_t>(result.levels[i])},
                     {"de", result.level_why[i].de},
                     {"en", result.level_why[i].en}};
  }
  json::array decided_by(result.stage_why.decided_by.begin(), result.stage_why.decided_by.end());
  const auto stage = domain::name_of(result.stage);
  return json::object{
      {"version", questionnaire_version},
      {"stage", stage},
      {"levels", levels_to_json(result.levels)},
      {"capabilities", capabilities_to_json(result.capabilities)},
      {"explanation", json::object{{"stage", json::object{{"de", result.stage_why.why.de},
                                                          {"en", result.stage_why.why.en},
                                                          {"decided_by", std::move(decided_by)}}},
                                   {"levels", std::move(level_explanations)}}},
      {"profile_patch",
       json::object{{"maturity", json::object{{"stage", stage}, {"levels", levels_to_json(result.levels)}}},
                    {"it", json::object{{"capabilities", capabilities_to_json(result.capabilities)}}}}},
  };
}

}  // namespace lotse::assessment
