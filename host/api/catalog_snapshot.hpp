// The catalog as requests see it: an immutable snapshot of every provider and solution, replaced as a whole.
// A request holds one snapshot for its whole life, so it never sees half of an update (old or new, never a mix),
// and reads never touch the database.
#pragma once

#include "catalog/domain/model.hpp"
#include "host/matching/compiled_catalog.hpp"

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lotse::api {

// ASCII lower case (umlauts stay as they are), as the solution search compares.
std::string lower_ascii(std::string_view text);

class catalog_snapshot {
 public:
  explicit catalog_snapshot(std::vector<domain::provider_description> descriptions,
                            std::vector<domain::endorsement> endorsements = {});
  catalog_snapshot(const catalog_snapshot&) = delete;  // the compiled catalog points into this object
  catalog_snapshot& operator=(const catalog_snapshot&) = delete;

  const std::vector<domain::provider>& providers() const { return providers_; }
  const std::vector<domain::solution>& solutions() const { return solutions_; }  // sorted by id
  const domain::solution* find_solution(std::string_view id) const;
  const domain::provider* find_provider(std::string_view id) const;
  std::size_t solution_count_of(std::string_view provider_id) const;
  // Solution i's id, name and summary in ASCII lower case, for the q filter: built once here, not per request.
  const std::string& search_text(std::size_t i) const { return search_texts_[i]; }
  // The solutions compiled for matching once per snapshot, so no request pays for it.
  const matching::compiled_catalog& compiled() const { return *compiled_; }

 private:
  std::vector<domain::provider> providers_;  // sorted by id
  std::vector<domain::solution> solutions_;
  std::vector<std::string> search_texts_;
  std::unordered_map<std::string_view, std::size_t> solution_index_;
  std::unordered_map<std::string_view, std::size_t> provider_index_;
  std::unordered_map<std::string_view, std::size_t> solution_counts_;
  std::vector<domain::endorsement> endorsements_;
  std::unique_ptr<matching::compiled_catalog> compiled_;
};

// Holds the current snapshot; readers take a shared_ptr and keep it for the duration of their request.
class catalog_holder {
 public:
  explicit catalog_holder(std::shared_ptr<const catalog_snapshot> initial) : current_(std::move(initial)) {}

  std::shared_ptr<const catalog_snapshot> get() const { return current_.load(); }
  void replace(std::shared_ptr<const catalog_snapshot> next) { current_.store(std::move(next)); }

 private:
  std::atomic<std::shared_ptr<const catalog_snapshot>> current_;
};

}  // namespace lotse::api
