// A provider plugin for the start-up measurement (scripts/bench_plugins.sh): compiled once, copied 100 times under
// different file names, and each copy is a provider of its own. Copies of a real plugin would all describe the same
// solution ids, and the catalog refuses a solution id that already belongs to another provider, so only the first
// copy would be stored. Here the provider id and the solution ids come from the file's own name, found at describe()
// time with dladdr (bench_plugin_042.so -> provider "bench_plugin_042", solutions "bench_plugin_042.loesung-1", …).
//
// The description has the size and shape of the example plugin luftwerk_sensorik (7 solutions, bands, ranges,
// capabilities), so validating and storing it costs what a real plugin's does. It also answers quotes.
#include <lotse/sdk/plugin.hpp>

#include <boost/json.hpp>
#include <dlfcn.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace lotse::bench {
namespace {

namespace json = boost::json;

// Any function of this library: dladdr maps its address to the file the runner loaded.
std::string own_file_name() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&own_file_name), &info) == 0 || info.dli_fname == nullptr) {
    throw std::runtime_error("bench plugin: dladdr cannot name this plugin's file");
  }
  return info.dli_fname;
}

// The file name without directory and ".so", lowercased, anything outside [a-z0-9._-] replaced by '-': a valid
// provider id (docs/plugin-manifest.md).
std::string provider_id() {
  const std::string path = own_file_name();
  std::string stem = path.substr(path.find_last_of('/') + 1);
  if (stem.size() > 3 && stem.compare(stem.size() - 3, 3, ".so") == 0) stem.resize(stem.size() - 3);
  for (char& c : stem) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) c = '-';
  }
  if (stem.empty() || stem.size() > 80 || stem[0] == '.' || stem[0] == '_' || stem[0] == '-') {
    throw std::runtime_error("bench plugin: file name '" + path + "' gives no valid provider id");
  }
  return stem;
}

struct solution_shape {
  const char* kind;
  const char* category;
  const char* stage_min;
  double setup_eur;
  double annual_eur;
  double per_inhabitant_eur;
  double rollout_fte;
  json::array requires_capabilities;
  json::array provides;
};

class bench_plugin final : public lotse::sdk::plugin {
 public:
  json::value describe() const override {
    const std::string id = provider_id();
    const solution_shape shapes[] = {
        {"iot", "infrastructure.iot_network", "orientation", 5400, 1800, 0, 0.15, {}, {"lorawan_network"}},
        {"platform", "data.platform", "orientation", 1500, 1500, 0.10, 0.1, {}, {"iot_platform"}},
        {"iot", "environment.air_quality", "orientation", 3400, 480, 0, 0.1, {"lorawan_network", "iot_platform"}, {}},
        {"iot", "environment.water_level", "orientation", 2700, 540, 0, 0.1, {"lorawan_network", "iot_platform"}, {}},
        {"iot", "waste.collection", "orientation", 4800, 900, 0, 0.1, {"lorawan_network", "iot_platform"}, {}},
        {"software", "mobility.roadworks", "start", 900, 1200, 0, 0.05, {}, {}},
        {"platform", "data.management", "implementation", 18000, 6000, 0.80, 0.5, {"iot_platform", "gis"},
         {"urban_data_platform", "open_data_portal"}},
    };
    json::array solutions;
    int number = 0;
    for (const auto& shape : shapes) {
      ++number;
      solutions.push_back(json::object{
          {"id", id + ".loesung-" + std::to_string(number)},
          {"name", "Messlösung " + std::to_string(number) + " von " + id},
          {"summary",
           "Eine erfundene Lösung für die Messung der Ladezeit: so groß und so geformt wie die Lösungen des "
           "Beispiel-Plugins luftwerk_sensorik, damit Prüfen und Speichern so viel kosten wie dort."},
          {"kind", shape.kind},
          {"categories", json::array{shape.category}},
          {"stages", json::object{{"min", shape.stage_min}, {"max", "consolidation"}}},
          {"min_levels", json::object{{"infrastructure", 1}}},
          {"cost", json::object{
                       {"setup_eur", shape.setup_eur},
                       {"annual_base_eur", shape.annual_eur},
                       {"annual_per_inhabitant_eur", shape.per_inhabitant_eur},
                       {"population_bands", json::array{
                                                json::object{{"max_population", 3000}, {"annual_eur", 900}},
                                                json::object{{"max_population", 10000}, {"annual_eur", 1200}},
                                            }},
                       {"shared_operation_discount", 0.3},
                   }},
          {"effort", json::object{{"rollout_fte", shape.rollout_fte}, {"ongoing_fte", 0.05}, {"rollout_months", 3}}},
          {"required_skill", "basic"},
          {"requires", shape.requires_capabilities},
          {"provides", shape.provides},
          {"compatible_service_providers", json::array{}},
          {"standards", json::array{"LoRaWAN 1.0.4"}},
          {"hosting", json::array{"german_cloud", "on_premises"}},
          {"operating_models", json::array{"saas", "intermunicipal_shared"}},
          {"open_source", number % 2 == 0},
          {"population_range", json::object{{"min", 500}, {"max", 50000}}},
          {"references", json::array{"08335080"}},
      });
    }
    return json::object{
        {"provider", json::object{{"id", id},
                                  {"name", "Messanbieter " + id},
                                  {"kind", "startup"},
                                  {"website", "https://bench.example"}}},
        {"solutions", std::move(solutions)},
    };
  }

  // The same arithmetic as luftwerk_sensorik's quote: a few lines, priced by population.
  bool supports_quote() const override { return true; }

  json::value quote(const json::value& request) const override {
    const auto population = request.at("profile").at("population").to_number<std::int64_t>();
    const std::int64_t sensors = std::max<std::int64_t>(2, population / 2000);
    return json::object{{"currency", "EUR"},
                        {"setup_eur", static_cast<double>(sensors) * 1500},
                        {"annual_eur", static_cast<double>(sensors) * 150},
                        {"valid_days", 90},
                        {"lines", json::array{json::object{{"item", "Sensor mit Montage"},
                                                           {"quantity", sensors},
                                                           {"unit_setup_eur", 1500},
                                                           {"unit_annual_eur", 150}}}}};
  }
};

}  // namespace
}  // namespace lotse::bench

LOTSE_PLUGIN(lotse::bench::bench_plugin)
