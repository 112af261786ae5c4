// Example provider plugin: Luftwerk Sensorik GmbH (fiktiv), a start-up offering LoRaWAN sensors for small
// municipalities. The organisation, its prices and its references are invented; the AGS in "references" belong to
// real municipalities and are purely illustrative — none of them uses this (non-existent) product.
//
// Prices are what a municipality of about 5,000 inhabitants would pay. The sensors need a LoRaWAN network and a
// platform that collects their readings; both are offered here as well, so the host can build a roadmap:
// network -> sensor platform -> sensors -> (later, with GIS and more maturity) an urban data platform.
#include <lotse/sdk/plugin.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace json = boost::json;

class luftwerk_sensorik final : public lotse::sdk::plugin {
 public:
  json::value describe() const override {
    json::array solutions;

    // The network every sensor below needs. Three outdoor gateways on municipal buildings cover a village of
    // 5,000 inhabitants; the annual fee covers the network server, monitoring and the gateways' mobile uplink.
    solutions.push_back(json::object{
        {"id", "luftwerk.lorawan-netz"},
        {"name", "LoRaWAN-Funknetz für die Gemeinde"},
        {"summary",
         "Wir montieren drei Funk-Gateways an gemeindeeigenen Gebäuden (etwa Rathaus, Feuerwehrhaus, Wasserturm) und "
         "betreiben das Netz, über das alle Sensoren ihre Messwerte senden. Nachbargemeinden können das Netz "
         "mitnutzen und die Kosten teilen."},
        {"kind", "iot"},
        {"categories", json::array{"infrastructure.iot_network"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"infrastructure", 1}}},
        {"cost", json::object{
                     {"setup_eur", 5400},
                     {"annual_base_eur", 1800},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{
                                              json::object{{"max_population", 3000}, {"annual_eur", 900}},
                                              json::object{{"max_population", 10000}, {"annual_eur", 1200}},
                                          }},
                     {"shared_operation_discount", 0.35},
                 }},
        {"effort", json::object{{"rollout_fte", 0.15}, {"ongoing_fte", 0.05}, {"rollout_months", 3}}},
        {"required_skill", "basic"},
        {"requires", json::array{}},
        {"provides", json::array{"lorawan_network"}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{"LoRaWAN 1.0.4"}},
        {"hosting", json::array{"german_cloud", "on_premises"}},
        {"operating_models", json::array{"saas", "self_hosted", "intermunicipal_shared"}},
        {"open_source", true},
        {"population_range", json::object{{"min", 500}, {"max", 30000}}},
        {"references", json::array{"08335080", "03454029"}},
    });

    // Where the readings of all sensors land: dashboard, thresholds, alerts. Sensors require it.
    solutions.push_back(json::object{
        {"id", "luftwerk.sensorplattform"},
        {"name", "Sensor-Datenplattform mit Dashboard"},
        {"summary",
         "Alle Messwerte Ihrer Sensoren laufen in einer Plattform mit übersichtlichem Dashboard zusammen; bei "
         "Grenzwerten gibt es Alarme per E-Mail oder SMS. Verwaltung und Bauhof sehen auf einen Blick, wo etwas zu "
         "tun ist."},
        {"kind", "platform"},
        {"categories", json::array{"data.platform"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"infrastructure", 1}, {"data", 1}}},
        {"cost", json::object{
                     {"setup_eur", 1500},
                     {"annual_base_eur", 1500},
                     {"annual_per_inhabitant_eur", 0.10},
                     {"population_bands", json::array{
                                              json::object{{"max_population", 3000}, {"annual_eur", 1500}},
                                          }},
                     {"shared_operation_discount", 0.3},
                 }},
        {"effort", json::object{{"rollout_fte", 0.1}, {"ongoing_fte", 0.05}, {"rollout_months", 2}}},
        {"required_skill", "basic"},
        {"requires", json::array{}},
        {"provides", json::array{"iot_platform"}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{"FIWARE NGSI-LD", "DIN SPEC 91357"}},
        {"hosting", json::array{"german_cloud"}},
        {"operating_models", json::array{"saas", "intermunicipal_shared"}},
        {"open_source", true},
        {"population_range", json::object{{"min", 500}, {"max", 50000}}},
        {"references", json::array{"08335080", "03454029"}},
    });

    // Four measuring stations at €850 each, including mounting; the annual fee is calibration and replacement.
    solutions.push_back(json::object{
        {"id", "luftwerk.luftqualitaet"},
        {"name", "Messstationen für Luftqualität"},
        {"summary",
         "Vier kleine Messstationen an Laternenmasten messen Feinstaub, Stickstoffdioxid und Temperatur, zum "
         "Beispiel an der Ortsdurchfahrt oder am Schulweg. Die Werte erscheinen im Dashboard und auf Wunsch auf der "
         "Website der Gemeinde."},
        {"kind", "iot"},
        {"categories", json::array{"environment.air_quality"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"infrastructure", 1}}},
        {"cost", json::object{
                     {"setup_eur", 3400},
                     {"annual_base_eur", 480},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{}},
                     {"shared_operation_discount", 0.1},
                 }},
        {"effort", json::object{{"rollout_fte", 0.1}, {"ongoing_fte", 0.02}, {"rollout_months", 2}}},
        {"required_skill", "basic"},
        {"requires", json::array{"lorawan_network", "iot_platform"}},
        {"provides", json::array{}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{"LoRaWAN 1.0.4", "CEN/TS 17660-1"}},
        {"hosting", json::array{}},
        {"operating_models", json::array{"provider_operated", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 1000}, {"max", 50000}}},
        {"references", json::array{"09182132"}},
    });

    // Three radar level sensors at €900 each, including bracket and mounting.
    solutions.push_back(json::object{
        {"id", "luftwerk.pegel-sensoren"},
        {"name", "Pegelsensoren für Bäche und Rückhaltebecken"},
        {"summary",
         "Drei Radarsensoren messen alle 15 Minuten den Wasserstand an Bächen, Gräben oder Regenrückhaltebecken. "
         "Steigt das Wasser über eine festgelegte Marke, bekommen Bauhof und Feuerwehr sofort eine SMS."},
        {"kind", "iot"},
        {"categories", json::array{"environment.water_level"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"infrastructure", 1}}},
        {"cost", json::object{
                     {"setup_eur", 2700},
                     {"annual_base_eur", 540},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{}},
                     {"shared_operation_discount", 0.1},
                 }},
        {"effort", json::object{{"rollout_fte", 0.1}, {"ongoing_fte", 0.03}, {"rollout_months", 2}}},
        {"required_skill", "basic"},
        {"requires", json::array{"lorawan_network", "iot_platform"}},
        {"provides", json::array{}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{"LoRaWAN 1.0.4"}},
        {"hosting", json::array{}},
        {"operating_models", json::array{"provider_operated", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 500}, {"max", 50000}}},
        {"references", json::array{"03354009"}},
    });

    // Fifteen ultrasonic fill-level sensors at €320 each for public bins and bottle banks.
    solutions.push_back(json::object{
        {"id", "luftwerk.fuellstand-sensoren"},
        {"name", "Füllstandsensoren für Abfallbehälter und Glascontainer"},
        {"summary",
         "15 Sensoren melden, wie voll öffentliche Mülleimer und Glascontainer sind. Der Bauhof fährt nur noch die "
         "Behälter an, die wirklich geleert werden müssen, und spart so Fahrten und Arbeitszeit."},
        {"kind", "iot"},
        {"categories", json::array{"waste.collection", "operations.building_yard"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"infrastructure", 1}}},
        {"cost", json::object{
                     {"setup_eur", 4800},
                     {"annual_base_eur", 900},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{}},
                     {"shared_operation_discount", 0.1},
                 }},
        {"effort", json::object{{"rollout_fte", 0.1}, {"ongoing_fte", 0.05}, {"rollout_months", 3}}},
        {"required_skill", "basic"},
        {"requires", json::array{"lorawan_network", "iot_platform"}},
        {"provides", json::array{}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{"LoRaWAN 1.0.4"}},
        {"hosting", json::array{}},
        {"operating_models", json::array{"provider_operated", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 1000}, {"max", 50000}}},
        {"references", json::array{"09678115"}},
    });

    // No sensors needed: a web form for the clerk, forwarded to the national access point for traffic data.
    // Cheap and without prerequisites, so even a municipality at the very start can use it.
    solutions.push_back(json::object{
        {"id", "luftwerk.baustellen-navi"},
        {"name", "Baustellen und Sperrungen ins Navi"},
        {"summary",
         "Die Verwaltung trägt Baustellen und Straßensperrungen in ein einfaches Webformular ein; wir geben sie über "
         "die Mobilithek an Navigationsdienste weiter. So schicken Navis den Verkehr nicht mehr in gesperrte "
         "Straßen."},
        {"kind", "software"},
        {"categories", json::array{"mobility.roadworks"}},
        {"stages", json::object{{"min", "start"}, {"max", "consolidation"}}},
        {"min_levels", json::object{}},
        {"cost", json::object{
                     {"setup_eur", 900},
                     {"annual_base_eur", 1200},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{
                                              json::object{{"max_population", 3000}, {"annual_eur", 720}},
                                          }},
                     {"shared_operation_discount", 0.3},
                 }},
        {"effort", json::object{{"rollout_fte", 0.05}, {"ongoing_fte", 0.02}, {"rollout_months", 1}}},
        {"required_skill", "none"},
        {"requires", json::array{}},
        {"provides", json::array{}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{"DATEX II"}},
        {"hosting", json::array{"german_cloud"}},
        {"operating_models", json::array{"saas", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 50000}}},
        {"references", json::array{"06440020"}},
    });

    // The big step: needs the sensor platform, a GIS and some maturity, and pays off mainly when shared.
    solutions.push_back(json::object{
        {"id", "luftwerk.urbane-datenplattform"},
        {"name", "Urbane Datenplattform mit Open-Data-Portal"},
        {"summary",
         "Führt Sensordaten, Geodaten und Verwaltungsdaten in einer offenen Plattform zusammen und veröffentlicht "
         "ausgewählte Daten als Open Data. Lohnt sich vor allem, wenn mehrere Gemeinden sie gemeinsam betreiben."},
        {"kind", "platform"},
        {"categories", json::array{"data.platform", "data.management"}},
        {"stages", json::object{{"min", "implementation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"strategy", 2}, {"infrastructure", 2}, {"data", 2}}},
        {"cost", json::object{
                     {"setup_eur", 18000},
                     {"annual_base_eur", 6000},
                     {"annual_per_inhabitant_eur", 0.80},
                     {"population_bands", json::array{}},
                     {"shared_operation_discount", 0.4},
                 }},
        {"effort", json::object{{"rollout_fte", 0.5}, {"ongoing_fte", 0.2}, {"rollout_months", 9}}},
        {"required_skill", "intermediate"},
        {"requires", json::array{"iot_platform", "gis"}},
        {"provides", json::array{"urban_data_platform", "open_data_portal"}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{"DIN SPEC 91357", "FIWARE NGSI-LD", "DCAT-AP.de"}},
        {"hosting", json::array{"german_cloud", "provider_datacenter"}},
        {"operating_models", json::array{"saas", "provider_operated", "intermunicipal_shared"}},
        {"open_source", true},
        {"population_range", json::object{{"min", 2000}, {"max", 100000}}},
        {"references", json::array{"06432017"}},
    });

    return json::object{
        {"provider", json::object{
                         {"id", "luftwerk-sensorik"},
                         {"name", "Luftwerk Sensorik GmbH (fiktiv)"},
                         {"kind", "startup"},
                         {"website", "https://luftwerk.example"},
                         {"contact", "kontakt@luftwerk.example"},
                     }},
        {"solutions", std::move(solutions)},
    };
  }

  // A quote for one municipality: the number of gateways and sensors grows with its population (one gateway per
  // 2,500 inhabitants, at least two; sensors as listed below), so a village of 800 pays for less than the
  // 5,000-inhabitant municipality the catalog prices assume.
  bool supports_quote() const override { return true; }

  json::value quote(const json::value& request) const override {
    const auto& solution_id = request.at("solution_id").as_string();
    const auto population = request.at("profile").at("population").to_number<std::int64_t>();
    const std::int64_t gateways = std::max<std::int64_t>(2, (population + 2499) / 2500);
    struct line {
      const char* item;
      std::int64_t quantity;
      double unit_setup_eur;
      double unit_annual_eur;
    };
    std::vector<line> lines;
    if (solution_id == "luftwerk.lorawan-netz") {
      lines = {{"Gateway mit Montage", gateways, 1800, 400}};
    } else if (solution_id == "luftwerk.pegel-sensoren") {
      lines = {{"Pegelsensor mit Montage", std::max<std::int64_t>(2, population / 2000), 1500, 150}};
    } else if (solution_id == "luftwerk.fuellstand-sensoren") {
      lines = {{"Füllstandsensor für Glas- und Altkleidercontainer", std::max<std::int64_t>(4, population / 400), 180,
                24}};
    } else {
      throw lotse::sdk::bad_request("for " + std::string(solution_id) +
                                    " the catalog price applies; a quote is offered for the network and the sensors");
    }
    json::array items;
    double setup = 0;
    double annual = 0;
    for (const auto& entry : lines) {
      items.push_back(json::object{{"item", entry.item},
                                   {"quantity", entry.quantity},
                                   {"unit_setup_eur", entry.unit_setup_eur},
                                   {"unit_annual_eur", entry.unit_annual_eur}});
      setup += static_cast<double>(entry.quantity) * entry.unit_setup_eur;
      annual += static_cast<double>(entry.quantity) * entry.unit_annual_eur;
    }
    return json::object{{"currency", "EUR"}, {"setup_eur", setup}, {"annual_eur", annual},
                        {"valid_days", 90}, {"lines", std::move(items)}};
  }
};

}  // namespace

LOTSE_PLUGIN(luftwerk_sensorik)
