// A minimal Lotse provider plugin: one provider offering one solution, and a price quote for a given municipality.
// The company, its product and its prices are invented; replace them with your own. docs/plugin-manifest.md in the
// Lotse repository lists every field and its rules, docs/sdk.md the rules for plugin code:
//   - throw freely: the SDK catches every exception at the boundary and reports it to the host as an error;
//   - never call exit(), abort() or std::terminate(): a plugin runs inside the host's process;
//   - be deterministic: the same request gets the same answer (no clocks, no randomness, no network).
#include <lotse/sdk/plugin.hpp>

#include <boost/json.hpp>

#include <cmath>
#include <cstdint>
#include <string>

namespace {

namespace json = boost::json;

constexpr const char* solution_id = "beispiel-startup.winterdienst";

// The price list, in euros. describe() publishes it so the host can match on cost without calling the plugin;
// quote() computes from the same numbers, so the catalog and a quote never disagree.
struct population_band {
  std::int64_t max_population;  // the band covers populations up to and including this
  double annual_eur;            // replaces annual_base_eur + the per-inhabitant price inside the band
};
constexpr double setup_eur = 2400;
constexpr double annual_base_eur = 900;
constexpr double annual_per_inhabitant_eur = 0.12;
constexpr population_band population_bands[] = {{2000, 600}, {5000, 1200}};  // strictly ascending
constexpr double shared_operation_discount = 0.2;

double annual_eur_for(std::int64_t population) {
  for (const auto& band : population_bands) {
    if (population <= band.max_population) {
      return band.annual_eur;
    }
  }
  return annual_base_eur + annual_per_inhabitant_eur * static_cast<double>(population);
}

double whole_cents(double eur) { return std::round(eur * 100) / 100; }

class my_plugin final : public lotse::sdk::plugin {
 public:
  json::value describe() const override {
    json::array bands;
    for (const auto& band : population_bands) {
      bands.push_back(json::object{{"max_population", band.max_population}, {"annual_eur", band.annual_eur}});
    }

    json::array solutions;
    solutions.push_back(json::object{
        {"id", solution_id},  // stable forever: municipalities' roadmaps refer to it
        {"name", "Winterdienst-Nachweis per App"},
        {"summary",
         "Die Fahrzeuge des Bauhofs zeichnen per Smartphone-App auf, wann welche Straße geräumt und gestreut wurde. "
         "Die Gemeinde kann ihre Räum- und Streupflicht so jederzeit lückenlos nachweisen."},
        {"kind", "software"},
        {"categories", json::array{"operations.winter_service", "operations.building_yard"}},
        // From which maturity stage on a municipality can carry it, and up to which stage it is still useful.
        {"stages", json::object{{"min", "start"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"infrastructure", 1}}},
        {"cost", json::object{
                     {"setup_eur", setup_eur},
                     {"annual_base_eur", annual_base_eur},
                     {"annual_per_inhabitant_eur", annual_per_inhabitant_eur},
                     {"population_bands", std::move(bands)},
                     {"shared_operation_discount", shared_operation_discount},
                 }},
        // What it costs the municipality in staff: full-time equivalents during roll-out and afterwards.
        {"effort", json::object{{"rollout_fte", 0.05}, {"ongoing_fte", 0.01}, {"rollout_months", 1}}},
        {"required_skill", "basic"},
        {"requires", json::array{}},  // capabilities the municipality must already have, e.g. "gis"
        {"provides", json::array{}},  // capabilities it has afterwards
        {"compatible_service_providers", json::array{}},  // empty: works with any IT service provider
        {"standards", json::array{"GeoJSON (RFC 7946)"}},
        {"hosting", json::array{"german_cloud"}},
        {"operating_models", json::array{"saas", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 30000}}},
        {"references", json::array{}},  // 8-digit AGS of municipalities using it (with their consent)
    });

    return json::object{
        {"provider", json::object{
                         {"id", "beispiel-startup"},
                         {"name", "Beispiel Start-up GmbH (fiktiv)"},
                         {"kind", "startup"},
                         {"website", "https://beispiel-startup.example"},
                         {"contact", "kommunen@beispiel-startup.example"},
                     }},
        {"solutions", std::move(solutions)},
    };
  }

  bool supports_quote() const override { return true; }

  // request: {"solution_id": "...", "profile": {...}} with the municipality's profile (its "population" is a whole
  // number ≥ 1). A request this plugin cannot answer is a bad_request; the SDK reports it as LOTSE_BAD_REQUEST.
  json::value quote(const json::value& request) const override {
    const auto* object = request.if_object();
    const auto* id = object != nullptr ? object->if_contains("solution_id") : nullptr;
    if (id == nullptr || !id->is_string() || id->get_string() != solution_id) {
      throw lotse::sdk::bad_request(std::string("solution_id must be \"") + solution_id + "\"");
    }
    const auto* profile = object->if_contains("profile");
    const auto* population =
        profile != nullptr && profile->is_object() ? profile->get_object().if_contains("population") : nullptr;
    if (population == nullptr || !population->is_int64() || population->get_int64() < 1) {
      throw lotse::sdk::bad_request("profile.population must be a whole number of at least 1");
    }
    const double annual = annual_eur_for(population->get_int64());
    return json::object{
        {"solution_id", solution_id},
        {"setup_eur", whole_cents(setup_eur)},
        {"annual_eur", whole_cents(annual)},
        {"annual_eur_shared_operation", whole_cents(annual * (1 - shared_operation_discount))},
    };
  }
};

}  // namespace

// Exports lotse_plugin_entry, the plugin's only symbol. Exactly once per plugin.
LOTSE_PLUGIN(my_plugin)
