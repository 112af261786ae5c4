// Writes an export file (catalog/store/transfer_json.hpp) holding a profile for every municipality of
// ../shared/data/gemeinden-2011.csv, for the sizing measurement in docs/operations.md:
//   lotse_sizing_export FILE && lotse-host import FILE --db …
#include "catalog/store/transfer_json.hpp"
#include "tests/bench/bench_data.hpp"

#include <boost/json/serialize.hpp>

#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: lotse_sizing_export FILE\n";
    return 2;
  }
  std::string reason;
  const auto* profiles = lotse::bench::real_profiles(&reason);
  if (profiles == nullptr) {
    std::cerr << "lotse_sizing_export: " << reason << "\n";
    return 1;
  }
  lotse::catalog::store_contents contents;
  for (const auto& profile : *profiles) {
    contents.profiles.push_back({profile, 1});
  }
  std::ofstream(argv[1]) << boost::json::serialize(lotse::catalog::to_json(contents)) << "\n";
  std::cerr << "wrote " << contents.profiles.size() << " profiles to " << argv[1] << "\n";
  return 0;
}
