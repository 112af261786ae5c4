// A municipality profile reduced to what matching reads, prepared once per request against a compiled catalog
// (interned service provider, need weights by category bit, the endorsement and reference lists that apply).
#pragma once

#include "catalog/domain/model.hpp"
#include "host/matching/compiled_catalog.hpp"

#include <array>
#include <cstdint>
#include <span>

namespace lotse::matching {

inline constexpr std::int32_t no_service_provider = -1;       // the profile names none
inline constexpr std::int32_t unknown_service_provider = -2;  // named, but no solution in the catalog mentions it

struct profile_view {
  const domain::profile* profile = nullptr;
  double budget_once_eur = 0;
  double budget_annual_eur = 0;
  double staff_fte = 0;
  std::int64_t population = 0;
  std::uint16_t capabilities = 0;
  std::uint8_t accepted_hosting = 0;  // 0: no restriction
  std::uint8_t stage = 1;
  std::uint8_t skill = 0;
  std::array<std::uint8_t, domain::dimension_count> levels{};
  std::int32_t service_provider = no_service_provider;
  std::array<double, domain::need_category_count> need_weights{};
  std::uint32_t need_mask = 0;  // categories with a weight > 0
  bool open_to_cooperation = false;
  bool open_source_preferred = false;
  bool open_source_required = false;
  std::span<const endorsed_solution> endorsed;        // by the profile's service provider, ascending
  std::span<const std::uint32_t> district_references;  // ascending solution indices
  std::span<const std::uint32_t> state_references;
};

profile_view prepare(const domain::profile& profile, const compiled_catalog& catalog);

}  // namespace lotse::matching
