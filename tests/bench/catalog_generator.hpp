// Deterministic test data for benchmarks and scale tests: a synthetic catalog of N solutions with realistic
// distributions, synthetic municipality profiles, and profiles for the 11,270 real municipalities of
// ../shared/data/gemeinden-2011.csv (real AGS, name, state, district and population; maturity, resources, IT landscape
// and needs generated, seeded per AGS). Same seed, same data, on every machine: the generator uses its own PRNG
// and no std:: distributions (whose output differs between standard libraries).
#pragma once

#include "catalog/domain/model.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::bench {

inline constexpr std::uint64_t default_seed = 0x4c6f747365323031ULL;  // "Lotse201" in ASCII

// At most this many population bands per generated solution (the SQL baseline stores them as columns).
inline constexpr std::size_t max_generated_bands = 3;

// Solution i depends only on (seed, i): the catalog of 1,000 is the first 1,000 of the catalog of 100,000.
// Ids are "sol-0000000", "sol-0000001", … so id order is index order.
std::vector<domain::solution> generate_solutions(std::size_t count, std::uint64_t seed = default_seed);

// One municipality row of gemeinden-2011.csv.
struct municipality {
  std::string ags;           // 8 digits
  std::string name;
  std::string state;
  std::string district_ags;  // 5 digits
  std::int64_t population = 0;
};

// A profile for a real municipality: identity and population from the row, everything else generated from
// (seed, AGS), plausibly for its size (a village of 800 has a few thousand euros and a fraction of an FTE).
domain::profile make_profile(const municipality& row, std::uint64_t seed = default_seed);

// Synthetic municipalities (AGS "99xxxxxx", state "Synthetisch"), sized like Germany's: nine in ten below 20,000.
std::vector<domain::profile> generate_profiles(std::size_t count, std::uint64_t seed = default_seed);

// The municipal IT service providers (organisation ids) that profiles and solutions refer to.
std::span<const std::string_view> service_providers();

// Reads gemeinden-2011.csv (header: ags,name,municipality_type,state,district,district_ags,postal_code,area_km2,
// population; RFC 4180 quoting). Throws std::runtime_error if the file cannot be read or a row is malformed.
std::vector<municipality> read_gemeinden_csv(const std::filesystem::path& path);

// Where gemeinden-2011.csv is: $LOTSE_SHARED_DATA/gemeinden-2011.csv if that variable is set (it names the shared
// data directory; a path ending in ".csv" is taken as the file itself), else the build's default
// ${PROJECT_SOURCE_DIR}/../shared/data/gemeinden-2011.csv. std::nullopt if the file does not exist.
std::optional<std::filesystem::path> gemeinden_csv_path();

}  // namespace lotse::bench
