#include "host/matching/compiled_catalog.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace lotse::matching {
namespace {

template <std::size_t N>
auto bits(const std::bitset<N>& set) {
  return set.to_ulong();
}

}  // namespace

compiled_catalog::compiled_catalog(std::span<const domain::solution> solutions,
                                   std::span<const domain::endorsement> endorsements)
    : solutions_(solutions) {
  rows_.reserve(solutions.size());
  std::unordered_map<std::string_view, std::uint32_t> index_of;
  for (std::uint32_t i = 0; i < solutions.size(); ++i) {
    const auto& s = solutions[i];
    index_of.emplace(s.id, i);
    solution_row row;
    row.setup_eur = s.cost.setup_eur;
    row.annual_base_eur = s.cost.annual_base_eur;
    row.annual_per_inhabitant_eur = s.cost.annual_per_inhabitant_eur;
    row.band_begin = static_cast<std::uint32_t>(bands_.size());
    row.band_count = static_cast<std::uint8_t>(std::min<std::size_t>(s.cost.population_bands.size(), 255));
    bands_.insert(bands_.end(), s.cost.population_bands.begin(), s.cost.population_bands.begin() + row.band_count);
    row.rollout_fte = s.effort.rollout_fte;
    row.ongoing_fte = s.effort.ongoing_fte;
    row.shared_discount = s.cost.shared_operation_discount.value_or(0);
    row.shared_operation =
        (s.operating_models.test(static_cast<std::size_t>(domain::operating_model::intermunicipal_shared)) ||
         s.cost.shared_operation_discount.has_value())
            ? 1
            : 0;
    row.population_min = s.populations.min;
    row.population_max = s.populations.max.value_or(std::numeric_limits<std::int64_t>::max());
    row.categories = static_cast<std::uint32_t>(bits(s.categories));
    row.requires_caps = static_cast<std::uint16_t>(bits(s.requires_capabilities));
    row.hosting = static_cast<std::uint8_t>(bits(s.hosting_options));
    row.stage_min = static_cast<std::uint8_t>(s.stages.min);
    row.stage_max = static_cast<std::uint8_t>(s.stages.max);
    row.required_skill = static_cast<std::uint8_t>(s.required_skill);
    row.open_source = s.open_source ? 1 : 0;
    row.has_references = s.references.empty() ? 0 : 1;
    row.provider_code = intern(s.provider_id);
    int level_sum = 0;
    for (std::size_t d = 0; d < domain::dimension_count; ++d) {
      row.min_levels[d] = s.min_levels[d];
      level_sum += s.min_levels[d];
    }
    row.min_level_sum = static_cast<std::uint8_t>(level_sum);
    row.compat_begin = static_cast<std::uint32_t>(compat_codes_.size());
    row.compat_count = static_cast<std::uint16_t>(s.compatible_service_providers.size());
    for (const auto& id : s.compatible_service_providers) {
      compat_codes_.push_back(intern(id));
    }
    std::set<std::string> districts;
    std::set<std::string> states;
    for (const auto& ags : s.references) {
      districts.insert(ags.substr(0, 5));
      states.insert(ags.substr(0, 2));
    }
    for (const auto& district : districts) {
      district_references_[district].push_back(i);
    }
    for (const auto& state : states) {
      state_references_[state].push_back(i);
    }
    for (std::size_t c = 0; c < domain::capability_count; ++c) {
      if (s.provides_capabilities.test(c)) {
        capability_providers_[c].push_back(i);
      }
    }
    rows_.push_back(row);
  }
  std::vector<std::uint32_t> by_id(solutions.size());
  for (std::uint32_t i = 0; i < by_id.size(); ++i) {
    by_id[i] = i;
  }
  std::sort(by_id.begin(), by_id.end(), [&](auto a, auto b) { return solutions[a].id < solutions[b].id; });
  id_rank_.resize(solutions.size());
  for (std::uint32_t rank = 0; rank < by_id.size(); ++rank) {
    id_rank_[by_id[rank]] = rank;
  }
  for (const auto& e : endorsements) {
    const auto it = index_of.find(e.solution_id);
    if (it != index_of.end()) {
      endorsements_[intern(e.curator_id)].push_back({it->second, e.kind});
    }
  }
  for (auto& [curator, list] : endorsements_) {
    // One entry per solution; "operated by us" outranks "compatible" when a curator said both.
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return a.solution != b.solution ? a.solution < b.solution : a.kind < b.kind;
    });
    list.erase(std::unique(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.solution == b.solution; }),
               list.end());
  }
}

std::int32_t compiled_catalog::intern(const std::string& id) {
  const auto [it, inserted] = organisation_codes_.emplace(id, static_cast<std::int32_t>(organisation_codes_.size()));
  return it->second;
}

std::int32_t compiled_catalog::organisation_code(std::string_view id) const {
  const auto it = organisation_codes_.find(std::string(id));
  return it == organisation_codes_.end() ? -1 : it->second;
}

std::span<const endorsed_solution> compiled_catalog::endorsed_by(std::int32_t organisation) const {
  const auto it = endorsements_.find(organisation);
  return it == endorsements_.end() ? std::span<const endorsed_solution>{} : std::span(it->second);
}

std::span<const std::uint32_t> compiled_catalog::referenced_in_district(std::string_view district) const {
  const auto it = district_references_.find(std::string(district));
  return it == district_references_.end() ? std::span<const std::uint32_t>{} : std::span(it->second);
}

std::span<const std::uint32_t> compiled_catalog::referenced_in_state(std::string_view state) const {
  const auto it = state_references_.find(std::string(state));
  return it == state_references_.end() ? std::span<const std::uint32_t>{} : std::span(it->second);
}

}  // namespace lotse::matching
