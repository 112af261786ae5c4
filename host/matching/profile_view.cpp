#include "host/matching/profile_view.hpp"

namespace lotse::matching {

profile_view prepare(const domain::profile& profile, const compiled_catalog& catalog) {
  profile_view view;
  view.profile = &profile;
  const auto& res = profile.resources_info;
  view.budget_once_eur = res.budget_once_eur;
  view.budget_annual_eur = res.budget_annual_eur;
  view.staff_fte = res.staff_fte;
  view.population = profile.population;
  view.capabilities = static_cast<std::uint16_t>(profile.it.capabilities.to_ulong());
  view.accepted_hosting = static_cast<std::uint8_t>(profile.it.accepted_hosting.to_ulong());
  view.stage = static_cast<std::uint8_t>(profile.maturity_info.current_stage);
  view.skill = static_cast<std::uint8_t>(res.skill);
  for (std::size_t d = 0; d < domain::dimension_count; ++d) {
    view.levels[d] = profile.maturity_info.levels[d];
  }
  if (!profile.it.service_provider.empty()) {
    const auto code = catalog.organisation_code(profile.it.service_provider);
    view.service_provider = code >= 0 ? code : unknown_service_provider;
    if (code >= 0) {
      view.endorsed = catalog.endorsed_by(code);
    }
  }
  for (const auto& need : profile.needs) {
    const auto bit = static_cast<std::size_t>(need.category);
    view.need_weights[bit] = need.weight;
    if (need.weight > 0) {
      view.need_mask |= 1u << bit;
    }
  }
  view.open_to_cooperation = profile.cooperation_info.open_to_cooperation;
  view.open_source_preferred = profile.it.open_source_preferred;
  view.open_source_required = profile.it.open_source_required;
  if (profile.ags.size() == 8) {
    view.district_references = catalog.referenced_in_district(profile.ags.substr(0, 5));
    view.state_references = catalog.referenced_in_state(profile.ags.substr(0, 2));
  }
  return view;
}

}  // namespace lotse::matching
