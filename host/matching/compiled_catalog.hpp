// The catalog compiled for matching: one compact row per solution, built once per catalog snapshot (not per
// request), so that a match scans contiguous numbers and bitmasks instead of strings and vectors.
#pragma once

#include "catalog/domain/model.hpp"
#include "host/matching/cost_model.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lotse::matching {

// What the hard constraints and soft criteria read of a solution, in one cache-friendly record.
struct solution_row {
  double setup_eur = 0;
  double annual_base_eur = 0;
  double annual_per_inhabitant_eur = 0;
  double rollout_fte = 0;
  double ongoing_fte = 0;
  double shared_discount = 0;          // 0 when the solution has none
  std::int64_t population_min = 0;
  std::int64_t population_max = 0;     // INT64_MAX when open
  std::uint32_t categories = 0;        // need_category bits
  std::uint32_t compat_begin = 0;      // into compiled_catalog::compat_codes
  std::uint32_t band_begin = 0;        // into compiled_catalog's flat band list
  std::uint16_t requires_caps = 0;     // capability bits
  std::uint16_t compat_count = 0;      // 0: works with any service provider
  std::uint8_t hosting = 0;            // hosting bits; 0: not applicable
  std::uint8_t stage_min = 1;
  std::uint8_t stage_max = 5;
  std::uint8_t required_skill = 0;
  std::uint8_t min_level_sum = 0;
  std::uint8_t band_count = 0;
  std::uint8_t shared_operation = 0;   // offers intermunicipal_shared operation or a shared discount
  std::uint8_t open_source = 0;
  std::uint8_t has_references = 0;
  std::int32_t provider_code = -1;     // interned provider id
  std::array<std::uint8_t, domain::dimension_count> min_levels{};
};

// Index entries: which solutions an IT service provider endorsed, which are referenced in a district or state.
struct endorsed_solution {
  std::uint32_t solution;
  domain::endorsement_kind kind;
};

class compiled_catalog {
 public:
  // The solutions must outlive the compiled catalog (the snapshot owns both).
  explicit compiled_catalog(std::span<const domain::solution> solutions,
                            std::span<const domain::endorsement> endorsements = {});

  std::size_t size() const { return rows_.size(); }
  std::span<const domain::solution> solutions() const { return solutions_; }
  const std::vector<solution_row>& rows() const { return rows_; }
  const std::vector<std::int32_t>& compat_codes() const { return compat_codes_; }

  // Interned code of an organisation id (provider or service provider), or -1 if no solution mentions it.
  std::int32_t organisation_code(std::string_view id) const;
  // Solutions endorsed by this IT service provider, ascending by solution index.
  std::span<const endorsed_solution> endorsed_by(std::int32_t organisation) const;
  // Solutions with a reference in this district (5-digit key) / state (2-digit key), ascending.
  std::span<const std::uint32_t> referenced_in_district(std::string_view district) const;
  std::span<const std::uint32_t> referenced_in_state(std::string_view state) const;

  // Solutions that provide a capability, ascending by index.
  std::span<const std::uint32_t> providers_of(domain::capability capability) const {
    return capability_providers_[static_cast<std::size_t>(capability)];
  }

  // Position of solution i in id order: ties in a ranking break by id, which this makes an integer compare.
  std::uint32_t id_rank(std::size_t i) const { return id_rank_[i]; }

  // Annual cost of row i at a population, by cost_model.hpp's rule on the compiled data (bands live in one flat
  // list, so the scan never leaves the compiled catalog).
  double annual_cost(std::size_t i, std::int64_t population) const {
    const auto& row = rows_[i];
    return annual_cost_eur(std::span(bands_).subspan(row.band_begin, row.band_count), row.annual_base_eur,
                           row.annual_per_inhabitant_eur, population);
  }

 private:
  std::int32_t intern(const std::string& id);

  std::span<const domain::solution> solutions_;
  std::vector<solution_row> rows_;
  std::vector<std::int32_t> compat_codes_;
  std::vector<domain::population_band> bands_;
  std::vector<std::uint32_t> id_rank_;
  std::array<std::vector<std::uint32_t>, domain::capability_count> capability_providers_;
  std::unordered_map<std::string, std::int32_t> organisation_codes_;
  std::unordered_map<std::int32_t, std::vector<endorsed_solution>> endorsements_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> district_references_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> state_references_;
};

}  // namespace lotse::matching
