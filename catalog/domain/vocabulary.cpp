#include "catalog/domain/vocabulary.hpp"

#include <algorithm>
#include <string>

namespace lotse::domain {
namespace {

constexpr std::array<std::string_view, stage_count> stage_names = {
    "start", "orientation", "implementation", "acceptance", "consolidation"};
constexpr std::array<std::string_view, dimension_count> dimension_names = {
    "strategy", "leadership", "organisation", "skills", "infrastructure", "data", "participation"};
constexpr std::array<std::string_view, it_skill_count> it_skill_names = {"none", "basic", "intermediate", "advanced"};
constexpr std::array<std::string_view, solution_kind_count> solution_kind_names = {
    "software", "iot", "platform", "service", "training"};
constexpr std::array<std::string_view, provider_kind_count> provider_kind_names = {
    "startup", "it_service_provider", "consultancy", "other"};
constexpr std::array<std::string_view, endorsement_kind_count> endorsement_kind_names = {
    "operated_by_us", "compatible_with_our_platform"};
constexpr std::array<std::string_view, hosting_count> hosting_names = {
    "on_premises", "provider_datacenter", "german_cloud", "any_eu_cloud"};
constexpr std::array<std::string_view, operating_model_count> operating_model_names = {
    "saas", "provider_operated", "self_hosted", "intermunicipal_shared"};
constexpr std::array<std::string_view, need_category_count> need_category_names = {
    "strategy.vision",
    "strategy.goals",
    "organisation.governance",
    "skills.training",
    "participation.citizens",
    "communication.citizens",
    "administration.documents",
    "administration.council",
    "administration.online_services",
    "data.platform",
    "data.management",
    "infrastructure.iot_network",
    "environment.air_quality",
    "environment.water_level",
    "waste.collection",
    "mobility.roadworks",
    "operations.winter_service",
    "operations.building_yard",
};
constexpr std::array<std::string_view, need_category_count> need_category_german = {
    "Zukunftsbild",
    "Zieldefinition",
    "Organisation und Steuerung",
    "Qualifizierung",
    "Bürgerbeteiligung",
    "Kommunikation mit Bürgerinnen und Bürgern",
    "Dokumentenmanagement und E-Akte",
    "Ratsarbeit",
    "Online-Dienste (OZG)",
    "Datenplattform",
    "Datenmanagement",
    "IoT-Netz",
    "Luftqualität",
    "Pegelstände",
    "Abfallsammlung",
    "Baustellen und Verkehr",
    "Winterdienst",
    "Bauhof",
};
constexpr std::array<std::string_view, capability_count> capability_names = {
    "digital_strategy", "lead_responsibility", "digital_pilots", "project_office",
    "dms",              "e_file",              "council_information_system",
    "citizen_portal",   "bund_id",             "fit_connect",
    "gis",              "lorawan_network",     "iot_platform",
    "urban_data_platform", "open_data_portal", "broadband_admin_sites",
};
constexpr std::array<std::string_view, capability_count> capability_german = {
    "Digitalstrategie",
    "Federführende Zuständigkeit für Digitalisierung",
    "Digitallotsen",
    "Projektbüro",
    "Dokumentenmanagementsystem (DMS)",
    "E-Akte",
    "Ratsinformationssystem",
    "Bürgerportal",
    "BundID",
    "FIT-Connect",
    "Geoinformationssystem (GIS)",
    "LoRaWAN-Netz",
    "IoT-Plattform",
    "Urbane Datenplattform",
    "Open-Data-Portal",
    "Breitbandanschluss der Verwaltungsstandorte",
};

template <typename Enum, std::size_t N>
std::optional<Enum> find_name(const std::array<std::string_view, N>& names, std::string_view text, int offset = 0) {
  const auto it = std::find(names.begin(), names.end(), text);
  if (it == names.end()) {
    return std::nullopt;
  }
  return static_cast<Enum>(static_cast<int>(it - names.begin()) + offset);
}

template <std::size_t N>
std::string join(const std::array<std::string_view, N>& names) {
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) {
      out += ", ";
    }
    out += name;
  }
  return out;
}

}  // namespace

