// The controlled vocabulary of ../shared/design/domain.md as enums with their wire names.
// Enums let the engine work on small integers and bitsets; the wire names are the public contract.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string_view>

namespace lotse::domain {

enum class stage : std::uint8_t { start = 1, orientation, implementation, acceptance, consolidation };
inline constexpr std::size_t stage_count = 5;

enum class dimension : std::uint8_t { strategy, leadership, organisation, skills, infrastructure, data, participation };
inline constexpr std::size_t dimension_count = 7;

enum class it_skill : std::uint8_t { none, basic, intermediate, advanced };
inline constexpr std::size_t it_skill_count = 4;

enum class solution_kind : std::uint8_t { software, iot, platform, service, training };
inline constexpr std::size_t solution_kind_count = 5;

enum class provider_kind : std::uint8_t { startup, it_service_provider, consultancy, other };
inline constexpr std::size_t provider_kind_count = 4;

// What an IT service provider says about a solution for its client municipalities (curators' endorsements).
enum class endorsement_kind : std::uint8_t { operated_by_us, compatible_with_our_platform };
inline constexpr std::size_t endorsement_kind_count = 2;

enum class hosting : std::uint8_t { on_premises, provider_datacenter, german_cloud, any_eu_cloud };
inline constexpr std::size_t hosting_count = 4;

enum class operating_model : std::uint8_t { saas, provider_operated, self_hosted, intermunicipal_shared };
inline constexpr std::size_t operating_model_count = 4;

enum class need_category : std::uint8_t {
  strategy_vision,
  strategy_goals,
  organisation_governance,
  skills_training,
  participation_citizens,
  communication_citizens,
  administration_documents,
  administration_council,
  administration_online_services,
  data_platform,
  data_management,
  infrastructure_iot_network,
  environment_air_quality,
  environment_water_level,
  waste_collection,
  mobility_roadworks,
  operations_winter_service,
  operations_building_yard,
};
inline constexpr std::size_t need_category_count = 18;

enum class capability : std::uint8_t {
  digital_strategy,
  lead_responsibility,
  digital_pilots,
  project_office,
  dms,
  e_file,
  council_information_system,
  citizen_portal,
  bund_id,
  fit_connect,
  gis,
  lorawan_network,
  iot_platform,
  urban_data_platform,
  open_data_portal,
  broadband_admin_sites,
};
inline constexpr std::size_t capability_count = 16;

using capability_set = std::bitset<capability_count>;
using need_category_set = std::bitset<need_category_count>;
using hosting_set = std::bitset<hosting_count>;
using operating_model_set = std::bitset<operating_model_count>;

// Wire names, indexed by the enum's value (stage by value - 1).
std::string_view name_of(stage value);
std::string_view name_of(dimension value);
std::string_view name_of(it_skill value);
std::string_view name_of(solution_kind value);
std::string_view name_of(provider_kind value);
std::string_view name_of(endorsement_kind value);
std::string_view name_of(hosting value);
std::string_view name_of(operating_model value);
std::string_view name_of(need_category value);
std::string_view name_of(capability value);

// German display names for user-facing messages.
std::string_view german_name_of(stage value);  // "Umsetzung"
std::string_view german_name_of(capability value);
std::string_view german_name_of(need_category value);

// Parsing from wire names; std::nullopt for a word outside the vocabulary.
template <typename Enum>
std::optional<Enum> parse_name(std::string_view text);

template <> std::optional<stage> parse_name<stage>(std::string_view text);
template <> std::optional<dimension> parse_name<dimension>(std::string_view text);
template <> std::optional<it_skill> parse_name<it_skill>(std::string_view text);
template <> std::optional<solution_kind> parse_name<solution_kind>(std::string_view text);
template <> std::optional<provider_kind> parse_name<provider_kind>(std::string_view text);
template <> std::optional<endorsement_kind> parse_name<endorsement_kind>(std::string_view text);
template <> std::optional<hosting> parse_name<hosting>(std::string_view text);
template <> std::optional<operating_model> parse_name<operating_model>(std::string_view text);
template <> std::optional<need_category> parse_name<need_category>(std::string_view text);
template <> std::optional<capability> parse_name<capability>(std::string_view text);

// The comma-separated list of every wire name of Enum, for error messages ("must be one of: …").
template <typename Enum>
std::string_view all_names();

template <> std::string_view all_names<stage>();
template <> std::string_view all_names<dimension>();
template <> std::string_view all_names<it_skill>();
template <> std::string_view all_names<solution_kind>();
template <> std::string_view all_names<provider_kind>();
template <> std::string_view all_names<endorsement_kind>();
template <> std::string_view all_names<hosting>();
template <> std::string_view all_names<operating_model>();
template <> std::string_view all_names<need_category>();
template <> std::string_view all_names<capability>();

}  // namespace lotse::domain
