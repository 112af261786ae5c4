// The self-assessment on the wire: the questionnaire as JSON, the answers request read with every problem reported,
// and the result in a shape whose profile_patch merges into a profile (catalog/domain/profile_json.hpp).
#pragma once

#include "catalog/domain/validation.hpp"
#include "host/assessment/scoring.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace lotse::assessment {

// {"version": 1, "questions": [{"id", "text_de", "text_en", "help_de"?, "help_en"?, "stage"?, "dimension"?,
//  "required": true, "options": [{"id", "label_de", "label_en"}]}]}
boost::json::object questionnaire_to_json();

// Reads {"answers": {"<question_id>": "<option_id>", …}, "version": 1?}. An answer of null counts as not given.
// Reports the document's own shape and non-string answers; evaluate() judges the ids.
domain::parsed<answers> parse_answers(const boost::json::value& request);

// parse_answers and evaluate together, with at most one error per pointer (an answer that is not a string is not
// also reported as missing).
domain::parsed<assessment_result> assess(const boost::json::value& request);

// {"version", "stage", "levels", "capabilities", "explanation": {"stage": {"de", "en", "decided_by"},
//  "levels": {"<dimension>": {"level", "de", "en"}}}, "profile_patch": {"maturity": {"stage", "levels"},
//  "it": {"capabilities"}}}
boost::json::object to_json(const assessment_result& result);

}  // namespace lotse::assessment
