#include "host/assessment/scoring.hpp"

#include "host/assessment/questionnaire.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace lotse::assessment {
namespace {

using domain::stage;

constexpr std::uint8_t max_level = 4;

std::string options_of(const question& q) {
  std::string out;
  for (const auto& o : q.options) {
    out += (out.empty() ? "" : ", ") + std::string(o.id);
  }
  return out;
}

domain::field_errors validate(const answers& given) {
  domain::field_errors errors;
  for (const auto& [question_id, option_id] : given) {
    const auto* q = find_question(question_id);
    if (q == nullptr) {
      errors.push_back({answer_pointer(question_id),
                        "is not a question of questionnaire version " + std::to_string(questionnaire_version)});
    } else if (q->find_option(option_id) == nullptr) {
      errors.push_back({answer_pointer(question_id), "must be one of: " + options_of(*q)});
    }
  }
  for (const auto& q : questionnaire()) {
    if (given.find(q.id) == given.end()) {
      errors.push_back({answer_pointer(q.id), "is required; choose one of: " + options_of(q)});
    }
  }
  return errors;
}

std::string capitalised(std::string text) {
  // Clauses start with an ASCII letter (the questionnaire test checks it), so byte-wise upper-casing is safe.
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') {
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  }
  return text;
}

struct dimension_score {
  std::uint8_t level = 0;
  bilingual why;
};

// round_half_up(4 × points / max_points) in integers, then the strictest cap; see scoring.hpp.
dimension_score score_dimension(domain::dimension dim, const answers& given) {
  unsigned points = 0;
  unsigned max_points = 0;
  std::optional<level_cap> strictest;
  std::string says_de;
  std::string says_en;
  for (const auto& q : questionnaire()) {
    if (q.dimension != dim) {
      continue;
    }
    const auto* chosen = q.find_option(given.find(q.id)->second);
    points += chosen->points;
    max_points += q.max_points();
    says_de += (says_de.empty() ? "" : "; ") + std::string(chosen->says.de);
    says_en += (says_en.empty() ? "" : "; ") + std::string(chosen->says.en);
    if (chosen->cap && (!strictest || chosen->cap->max_level < strictest->max_level)) {
      strictest = chosen->cap;
    }
  }
  const auto uncapped = max_points == 0
                            ? std::uint8_t{0}
                            : static_cast<std::uint8_t>((2 * max_level * points + max_points) / (2 * max_points));
  dimension_score out;
  out.level = uncapped;
  if (strictest && strictest->max_level < uncapped) {
    out.level = strictest->max_level;
    says_de += "; " + std::string(strictest->reason.de);
    says_en += "; " + std::string(strictest->reason.en);
  }
  const auto level_text = std::to_string(out.level);
  out.why = {"Stufe " + level_text + ": " + capitalised(says_de) + ".",
             "Level " + level_text + ": " + capitalised(says_en) + "."};
  return out;
}

struct stage_decision {
  stage value = stage::start;
  bilingual reason;                     // without the stage name and without the question quote
  std::vector<std::string> decided_by;  // the first one is quoted
};

enum class urgency { none, partial, acute };

// One of the seed's three questions for municipalities in the middle of the transformation.
struct transformation_need {
  stage value;
  std::string_view question_id;
  std::string_view partial_option;
  std::string_view acute_option;
  bilingual partial_reason;
  bilingual acute_reason;
};

const std::array<transformation_need, 3>& transformation_needs() {
  static const std::array<transformation_need, 3> needs = {{
      {stage::implementation,
       "implementation_help",
       "some_help",
       "urgent",
       {"Sie sind mitten in der Transformation und brauchen bei einzelnen Projekten Unterstützung in der Umsetzung, "
        "etwa bei der Projektleitung oder durch technische Fachleute",
        "you are in the middle of the transformation and need support carrying out some projects, for example with "
        "project management or from technical experts"},
       {"Sie sind mitten in der Transformation, aber Projekte stocken, weil Projektleitung oder technisches Wissen "
        "fehlen; Unterstützung bei der Umsetzung hat Vorrang",
        "you are in the middle of the transformation, but projects stall for lack of project management or "
        "technical know-how; support with implementation comes first"}},
      {stage::acceptance,
       "citizen_support",
       "mixed",
       "lacking",
       {"Sie sind mitten in der Transformation, aber manche Projekte werden kaum genutzt; bessere Kommunikation und "
        "Beteiligung helfen, dass die Bürgerinnen und Bürger sie mittragen",
        "you are in the middle of the transformation, but some projects are hardly used; better communication and "
        "participation help citizens to carry them"},
       {"Sie sind mitten in der Transformation, aber Ihren Projekten fehlt die Zustimmung der Bürgerinnen und "
        "Bürger; bessere Kommunikation und Beteiligung sind der nächste Schritt",
        "you are in the middle of the transformation, but your projects lack citizens' support; better "
        "communication and participation are the next step"}},
      {stage::consolidation,
       "staff_effectiveness",
       "one_of_several",
       "main_goal",
       {"Die Transformation läuft; eines Ihrer Ziele ist, die Beschäftigten der Verwaltung zu unterstützen, "
        "effektiver zu arbeiten",
        "the transformation is under way; one of your goals is to help the administration's staff work more "
        "effectively"},
       {"Die Transformation läuft; jetzt geht es vor allem darum, die Beschäftigten der Verwaltung zu unterstützen, "
        "effektiver zu arbeiten",
        "the transformation is under way; now the main thing is to help the administration's staff work more "
        "effectively"}},
  }};
  return needs;
}

