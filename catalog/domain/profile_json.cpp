#include "catalog/domain/profile_json.hpp"

#include "catalog/domain/json_number.hpp"
#include "catalog/domain/json_reader.hpp"

#include <boost/json.hpp>

namespace lotse::domain {
namespace json = boost::json;
using detail::object_reader;
using detail::presence;
using detail::text_rule;

namespace {

constexpr std::int64_t max_population = 4'000'000;  // larger than Berlin: anything above is a typo
constexpr double max_staff_fte = 1000;

void read_maturity(object_reader& parent, maturity& out) {
  auto reader = parent.child("maturity", presence::required);
  if (!reader.valid()) {
    return;
  }
  out.current_stage = reader.word<stage>("stage", presence::required).value_or(stage::start);
  if (const auto* levels = reader.member("levels", presence::optional)) {
    out.levels = detail::read_levels(*levels, reader.pointer_to("levels"), parent.errors());
  }
  reader.finish();
}

void read_resources(object_reader& parent, resources& out) {
  auto reader = parent.child("resources", presence::required);
  if (!reader.valid()) {
    return;
  }
  out.budget_once_eur = reader.number("budget_once_eur", presence::required, 0).value_or(0);
  out.budget_annual_eur = reader.number("budget_annual_eur", presence::required, 0).value_or(0);
  out.staff_fte = reader.number("staff_fte", presence::required, 0, max_staff_fte).value_or(0);
  out.skill = reader.word<it_skill>("it_skill", presence::optional).value_or(it_skill::none);
  reader.finish();
}

void read_it(object_reader& parent, it_landscape& out) {
  auto reader = parent.child("it", presence::optional);
  if (!reader.valid()) {
    return;
  }
  out.service_provider = reader.text("service_provider", presence::optional, text_rule{1, 100, true, 0}).value_or("");
  out.capabilities =
      reader.word_set<capability, capability_count>("capabilities", presence::optional).value_or(capability_set{});
  out.accepted_hosting = reader.word_set<hosting, hosting_count>("hosting", presence::optional).value_or(hosting_set{});
  out.open_source_preferred = reader.boolean("open_source_preferred", presence::optional).value_or(false);
  out.open_source_required = reader.boolean("open_source_required", presence::optional).value_or(false);
  out.standards =
      reader.text_list("standards", presence::optional, text_rule{1, 100, false, 0}).value_or(std::vector<std::string>{});
  reader.finish();
}

void read_needs(object_reader& parent, std::vector<need>& out) {
  const auto* json_needs = parent.member("needs", presence::optional);
  if (json_needs == nullptr) {
    return;
  }
  const auto where = parent.pointer_to("needs");
  if (!json_needs->is_object()) {
    parent.errors().push_back({where, "must be an object mapping need categories to weights from 0 to 1"});
    return;
  }
  for (const auto& entry : json_needs->get_object()) {
    const std::string_view key(entry.key().data(), entry.key().size());
    const auto item_pointer = append_pointer(where, key);
    const auto category = parse_name<need_category>(key);
    if (!category) {
      parent.errors().push_back(
          {item_pointer, "is not a need category; must be one of: " + std::string(all_names<need_category>())});
      continue;
    }
    const auto& weight = entry.value();
    if (!weight.is_number() || weight.to_number<double>() < 0 || weight.to_number<double>() > 1) {
      parent.errors().push_back({item_pointer, "must be a number from 0 to 1"});
      continue;
    }
    out.push_back({*category, weight.to_number<double>()});
  }
}

void read_cooperation(object_reader& parent, cooperation& out) {
  auto reader = parent.child("cooperation", presence::optional);
  if (!reader.valid()) {
    return;
  }
  out.open_to_cooperation = reader.boolean("open_to_cooperation", presence::optional).value_or(false);
  out.memberships =
      reader.text_list("memberships", presence::optional, text_rule{1, 200, false, 0}, 50).value_or(std::vector<std::string>{});
  reader.finish();
}

}  // namespace

parsed<profile> parse_profile(const json::value& json) {
  parsed<profile> out;
  auto& value = out.value;
  object_reader reader(&json, "", out.errors);
  if (!reader.valid()) {
    return out;
  }
  value.ags = reader.text("ags", presence::required, text_rule{0, 0, false, 8}).value_or("");
  value.name = reader.text("name", presence::required, text_rule{1, 120, false, 0}).value_or("");
  value.state = reader.text("state", presence::optional, text_rule{1, 60, false, 0}).value_or("");
  const auto district = reader.text("district_ags", presence::optional, text_rule{0, 0, false, 5});
  // The district key is the first five digits of the AGS (Land, Regierungsbezirk, Kreis); a mismatch is a typo.
  if (district && !value.ags.empty() && value.ags.compare(0, 5, *district) != 0) {
    reader.error("district_ags", "must be the first five digits of ags (" + value.ags.substr(0, 5) + ")");
  }
  value.district_ags = district.value_or(value.ags.empty() ? "" : value.ags.substr(0, 5));
  value.population = reader.integer("population", presence::required, 1, max_population).value_or(0);
  read_maturity(reader, value.maturity_info);
  read_resources(reader, value.resources_info);
  read_it(reader, value.it);
  read_needs(reader, value.needs);
  read_cooperation(reader, value.cooperation_info);
  reader.finish();
  return out;
}

json::value to_json(const profile& value) {
  json::object needs;
  for (const auto& item : value.needs) {
    needs[name_of(item.category)] = json_number(item.weight);
  }
  json::object out{
      {"ags", value.ags},
      {"name", value.name},
      {"district_ags", value.district_ags},
      {"population", value.population},
      {"maturity", json::object{{"stage", name_of(value.maturity_info.current_stage)},
                                {"levels", detail::levels_to_json(value.maturity_info.levels, false)}}},
      {"resources", json::object{{"budget_once_eur", json_number(value.resources_info.budget_once_eur)},
                                 {"budget_annual_eur", json_number(value.resources_info.budget_annual_eur)},
                                 {"staff_fte", json_number(value.resources_info.staff_fte)},
                                 {"it_skill", name_of(value.resources_info.skill)}}},
      {"it", json::object{{"capabilities", detail::words_to_json<capability>(value.it.capabilities)},
                          {"hosting", detail::words_to_json<hosting>(value.it.accepted_hosting)},
                          {"open_source_preferred", value.it.open_source_preferred},
                          {"open_source_required", value.it.open_source_required},
                          {"standards", json::array(value.it.standards.begin(), value.it.standards.end())}}},
      {"needs", std::move(needs)},
      {"cooperation",
       json::object{{"open_to_cooperation", value.cooperation_info.open_to_cooperation},
                    {"memberships",
                     json::array(value.cooperation_info.memberships.begin(), value.cooperation_info.memberships.end())}}},
  };
  if (!value.state.empty()) {
    out["state"] = value.state;
  }
  if (!value.it.service_provider.empty()) {
    out["it"].as_object()["service_provider"] = value.it.service_provider;
  }
  return out;
}

}  // namespace lotse::domain
