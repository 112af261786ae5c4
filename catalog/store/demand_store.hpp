// Demand signals for publishers: per solution, how often it was shown in match results and how often it was
// excluded, by hard-constraint code. Only counts: no municipality, no time of day, nothing that could name who
// asked. Hosts count in memory (host/demand) and add their counts here now and then, so matching never waits on it.
//
// Thread-safe, like store; several hosts may add to one database at once. store_error / store_unavailable as in
// store.hpp.
#pragma once

#include "catalog/store/store.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lotse::catalog {

namespace demand_event {
inline constexpr std::string_view shown = "shown";
inline constexpr std::string_view excluded = "excluded";
}  // namespace demand_event

struct demand_count {
  std::string solution_id;
  std::string event;  // demand_event::shown or demand_event::excluded
  // "" for shown. For excluded: "" counts exclusions (each once, however many constraints it violated), a
  // constraint code (e.g. "budget_annual") counts exclusions that violated that constraint. An exclusion for two
  // constraints thus adds 1 to "" and 1 to each code, so the codes' counts may add up to more than "".
  std::string reason;
  std::int64_t count = 0;
};

class demand_store {
 public:
  explicit demand_store(const store& s);

  // Adds every increment in one transaction (upsert count = count + n), so several hosts adding at once lose nothing.
  // Increments of the same key are summed. Throws std::invalid_argument, writing nothing, for an empty solution id,
  // an unknown event, a "shown" with a reason, or a count that is not positive.
  void add(const std::vector<demand_count>& increments);
  // The counts of these solutions (all solutions when empty), sorted by solution, event, reason.
  std::vector<demand_count> counts(const std::vector<std::string>& solution_ids = {}) const;

 private:
  const store& store_;
};

}  // namespace lotse::catalog
