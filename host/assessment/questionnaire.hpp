// The self-assessment questionnaire: plain-language single-choice questions a clerk in a small town hall can answer
// without an IT department. Five of them are the consultancy's five questions that define the maturity stages
// (../shared/seeds/004_*.txt); the others cover the seven maturity dimensions. docs/assessment.md lists them all.
#pragma once

#include "catalog/domain/vocabulary.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace lotse::assessment {

// Bumped whenever a question or option id changes meaning, so a client holding old answers can tell.
inline constexpr std::int64_t questionnaire_version = 1;

// A clause for the explanation of a level, written as it reads inside a sentence ("es gibt eine federführende
// Stelle"); the scorer joins clauses with "; " and capitalises the first letter.
struct finding {
  std::string_view de{};
  std::string_view en{};
};

// An upper bound an answer puts on its question's dimension, with the reason shown when it lowers the level.
// Caps carry the seeds' hard rules: without a written Zukunftsbild there is no mature strategy, without a lead
// responsibility no mature organisation, without broadband no mature infrastructure.
struct level_cap {
  std::uint8_t max_level = 4;
  finding reason{};
};

// Every member has a default initialiser so the table in questionnaire.cpp can name only what an option needs.
struct option {
  std::string_view id{};
  std::string_view label_de{};
  std::string_view label_en{};
  // Points towards the question's dimension, 0..max over the question's options; see scoring.hpp.
  std::uint8_t points = 0;
  finding says{};  // empty for questions without a dimension
  std::optional<level_cap> cap{};
  std::vector<domain::capability> implies{};  // what a municipality giving this answer already has
};

struct question {
  std::string_view id{};
  std::string_view text_de{};
  std::string_view text_en{};
  std::string_view help_de{};  // may be empty
  std::string_view help_en{};  // may be empty
  // The stage of the consultancy's five steps this question stands for (set on exactly five questions).
  std::optional<domain::stage> stage{};
  // The dimension this question's points count towards; a stage question may score a dimension too (the
  // Zukunftsbild question scores strategy).
  std::optional<domain::dimension> dimension{};
  std::vector<option> options{};

  const option* find_option(std::string_view option_id) const;
  std::uint8_t max_points() const;
};

// Every question in the order a client should ask them: the five stage questions first, in the seed's order.
// Every question is required.
const std::vector<question>& questionnaire();

// nullptr when the id is not a question of this questionnaire.
const question* find_question(std::string_view id);

}  // namespace lotse::assessment
