// The body of POST /api/v1/roadmap and its answer (docs/roadmap.md).
//   request:  {"profile": {…}} or {"ags": "…"} (a stored profile), optional "start_year" (2000–2100; the route
//             defaults it to the current year), "years" (1–10, default 5), "max_steps" (1–50, default 20)
//   response: {"start_year", "steps": [{solution_id, name, provider_id, year, quarter, ready_year, ready_quarter,
//             setup_eur, cost_in_year_eur, annual_cost_eur, why_now, why_now_en, enables}],
//             "years": [{year, investment_eur, running_eur, total_eur, budget_once_eur, budget_annual_eur}],
//             "issues": [{code, message, message_en, solution_ids, need}], "final_stage"}
#pragma once

#include "catalog/domain/model.hpp"
#include "catalog/domain/validation.hpp"
#include "host/api/request_support.hpp"
#include "host/matching/roadmap.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace lotse::api {

inline constexpr int min_roadmap_start_year = 2000;
inline constexpr int max_roadmap_start_year = 2100;

struct roadmap_request {
  profile_reference municipality;
  std::optional<int> start_year;           // absent: the route uses the current year
  int years = 5;
  std::size_t max_steps = 20;
};

domain::parsed<roadmap_request> parse_roadmap_request(const boost::json::value& json);
boost::json::value to_json(const matching::roadmap& plan, int start_year);

}  // namespace lotse::api
