#include "host/api/roadmap_json.hpp"

#include "catalog/domain/json_number.hpp"
#include "catalog/domain/profile_json.hpp"

#include <boost/json.hpp>

#include <cmath>

namespace lotse::api {
namespace json = boost::json;

namespace {

// A whole number member within [min, max]; records an error and returns nullopt for anything else.
std::optional<std::int64_t> whole_number(const json::object& object, std::string_view key, std::int64_t min,
                                         std::int64_t max, domain::field_errors& errors) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) {
    return std::nullopt;
  }
  const auto fail = [&] {
    errors.push_back({"/" + std::string(key),
                      "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max)});
    return std::nullopt;
  };
  if (!value->is_number()) {
    return fail();
  }
  json::error_code ec;
  const auto number = value->to_number<std::int64_t>(ec);
  if (ec || number < min || number > max) {
    return fail();
  }
  return number;
}

// Euro amounts to the cent: whole amounts go out as integers, the rest with at most two decimals.
json::value money(double amount) { return domain::json_number(std::round(amount * 100) / 100); }

}  // namespace

domain::parsed<roadmap_request> parse_roadmap_request(const json::value& body) {
  domain::parsed<roadmap_request> out;
  auto& errors = out.errors;
  if (!body.is_object()) {
    errors.push_back({"", "must be an object with \"profile\" or \"ags\""});
    return out;
  }
  const auto& object = body.get_object();
  for (const auto& entry : object) {
    const std::string_view key(entry.key().data(), entry.key().size());
    if (key != "profile" && key != "ags" && key != "start_year" && key != "years" && key != "max_steps") {
      errors.push_back({"/" + std::string(key), "is not a known field"});
    }
  }
  const auto* profile = object.if_contains("profile");
  const auto* ags = object.if_contains("ags");
  if ((profile == nullptr) == (ags == nullptr)) {
    errors.push_back({"", "must contain either \"profile\" (an inline municipality profile) or \"ags\" (a stored one)"});
  } else if (profile != nullptr) {
    auto parsed = domain::parse_profile(*profile);
    for (auto& error : parsed.errors) {
      errors.push_back({"/profile" + error.pointer, std::move(error.message)});
    }
    out.value.profile = std::move(parsed.value);
  } else if (!ags->is_string() || ags->get_string().size() != 8 ||
             ags->get_string().find_first_not_of("0123456789") != json::string::npos) {
    errors.push_back({"/ags", "must be exactly 8 digits"});
  } else {
    out.value.ags = std::string(ags->get_string());
  }
  if (const auto year = whole_number(object, "start_year", min_roadmap_start_year, max_roadmap_start_year, errors)) {
    out.value.start_year = static_cast<int>(*year);
  }
  if (const auto years = whole_number(object, "years", matching::min_roadmap_years, matching::max_roadmap_years,
                                      errors)) {
    out.value.years = static_cast<int>(*years);
  }
  if (const auto steps = whole_number(object, "max_steps", 1, static_cast<std::int64_t>(matching::max_roadmap_steps),
                                      errors)) {
    out.value.max_steps = static_cast<std::size_t>(*steps);
  }
  return out;
}

json::value to_json(const matching::roadmap& plan, int start_year) {
  json::array steps;
  for (const auto& step : plan.steps) {
    const auto& s = *step.solution;
    json::array enables;
    for (const auto& id : step.enables) {
      enables.push_back(json::string(id));
    }
    steps.push_back(json::object{
        {"solution_id", s.id},
        {"name", s.name},
        {"provider_id", s.provider_id},
        {"year", step.year},
        {"quarter", step.quarter},
        {"ready_year", step.ready_year},
        {"ready_quarter", step.ready_quarter},
        {"setup_eur", money(step.setup_eur)},
        {"cost_in_year_eur", money(step.cost_in_year_eur)},
        {"annual_cost_eur", money(step.annual_cost_eur)},
        {"why_now", step.why_now},
        {"why_now_en", step.why_now_en},
        {"enables", std::move(enables)},
    });
  }
  json::array years;
  for (const auto& year : plan.years) {
    years.push_back(json::object{
        {"year", year.year},
        {"investment_eur", money(year.investment_eur)},
        {"running_eur", money(year.running_eur)},
        {"total_eur", money(year.total_eur)},
        {"budget_once_eur", money(year.budget_once_eur)},
        {"budget_annual_eur", money(year.budget_annual_eur)},
    });
  }
  json::array issues;
  for (const auto& issue : plan.issues) {
    json::array ids;
    for (const auto& id : issue.solution_ids) {
      ids.push_back(json::string(id));
    }
    json::value need = nullptr;
    if (issue.need) {
      need = domain::name_of(*issue.need);
    }
    issues.push_back(json::object{
        {"code", issue.code},
        {"message", issue.message},
        {"message_en", issue.message_en},
        {"solution_ids", std::move(ids)},
        {"need", std::move(need)},
    });
  }
  return json::object{{"start_year", start_year},
                      {"steps", std::move(steps)},
                      {"years", std::move(years)},
                      {"issues", std::move(issues)},
                      {"final_stage", domain::name_of(plan.final_stage)}};
}

}  // namespace lotse::api
