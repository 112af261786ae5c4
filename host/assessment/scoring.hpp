// Turns answers to the questionnaire into a maturity stage, seven levels and the capabilities the answers imply,
// each with a German and English explanation. Deterministic: the same answers always give the same result.
//
// Levels: each dimension's questions contribute their chosen option's points;
//   level = round_half_up(4 × points / max_points), then lowered to the strictest cap among the chosen options
//   (no written Zukunftsbild → strategy ≤ 1, one in progress → ≤ 2; no lead responsibility → organisation ≤ 1;
//   slow broadband → infrastructure ≤ 1). The explanation names what each answer says and the cap if it bit.
//
// Stage (the consultancy's five questions, seed 004; the first rule that applies wins):
//   1. start          — at the beginning (current_position = beginning) and no written Zukunftsbild
//                       (zukunftsbild = none | in_minds).
//   2. orientation    — everyone else who is not yet in the middle of the transformation: projects without a written
//                       or emerging Zukunftsbild, a Zukunftsbild without projects, or only first projects.
//   3–5. in the middle of the transformation (current_position = in_transformation | established, and a Zukunftsbild
//      written or in progress) the three need questions decide. The earliest step with an acute need wins
//      (implementation_help = urgent → implementation; citizen_support = lacking → acceptance;
//      staff_effectiveness = main_goal → consolidation), then the earliest with a partial need (some_help, mixed,
//      one_of_several), because later steps build on earlier ones: stalled projects find no acceptance, and staff
//      cannot become more effective through projects that do not get done. With no need stated, `established`
//      gives consolidation and `in_transformation` implementation.
#pragma once

#include "catalog/domain/model.hpp"
#include "catalog/domain/validation.hpp"

#include <array>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::assessment {

// Question id -> option id. std::less<> allows lookups by string_view.
using answers = std::map<std::string, std::string, std::less<>>;

struct bilingual {
  std::string de;
  std::string en;

  friend bool operator==(const bilingual&, const bilingual&) = default;
};

struct stage_explanation {
  bilingual why;
  std::vector<std::string> decided_by;  // question ids, the deciding one first

  friend bool operator==(const stage_explanation&, const stage_explanation&) = default;
};

struct assessment_result {
  domain::stage stage = domain::stage::start;
  domain::level_array levels{};
  domain::capability_set capabilities;  // what the answers say the municipality already has
  stage_explanation stage_why;
  std::array<bilingual, domain::dimension_count> level_why;  // indexed by dimension: "Stufe 2: …" / "Level 2: …"

  friend bool operator==(const assessment_result&, const assessment_result&) = default;
};

// Validates every answer first: an unknown question, an option the question does not offer and every unanswered
// question are each one error at "/answers/<question_id>", all reported together. The value is set only when
// there are no errors.
domain::parsed<assessment_result> evaluate(const answers& given);

// "/answers/<question_id>" with the id escaped per RFC 6901.
std::string answer_pointer(std::string_view question_id);

using domain::german_name_of;  // "Umsetzung", for explanations

}  // namespace lotse::assessment
