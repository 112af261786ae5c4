// Soft criteria: how well a solution that passed every hard constraint suits the municipality. Each criterion
// yields a value in [0,1] and a reason; the engine weighs them into the score.
#pragma once

#include "catalog/domain/model.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace lotse::matching {

enum class criterion : std::uint8_t { need_fit, maturity_fit, affordability, effort_fit };
inline constexpr std::size_t criterion_count = 4;

std::string_view name_of(criterion value);
std::optional<criterion> parse_criterion(std::string_view name);

// Relative weights; the engine normalises them to sum 1, so {2,1,1,1} and {0.4,0.2,0.2,0.2} rank the same.
struct criterion_weights {
  std::array<double, criterion_count> values{0.55, 0.15, 0.15, 0.15};

  double& operator[](criterion c) { return values[static_cast<std::size_t>(c)]; }
  double operator[](criterion c) const { return values[static_cast<std::size_t>(c)]; }
};

struct criterion_value {
  double value = 0;  // in [0,1]
  std::string reason;
};

criterion_value evaluate(criterion which, const domain::profile& profile, const domain::solution& solution);

}  // namespace lotse::matching
