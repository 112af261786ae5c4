#include "host/api/catalog_snapshot.hpp"

#include <algorithm>
#include <cctype>

namespace lotse::api {

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

catalog_snapshot::catalog_snapshot(std::vector<domain::provider_description> descriptions,
                                   std::vector<domain::endorsement> endorsements)
    : endorsements_(std::move(endorsements)) {
  for (auto& description : descriptions) {
    providers_.push_back(std::move(description.provider_info));
    for (auto& item : description.solutions) {
      solutions_.push_back(std::move(item));
    }
  }
  std::sort(providers_.begin(), providers_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::sort(solutions_.begin(), solutions_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  // The indexes hold views into the vectors above, which never change after construction.
  for (std::size_t i = 0; i < providers_.size(); ++i) {
    provider_index_.emplace(providers_[i].id, i);
  }
  search_texts_.reserve(solutions_.size());
  for (std::size_t i = 0; i < solutions_.size(); ++i) {
    // Newlines separate the fields, so a query without a line break never matches across two of them.
    search_texts_.push_back(lower_ascii(solutions_[i].id + '\n' + solutions_[i].name + '\n' + solutions_[i].summary));
    solution_index_.emplace(solutions_[i].id, i);
    ++solution_counts_[solutions_[i].provider_id];
  }
  compiled_ = std::make_unique<matching::compiled_catalog>(solutions_, endorsements_);
}

const domain::solution* catalog_snapshot::find_solution(std::string_view id) const {
  const auto it = solution_index_.find(id);
  return it == solution_index_.end() ? nullptr : &solutions_[it->second];
}

const domain::provider* catalog_snapshot::find_provider(std::string_view id) const {
  const auto it = provider_index_.find(id);
  return it == provider_index_.end() ? nullptr : &providers_[it->second];
}

std::size_t catalog_snapshot::solution_count_of(std::string_view provider_id) const {
  const auto it = solution_counts_.find(provider_id);
  return it == solution_counts_.end() ? 0 : it->second;
}

}  // namespace lotse::api
