#include "tests/bench/bench_data.hpp"

#include "tests/bench/catalog_generator.hpp"

#include <map>
#include <memory>
#include <stdexcept>

namespace lotse::bench {

const std::vector<domain::solution>& catalog_of(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<std::vector<domain::solution>>> cache;
  auto& slot = cache[n];
  if (!slot) {
    slot = std::make_unique<std::vector<domain::solution>>(generate_solutions(n));
  }
  return *slot;
}

const std::vector<domain::profile>& synthetic_profiles() {
  static const auto profiles = generate_profiles(256);
  return profiles;
}

const std::vector<domain::profile>* real_profiles(std::string* reason) {
  static std::string why;
  static const auto profiles = []() -> std::unique_ptr<std::vector<domain::profile>> {
    const auto path = gemeinden_csv_path();
    if (!path) {
      why = "gemeinden-2011.csv not found: expected ../shared/data beside the source tree, or set LOTSE_SHARED_DATA "
            "to the shared data directory";
      return nullptr;
    }
    try {
      auto out = std::make_unique<std::vector<domain::profile>>();
      for (const auto& row : read_gemeinden_csv(*path)) {
        out->push_back(make_profile(row));
      }
      return out;
    } catch (const std::exception& error) {
      why = error.what();
      return nullptr;
    }
  }();
  if (!profiles && reason != nullptr) {
    *reason = why;
  }
  return profiles.get();
}

}  // namespace lotse::bench
