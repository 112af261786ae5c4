// Example provider plugin: Kommunale IT Süd (fiktiv), a municipal IT service provider (kommunaler IT-Dienstleister)
// that operates administration software for its member municipalities in its own datacenter. The organisation, its
// prices and its references are invented; the AGS in "references" belong to real municipalities and are purely
// illustrative — none of them uses these (non-existent) services.
//
// Prices are what a municipality of about 5,000 inhabitants would pay; like most municipal IT service providers it
// charges a base fee plus a rate per inhabitant, with a flat small-municipality tariff where noted. Everything runs
// in the provider's datacenter, so every solution is compatible only with this service provider's clients.
// Dependencies form the seeds' path: DMS -> E-Akte -> (with the Ratsinformationssystem) AI-assisted minutes, and
// citizen portal with BundID -> OZG online services through FIT-Connect.
#include <lotse/sdk/plugin.hpp>

#include <boost/json.hpp>

#include <utility>

namespace {

namespace json = boost::json;

constexpr const char* provider_id = "kommunal-it-sued";

class kommunal_it_sued final : public lotse::sdk::plugin {
 public:
  json::value describe() const override {
    json::array solutions;

    solutions.push_back(json::object{
        {"id", "kits.dms"},
        {"name", "Dokumentenmanagement (DMS)"},
        {"summary",
         "Schriftstücke, E-Mails und Scans werden zentral abgelegt, verschlagwortet und sind für Berechtigte sofort "
         "auffindbar – statt in Papierordnern und auf Netzlaufwerken. Betrieb, Updates und Datensicherung "
         "übernehmen wir in unserem Rechenzentrum."},
        {"kind", "software"},
        {"categories", json::array{"administration.documents"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"organisation", 1}, {"infrastructure", 1}}},
        {"cost", json::object{
                     {"setup_eur", 8000},
                     {"annual_base_eur", 600},
                     {"annual_per_inhabitant_eur", 1.20},
                     {"population_bands", json::array{
                                              json::object{{"max_population", 2000}, {"annual_eur", 2900}},
                                          }},
                     {"shared_operation_discount", 0.15},
                 }},
        {"effort", json::object{{"rollout_fte", 0.3}, {"ongoing_fte", 0.1}, {"rollout_months", 6}}},
        {"required_skill", "basic"},
        {"requires", json::array{}},
        {"provides", json::array{"dms"}},
        {"compatible_service_providers", json::array{provider_id}},
        {"standards", json::array{"XDOMEA", "BSI IT-Grundschutz"}},
        {"hosting", json::array{"provider_datacenter"}},
        {"operating_models", json::array{"provider_operated", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 50000}}},
        {"references", json::array{"08125027", "08216006"}},
    });