std::string_view name_of(stage value) { return stage_names.at(static_cast<std::size_t>(value) - 1); }
std::string_view name_of(dimension value) { return dimension_names.at(static_cast<std::size_t>(value)); }
std::string_view name_of(it_skill value) { return it_skill_names.at(static_cast<std::size_t>(value)); }
std::string_view name_of(solution_kind value) { return solution_kind_names.at(static_cast<std::size_t>(value)); }
std::string_view name_of(provider_kind value) { return provider_kind_names.at(static_cast<std::size_t>(value)); }
std::string_view name_of(endorsement_kind value) {
  return endorsement_kind_names.at(static_cast<std::size_t>(value));
}
std::string_view name_of(hosting value) { return hosting_names.at(static_cast<std::size_t>(value)); }
std::string_view name_of(operating_model value) { return operating_model_names.at(static_cast<std::size_t>(value)); }
std::string_view name_of(need_category value) { return need_category_names.at(static_cast<std::size_t>(value)); }
std::string_view name_of(capability value) { return capability_names.at(static_cast<std::size_t>(value)); }

std::string_view german_name_of(stage value) {
  static constexpr std::array<std::string_view, stage_count> names = {"Start", "Orientierung", "Umsetzung", "Akzeptanz",
                                                                      "Konsolidierung"};
  return names.at(static_cast<std::size_t>(value) - 1);
}
std::string_view german_name_of(capability value) { return capability_german.at(static_cast<std::size_t>(value)); }
std::string_view german_name_of(need_category value) {
  return need_category_german.at(static_cast<std::size_t>(value));
}

template <> std::optional<stage> parse_name<stage>(std::string_view text) {
  return find_name<stage>(stage_names, text, 1);
}
template <> std::optional<dimension> parse_name<dimension>(std::string_view text) {
  return find_name<dimension>(dimension_names, text);
}
template <> std::optional<it_skill> parse_name<it_skill>(std::string_view text) {
  return find_name<it_skill>(it_skill_names, text);
}
template <> std::optional<solution_kind> parse_name<solution_kind>(std::string_view text) {
  return find_name<solution_kind>(solution_kind_names, text);
}
template <> std::optional<provider_kind> parse_name<provider_kind>(std::string_view text) {
  return find_name<provider_kind>(provider_kind_names, text);
}
template <> std::optional<endorsement_kind> parse_name<endorsement_kind>(std::string_view text) {
  return find_name<endorsement_kind>(endorsement_kind_names, text);
}
template <> std::optional<hosting> parse_name<hosting>(std::string_view text) {
  return find_name<hosting>(hosting_names, text);
}
template <> std::optional<operating_model> parse_name<operating_model>(std::string_view text) {
  return find_name<operating_model>(operating_model_names, text);
}
template <> std::optional<need_category> parse_name<need_category>(std::string_view text) {
  return find_name<need_category>(need_category_names, text);
}
template <> std::optional<capability> parse_name<capability>(std::string_view text) {
  return find_name<capability>(capability_names, text);
}

template <> std::string_view all_names<stage>() { static const std::string s = join(stage_names); return s; }
template <> std::string_view all_names<dimension>() { static const std::string s = join(dimension_names); return s; }
template <> std::string_view all_names<it_skill>() { static const std::string s = join(it_skill_names); return s; }
template <> std::string_view all_names<solution_kind>() {
  static const std::string s = join(solution_kind_names);
  return s;
}
template <> std::string_view all_names<provider_kind>() {
  static const std::string s = join(provider_kind_names);
  return s;
}
template <> std::string_view all_names<endorsement_kind>() {
  static const std::string s = join(endorsement_kind_names);
  return s;
}
template <> std::string_view all_names<hosting>() { static const std::string s = join(hosting_names); return s; }
template <> std::string_view all_names<operating_model>() {
  static const std::string s = join(operating_model_names);
  return s;
}
template <> std::string_view all_names<need_category>() {
  static const std::string s = join(need_category_names);
  return s;
}
template <> std::string_view all_names<capability>() {
  static const std::string s = join(capability_names);
  return s;
}

}  // namespace lotse::domain
