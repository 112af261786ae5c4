#include "host/api/roadmap_json.hpp"

#include "catalog/domain/json_number.hpp"

#include <boost/json.hpp>

#include <cmath>

namespace lotse::api {
namespace json = boost::json;

namespace {

// Euro amounts to the cent: whole amounts go out as integers, the rest with at most two decimals.
json::value money(double amount) { return domain::json_number(std::round(amount * 100) / 100); }

}  // namespace

domain::parsed<roadmap_request> parse_roadmap_request(const json::value& body) {
  domain::parsed<roadmap_request> out;
  auto& errors = out.errors;
  out.value.municipality = read_profile_reference(body, {"start_year", "years", "max_steps"}, errors);
  if (!body.is_object()) {
    return out;
  }
  const auto& object = body.get_object();
  if (const auto year = read_whole_number(object, "start_year", min_roadmap_start_year, max_roadmap_start_year, errors)) {
    out.value.start_year = static_cast<int>(*year);
  }
  if (const auto years = read_whole_number(object, "years", matching::min_roadmap_years, matching::max_roadmap_years,
                                      errors)) {
    out.value.years = static_cast<int>(*years);
  }
  if (const auto steps = read_whole_number(object, "max_steps", 1, static_cast<std::int64_t>(matching::max_roadmap_steps),
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