    solutions.push_back(json::object{
        {"id", "kits.e-akte"},
        {"name", "E-Akte (elektronische Akte)"},
        {"summary",
         "Aufbauend auf dem DMS werden Vorgänge vollständig elektronisch geführt, vom Posteingang bis zur Abgabe ans "
         "Archiv. Wir richten mit Ihnen einen Aktenplan ein und schulen die Beschäftigten am Arbeitsplatz."},
        {"kind", "software"},
        {"categories", json::array{"administration.documents"}},
        {"stages", json::object{{"min", "implementation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"organisation", 2}, {"skills", 1}, {"infrastructure", 2}}},
        {"cost", json::object{
                     {"setup_eur", 6500},
                     {"annual_base_eur", 600},
                     {"annual_per_inhabitant_eur", 0.80},
                     {"population_bands", json::array{}},
                     {"shared_operation_discount", 0.15},
                 }},
        {"effort", json::object{{"rollout_fte", 0.4}, {"ongoing_fte", 0.15}, {"rollout_months", 9}}},
        {"required_skill", "basic"},
        {"requires", json::array{"dms"}},
        {"provides", json::array{"e_file"}},
        {"compatible_service_providers", json::array{provider_id}},
        {"standards", json::array{"XDOMEA", "BSI TR-03138 (RESISCAN)"}},
        {"hosting", json::array{"provider_datacenter"}},
        {"operating_models", json::array{"provider_operated", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 50000}}},
        {"references", json::array{"08125027"}},
    });

    solutions.push_back(json::object{
        {"id", "kits.ratsinfo"},
        {"name", "Ratsinformationssystem mit Gremien-App"},
        {"summary",
         "Sitzungen, Tagesordnungen, Vorlagen und Beschlüsse des Gemeinderats werden digital vorbereitet; die "
         "Ratsmitglieder lesen alles papierlos in einer App. Öffentliche Beschlüsse finden Bürgerinnen und Bürger "
         "im Internet."},
        {"kind", "software"},
        {"categories", json::array{"administration.council"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"infrastructure", 1}}},
        {"cost", json::object{
                     {"setup_eur", 4500},
                     {"annual_base_eur", 1200},
                     {"annual_per_inhabitant_eur", 0.50},
                     {"population_bands", json::array{
                                              json::object{{"max_population", 3000}, {"annual_eur", 2400}},
                                          }},
                     {"shared_operation_discount", 0.2},
                 }},
        {"effort", json::object{{"rollout_fte", 0.2}, {"ongoing_fte", 0.05}, {"rollout_months", 4}}},
        {"required_skill", "basic"},
        {"requires", json::array{}},
        {"provides", json::array{"council_information_system"}},
        {"compatible_service_providers", json::array{provider_id}},
        {"standards", json::array{"OParl 1.1"}},
        {"hosting", json::array{"provider_datacenter"}},
        {"operating_models", json::array{"provider_operated", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 50000}}},
        {"references", json::array{"08226091", "08335080"}},
    });

    // The seeds' example of what big cities already do. Needs the council information system and the e-file,
    // a higher maturity and intermediate IT skills; the setup includes conference microphones for the council room.
    solutions.push_back(json::object{
        {"id", "kits.ki-protokoll"},
        {"name", "KI-gestützte Sitzungsprotokolle"},
        {"summary",
         "Eine KI in unserem Rechenzentrum erstellt aus der Aufzeichnung der Ratssitzung einen Protokollentwurf mit "
         "allen Beschlüssen; die Schriftführung prüft ihn und legt ihn im Ratsinformationssystem und in der E-Akte "
         "ab. Die Aufnahmen verlassen das Rechenzentrum nicht."},
        {"kind", "software"},
        {"categories", json::array{"administration.council"}},
        {"stages", json::object{{"min", "implementation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"skills", 2}, {"infrastructure", 2}, {"data", 2}}},
        {"cost", json::object{
                     {"setup_eur", 4900},
                     {"annual_base_eur", 2400},
                     {"annual_per_inhabitant_eur", 0.30},
                     {"population_bands", json::array{}},
                     {"shared_operation_discount", 0.2},
                 }},
        {"effort", json::object{{"rollout_fte", 0.3}, {"ongoing_fte", 0.05}, {"rollout_months", 4}}},
        {"required_skill", "intermediate"},
        {"requires", json::array{"council_information_system", "e_file"}},
        {"provides", json::array{}},
        {"compatible_service_providers", json::array{provider_id}},
        {"standards", json::array{"OParl 1.1"}},
        {"hosting", json::array{"provider_datacenter"}},
        {"operating_models", json::array{"provider_operated", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 2000}, {"max", 50000}}},
        {"references", json::array{}},  // new service, no municipality has gone live yet
    });

    solutions.push_back(json::object{
        {"id", "kits.buergerportal"},
        {"name", "Bürgerportal mit BundID-Anmeldung"},
        {"summary",
         "Ein Bürgerportal im Erscheinungsbild Ihrer Gemeinde: Bürgerinnen und Bürger melden sich mit der BundID an "
         "und stellen Anträge online, die Verwaltung empfängt sie in einem sicheren Postfach. Das Portal ist "
         "barrierefrei."},
        {"kind", "platform"},
        {"categories", json::array{"administration.online_services"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"infrastructure", 1}}},
        {"cost", json::object{
                     {"setup_eur", 2500},
                     {"annual_base_eur", 1000},
                     {"annual_per_inhabitant_eur", 0.40},
                     {"population_bands", json::array{
                                              json::object{{"max_population", 2000}, {"annual_eur", 1500}},
                                          }},
                     {"shared_operation_discount", 0.2},
                 }},
        {"effort", json::object{{"rollout_fte", 0.2}, {"ongoing_fte", 0.05}, {"rollout_months", 4}}},
        {"required_skill", "basic"},
        {"requires", json::array{}},
        {"provides", json::array{"citizen_portal", "bund_id"}},
        {"compatible_service_providers", json::array{provider_id}},
        {"standards", json::array{"BITV 2.0", "BSI IT-Grundschutz"}},
        {"hosting", json::array{"provider_datacenter"}},
        {"operating_models", json::array{"provider_operated", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 50000}}},
        {"references", json::array{"09177118"}},
    });

