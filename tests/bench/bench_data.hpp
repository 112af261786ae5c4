// Data shared by the benchmark programs, built once per process (outside any timed loop) and cached.
#pragma once

#include "catalog/domain/model.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace lotse::bench {

// The generated catalog of n solutions (default seed).
const std::vector<domain::solution>& catalog_of(std::size_t n);

// 256 synthetic municipality profiles, cycled through by the per-size benchmarks, so one number is not one profile's.
const std::vector<domain::profile>& synthetic_profiles();

// Profiles for all municipalities of gemeinden-2011.csv; nullptr if the file is missing, with why in *reason.
const std::vector<domain::profile>* real_profiles(std::string* reason);

}  // namespace lotse::bench