urgency urgency_of(const transformation_need& need, std::string_view answer) {
  if (answer == need.acute_option) {
    return urgency::acute;
  }
  return answer == need.partial_option ? urgency::partial : urgency::none;
}

// The seed's five questions in the order of its five steps; see the rules in scoring.hpp.
stage_decision decide_stage(const answers& given) {
  const auto answer = [&given](std::string_view id) -> std::string_view { return given.find(id)->second; };
  const auto vision = answer("zukunftsbild");
  const auto position = answer("current_position");
  const bool has_vision = vision == "written" || vision == "in_progress";
  const bool in_transformation = position == "in_transformation" || position == "established";

  if (position == "beginning" && !has_vision) {
    return {stage::start,
            {"Sie stehen noch am Anfang und haben kein schriftliches Zukunftsbild; verschaffen Sie sich zuerst "
             "Orientierung, bevor Sie konkrete Projekte angehen",
             "you are at the beginning and have no written picture of the future; get your bearings first before "
             "taking on concrete projects"},
            {"zukunftsbild", "current_position"}};
  }
  if (!has_vision) {
    return {stage::orientation,
            {"Projekte sind geplant oder laufen, aber es gibt kein konkretes, schriftliches Zukunftsbild; ein Schritt "
             "zurück hilft, die richtigen Projekte anzugehen und begonnene in ein Zielbild einzuordnen",
             "projects are planned or running, but there is no concrete written picture of the future; a step back "
             "helps to choose the right projects and to fit those already started into a vision"},
            {"zukunftsbild", "current_position"}};
  }
  if (position == "beginning") {
    return {stage::orientation,
            {"ein Zukunftsbild liegt vor oder entsteht, aber mit Projekten stehen Sie noch am Anfang; als Nächstes "
             "werden daraus erste Projekte",
             "a picture of the future exists or is being written, but you are at the beginning with projects; next, "
             "first projects follow from it"},
            {"current_position", "zukunftsbild"}};
  }
  if (!in_transformation) {
    return {stage::orientation,
            {"erste Projekte sind geplant oder laufen, aber Sie sind noch nicht mitten in der Transformation",
             "first projects are planned or running, but you are not yet in the middle of the transformation"},
            {"current_position", "zukunftsbild"}};
  }
  for (const auto wanted : {urgency::acute, urgency::partial}) {
    for (const auto& need : transformation_needs()) {
      if (urgency_of(need, answer(need.question_id)) == wanted) {
        return {need.value,
                wanted == urgency::acute ? need.acute_reason : need.partial_reason,
                {std::string(need.question_id), "current_position"}};
      }
    }
  }
  if (position == "established") {
    return {stage::consolidation,
            {"Digitalisierung gehört zum Alltag, und keine der Fragen nach Unterstützung zeigt einen offenen Bedarf; "
             "als Nächstes geht es darum, die Beschäftigten zu unterstützen, effektiver zu arbeiten",
             "digitalisation is part of everyday work and none of the questions about support shows an open need; "
             "next comes helping staff work more effectively"},
            {"current_position"}};
  }
  return {stage::implementation,
          {"Sie sind mitten in der Transformation, und keine der Fragen nach Unterstützung zeigt einen offenen "
           "Bedarf; damit gilt die erste Stufe der Transformation: Projekte professionell umsetzen",
           "you are in the middle of the transformation and none of the questions about support shows an open need; "
           "so the first step of the transformation applies: carrying projects out professionally"},
          {"current_position"}};
}

std::string_view english_name_of(stage value) {
  static constexpr std::array<std::string_view, domain::stage_count> names = {"Start", "Orientation", "Implementation",
                                                                              "Acceptance", "Consolidation"};
  return names[static_cast<std::size_t>(value) - 1];
}

}  // namespace

std::string answer_pointer(std::string_view question_id) { return domain::append_pointer("/answers", question_id); }

domain::parsed<assessment_result> evaluate(const answers& given) {
  domain::parsed<assessment_result> out;
  out.errors = validate(given);
  if (!out.ok()) {
    return out;
  }
  auto& result = out.value;
  for (std::size_t i = 0; i < domain::dimension_count; ++i) {
    auto score = score_dimension(static_cast<domain::dimension>(i), given);
    result.levels[i] = score.level;
    result.level_why[i] = std::move(score.why);
  }
  for (const auto& q : questionnaire()) {
    for (const auto capability : q.find_option(given.find(q.id)->second)->implies) {
      result.capabilities.set(static_cast<std::size_t>(capability));
    }
  }
  auto decision = decide_stage(given);
  result.stage = decision.value;
  // The reason is quoted with the question that decided it, so a clerk can see which answer to revisit.
  const auto* deciding = find_question(decision.decided_by.front());
  result.stage_why.why = {std::string(german_name_of(decision.value)) + ": " + capitalised(decision.reason.de) +
                              ". Entscheidend war Ihre Antwort auf „" + std::string(deciding->text_de) + "“",
                          std::string(english_name_of(decision.value)) + ": " + capitalised(decision.reason.en) +
                              ". Decided by your answer to '" + std::string(deciding->text_en) + "'"};
  result.stage_why.decided_by = std::move(decision.decided_by);
  return out;
}

}  // namespace lotse::assessment