    solutions.push_back(json::object{
        {"id", "kits.ozg-onlinedienste"},
        {"name", "Paket OZG-Onlinedienste"},
        {"summary",
         "Rund 40 häufige Verwaltungsleistungen wie Gewerbeanmeldung, Hundesteuer oder Sperrmüll als fertige "
         "Online-Anträge, die über FIT-Connect direkt im Fachverfahren ankommen. Setzt ein Bürgerportal mit "
         "BundID-Anmeldung voraus."},
        {"kind", "software"},
        {"categories", json::array{"administration.online_services"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"organisation", 1}, {"infrastructure", 1}}},
        {"cost", json::object{
                     {"setup_eur", 3500},
                     {"annual_base_eur", 800},
                     {"annual_per_inhabitant_eur", 0.50},
                     {"population_bands", json::array{}},
                     {"shared_operation_discount", 0.2},
                 }},
        {"effort", json::object{{"rollout_fte", 0.3}, {"ongoing_fte", 0.1}, {"rollout_months", 6}}},
        {"required_skill", "basic"},
        {"requires", json::array{"citizen_portal", "bund_id"}},
        {"provides", json::array{"fit_connect"}},
        {"compatible_service_providers", json::array{provider_id}},
        {"standards", json::array{"OZG-Reifegrad 3", "FIT-Connect", "XÖV", "FIM"}},
        {"hosting", json::array{"provider_datacenter"}},
        {"operating_models", json::array{"provider_operated", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 50000}}},
        {"references", json::array{"09177118", "09180116"}},
    });

    solutions.push_back(json::object{
        {"id", "kits.geoportal"},
        {"name", "Geoinformationssystem (GIS) mit Bauhof-Kataster"},
        {"summary",
         "Flurkarte, Bebauungspläne, Leitungen und Kataster für Bäume, Spielplätze und Straßenschäden in einer Karte "
         "im Browser. Der Bauhof erfasst seine Kontrollen per Tablet direkt vor Ort."},
        {"kind", "software"},
        {"categories", json::array{"data.management", "operations.building_yard"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "consolidation"}}},
        {"min_levels", json::object{{"infrastructure", 1}, {"data", 1}}},
        {"cost", json::object{
                     {"setup_eur", 3800},
                     {"annual_base_eur", 1200},
                     {"annual_per_inhabitant_eur", 0.45},
                     {"population_bands", json::array{
                                              json::object{{"max_population", 3000}, {"annual_eur", 2200}},
                                          }},
                     {"shared_operation_discount", 0.2},
                 }},
        {"effort", json::object{{"rollout_fte", 0.25}, {"ongoing_fte", 0.1}, {"rollout_months", 5}}},
        {"required_skill", "basic"},
        {"requires", json::array{}},
        {"provides", json::array{"gis"}},
        {"compatible_service_providers", json::array{provider_id}},
        {"standards", json::array{"INSPIRE", "OGC WMS/WFS", "XPlanung"}},
        {"hosting", json::array{"provider_datacenter"}},
        {"operating_models", json::array{"provider_operated", "intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 50000}}},
        {"references", json::array{"08216006"}},
    });

    return json::object{
        {"provider", json::object{
                         {"id", provider_id},
                         {"name", "Kommunale IT Süd (fiktiv)"},
                         {"kind", "it_service_provider"},
                         {"website", "https://kommunal-it-sued.example"},
                         {"contact", "servicedesk@kommunal-it-sued.example"},
                     }},
        {"solutions", std::move(solutions)},
    };
  }
};

}  // namespace

LOTSE_PLUGIN(kommunal_it_sued)
