// Example provider plugin: Wegweiser Kommunalberatung (fiktiv), a small consultancy for municipalities at the start
// of their way. It sells the seeds' minimum building blocks of a digital strategy — first impulse (Zukunftsbild),
// goal definition, citizen participation, communication — plus the organisation that carries it: a lead
// responsibility, Digitallotsen in every department, and a project office for the implementation.
// The organisation, its prices and its references are invented; the AGS in "references" belong to real
// municipalities and are purely illustrative — none of them has bought these (non-existent) services.
//
// Prices are for a municipality of about 5,000 inhabitants. The entry-level blocks cost a few thousand euros once,
// need no IT skills and about a tenth of a full-time position, so a municipality at stage "start" can carry them.
// Workshops have no hosting and no operating model (empty lists: not applicable) and, without an annual cost, no
// shared-operation discount.
#include <lotse/sdk/plugin.hpp>

#include <boost/json.hpp>

#include <utility>

namespace {

namespace json = boost::json;

class wegweiser_beratung final : public lotse::sdk::plugin {
 public:
  json::value describe() const override {
    json::array solutions;

    // First impulse: one talk in the council, one half-day workshop, about three consultant days in all.
    solutions.push_back(json::object{
        {"id", "wegweiser.zukunftsbild"},
        {"name", "Impulsworkshop Zukunftsbild"},
        {"summary",
         "Ein Impulsvortrag im Gemeinderat und eine halbtägige Zukunftswerkstatt mit Rat und Verwaltung; daraus "
         "schreiben wir Ihr Zukunftsbild auf vier Seiten. Der richtige erste Schritt, wenn es noch kein gemeinsames "
         "Bild gibt, wohin sich die Gemeinde digital entwickeln soll."},
        {"kind", "service"},
        {"categories", json::array{"strategy.vision"}},
        {"stages", json::object{{"min", "start"}, {"max", "orientation"}}},
        {"min_levels", json::object{}},
        {"cost", json::object{
                     {"setup_eur", 2900},
                     {"annual_base_eur", 0},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{}},
                 }},
        {"effort", json::object{{"rollout_fte", 0.1}, {"ongoing_fte", 0}, {"rollout_months", 2}}},
        {"required_skill", "none"},
        {"requires", json::array{}},
        {"provides", json::array{"digital_strategy"}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{}},
        {"hosting", json::array{}},
        {"operating_models", json::array{}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 20000}}},
        {"references", json::array{"07143037", "06440020"}},
    });

    // Goal definition and choice of measures: builds on the Zukunftsbild.
    solutions.push_back(json::object{
        {"id", "wegweiser.ziele-und-massnahmen"},
        {"name", "Ziele und erste Maßnahmen festlegen"},
        {"summary",
         "In zwei Workshops leiten wir aus Ihrem Zukunftsbild drei bis fünf überprüfbare Ziele ab und wählen die "
         "ersten Maßnahmen aus, die zu Haushalt und Personal passen. Am Ende steht eine Beschlussvorlage für den "
         "Gemeinderat."},
        {"kind", "service"},
        {"categories", json::array{"strategy.goals"}},
        {"stages", json::object{{"min", "start"}, {"max", "implementation"}}},
        {"min_levels", json::object{}},
        {"cost", json::object{
                     {"setup_eur", 3200},
                     {"annual_base_eur", 0},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{}},
                 }},
        {"effort", json::object{{"rollout_fte", 0.15}, {"ongoing_fte", 0}, {"rollout_months", 3}}},
        {"required_skill", "none"},
        {"requires", json::array{"digital_strategy"}},
        {"provides", json::array{}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{}},
        {"hosting", json::array{}},
        {"operating_models", json::array{}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 20000}}},
        {"references", json::array{"07143037"}},
    });

    // Participation: an online survey (hosted in Germany) and one moderated evening with expert input.
    solutions.push_back(json::object{
        {"id", "wegweiser.buergerwerkstatt"},
        {"name", "Bürgerwerkstatt „Digitale Gemeinde“"},
        {"summary",
         "Eine Online-Umfrage und ein moderierter Abend, an dem Bürgerinnen und Bürger mit Fachleuten über Ideen für "
         "ihre Gemeinde sprechen. Kurze Fachimpulse sorgen dafür, dass am Ende umsetzbare Vorschläge stehen und "
         "keine bloße Wunschliste."},
        {"kind", "service"},
        {"categories", json::array{"participation.citizens"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "acceptance"}}},
        {"min_levels", json::object{{"strategy", 1}}},
        {"cost", json::object{
                     {"setup_eur", 4200},
                     {"annual_base_eur", 0},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{}},
                 }},
        {"effort", json::object{{"rollout_fte", 0.15}, {"ongoing_fte", 0}, {"rollout_months", 3}}},
        {"required_skill", "none"},
        {"requires", json::array{}},
        {"provides", json::array{}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{}},
        {"hosting", json::array{"german_cloud"}},
        {"operating_models", json::array{"saas"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 20000}}},
        {"references", json::array{"07132098"}},
    });

    // Communication: templates and one information evening, then four articles a year written together.
    solutions.push_back(json::object{
        {"id", "wegweiser.kommunikation"},
        {"name", "Kommunikationspaket für Digitalprojekte"},
        {"summary",
         "Textvorlagen für Amtsblatt und Website, ein Infoabend und vier gemeinsam geschriebene Beiträge pro Jahr "
         "erklären Ihre Digitalprojekte verständlich. So wissen Bürgerinnen und Bürger, was geplant ist und warum."},
        {"kind", "service"},
        {"categories", json::array{"communication.citizens"}},
        {"stages", json::object{{"min", "orientation"}, {"max", "acceptance"}}},
        {"min_levels", json::object{{"strategy", 1}}},
        {"cost", json::object{
                     {"setup_eur", 2800},
                     {"annual_base_eur", 960},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{}},
                     {"shared_operation_discount", 0.25},
                 }},
        {"effort", json::object{{"rollout_fte", 0.1}, {"ongoing_fte", 0.05}, {"rollout_months", 2}}},
        {"required_skill", "none"},
        {"requires", json::array{}},
        {"provides", json::array{}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{}},
        {"hosting", json::array{}},
        {"operating_models", json::array{"intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 20000}}},
        {"references", json::array{"06440020"}},
    });

    // Digitallotsen after the Heddesheim model: two training days, then a moderated working group four times a
    // year (the annual fee). Neighbours can run one joint working group.
    solutions.push_back(json::object{
        {"id", "wegweiser.digitallotsen"},
        {"name", "Qualifizierung Digitallotsen"},
        {"summary",
         "Aus jedem Fachbereich wird eine Person zur Digitallotsin oder zum Digitallotsen: zwei Schulungstage, danach "
         "ein begleiteter Arbeitskreis viermal im Jahr. Die Lotsen tragen die Digitalisierung als gemeinsame Aufgabe "
         "in alle Ämter."},
        {"kind", "training"},
        {"categories", json::array{"skills.training", "organisation.governance"}},
        {"stages", json::object{{"min", "start"}, {"max", "consolidation"}}},
        {"min_levels", json::object{}},
        {"cost", json::object{
                     {"setup_eur", 2400},
                     {"annual_base_eur", 900},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{}},
                     {"shared_operation_discount", 0.3},
                 }},
        {"effort", json::object{{"rollout_fte", 0.15}, {"ongoing_fte", 0.1}, {"rollout_months", 4}}},
        {"required_skill", "none"},
        {"requires", json::array{}},
        {"provides", json::array{"digital_pilots"}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{}},
        {"hosting", json::array{}},
        {"operating_models", json::array{"intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 20000}}},
        {"references", json::array{"08335080", "06534020"}},
    });

    // Lead responsibility: coaching for the mayor and the central office. The ongoing effort is the time the lead
    // person needs for the role afterwards.
    solutions.push_back(json::object{
        {"id", "wegweiser.federfuehrung"},
        {"name", "Federführung für die Digitalisierung einrichten"},
        {"summary",
         "Drei Coaching-Termine mit Bürgermeisterin oder Bürgermeister und Hauptamt klären, wer federführend "
         "zuständig ist, wie viel Zeit diese Person bekommt und wer entscheidet. Ergebnis sind eine "
         "Aufgabenbeschreibung und eine Vorlage für den Gemeinderat."},
        {"kind", "service"},
        {"categories", json::array{"organisation.governance"}},
        {"stages", json::object{{"min", "start"}, {"max", "implementation"}}},
        {"min_levels", json::object{}},
        {"cost", json::object{
                     {"setup_eur", 2800},
                     {"annual_base_eur", 0},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{}},
                 }},
        {"effort", json::object{{"rollout_fte", 0.1}, {"ongoing_fte", 0.1}, {"rollout_months", 3}}},
        {"required_skill", "none"},
        {"requires", json::array{}},
        {"provides", json::array{"lead_responsibility"}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{}},
        {"hosting", json::array{}},
        {"operating_models", json::array{}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 20000}}},
        {"references", json::array{"07334030"}},
    });

    // Implementation support: one consultant day a month (€900 municipal rate) working with the lead person.
    // Needs a strategy and a lead responsibility first; several neighbours can share one project office.
    solutions.push_back(json::object{
        {"id", "wegweiser.projektbuero"},
        {"name", "Projektbüro auf Zeit"},
        {"summary",
         "Eine erfahrene Projektleiterin oder ein Projektleiter von uns arbeitet einen Tag im Monat mit Ihrer "
         "federführenden Person: Zeitplan, Förderanträge, Ausschreibungen, Abstimmung mit IT-Dienstleister und "
         "Anbietern. Mehrere Nachbargemeinden können sich das Projektbüro teilen."},
        {"kind", "service"},
        {"categories", json::array{"organisation.governance", "strategy.goals"}},
        {"stages", json::object{{"min", "implementation"}, {"max", "acceptance"}}},
        {"min_levels", json::object{{"strategy", 2}, {"leadership", 2}}},
        {"cost", json::object{
                     {"setup_eur", 2500},
                     {"annual_base_eur", 10800},
                     {"annual_per_inhabitant_eur", 0},
                     {"population_bands", json::array{}},
                     {"shared_operation_discount", 0.25},
                 }},
        {"effort", json::object{{"rollout_fte", 0.2}, {"ongoing_fte", 0.2}, {"rollout_months", 3}}},
        {"required_skill", "basic"},
        {"requires", json::array{"digital_strategy", "lead_responsibility"}},
        {"provides", json::array{"project_office"}},
        {"compatible_service_providers", json::array{}},
        {"standards", json::array{}},
        {"hosting", json::array{}},
        {"operating_models", json::array{"intermunicipal_shared"}},
        {"open_source", false},
        {"population_range", json::object{{"min", 0}, {"max", 20000}}},
        {"references", json::array{"06432017"}},
    });

    return json::object{
        {"provider", json::object{
                         {"id", "wegweiser-beratung"},
                         {"name", "Wegweiser Kommunalberatung (fiktiv)"},
                         {"kind", "consultancy"},
                         {"website", "https://wegweiser-beratung.example"},
                         {"contact", "kontakt@wegweiser-beratung.example"},
                     }},
        {"solutions", std::move(solutions)},
    };
  }
};

}  // namespace

LOTSE_PLUGIN(wegweiser_beratung)
