// GET and POST /api/v1/assessment: the self-assessment questionnaire and its evaluation (docs/assessment.md).
// Stateless: nothing is stored; the client merges the answer's profile_patch into a profile and saves that with
// PUT /api/v1/municipalities/{ags}.
#pragma once

#include "host/http/router.hpp"

namespace lotse::api {

void register_assessment_routes(http::router& router);

}  // namespace lotse::api
