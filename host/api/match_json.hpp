// The body of POST /api/v1/match and its answer.
//   request:  {"profile": {…}} or {"ags": "…"} (a stored profile), optional "top_k" (1–100), "max_excluded"
//             (0–500, default 25) and
//             "weights" ({"need_fit": 2, …}, relative, ≥ 0, not all 0; see matching::criterion)
//   response: {"results": [{solution_id, name, provider_id, score, cost, criteria: [{criterion, weight, value,
//             contribution, reason, reason_en}]}], "excluded": [{solution_id, name, provider_id, reasons: [{constraint,
//             message, message_en}]}], "relaxations": [{solution_id, changes: [{kind, message, message_en, …}],
//             message, message_en}], "fitting_count", "excluded_count", "catalog_size"}
#pragma once

#include "catalog/domain/model.hpp"
#include "catalog/domain/validation.hpp"
#include "host/matching/engine.hpp"
#include "host/api/request_support.hpp"
#include "host/matching/relaxation.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace lotse::api {

struct match_request {
  profile_reference municipality;
  matching::match_options options;
};

inline constexpr std::size_t max_top_k = 100;
inline constexpr std::size_t max_excluded_shown = 500;

domain::parsed<match_request> parse_match_request(const boost::json::value& json);
boost::json::value to_json(const matching::match_outcome& outcome, std::span<const matching::relaxation> relaxations,
                           std::size_t catalog_size);

}  // namespace lotse::api
