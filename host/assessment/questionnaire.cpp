#include "host/assessment/questionnaire.hpp"

#include <algorithm>

namespace lotse::assessment {
namespace {

using domain::capability;
using domain::dimension;
using domain::stage;

// Wording rules: one thing per question, no jargon without an explanation in the help text, answers a clerk can
// give from memory. Options run from "nothing yet" to "fully in place" so the points rise with the option index.
std::vector<question> build() {
  std::vector<question> q;

  // --- The consultancy's five questions, one per stage step (seed 004). ---

  q.push_back({
      .id = "zukunftsbild",
      .text_de = "Gibt es bei Ihnen ein schriftlich festgehaltenes Zukunftsbild für die Digitalisierung?",
      .text_en = "Do you have a written picture of the future (Zukunftsbild) for digitalisation?",
      .help_de = "Ein Zukunftsbild beschreibt, wohin sich Ihre Gemeinde in den nächsten Jahren entwickeln will. Es "
                 "stellt nicht alles auf den Kopf, sondern steckt den Rahmen ab. „Im Prinzip wissen wir alle, wie es "
                 "aussehen soll“ reicht dafür nicht.",
      .help_en = "A Zukunftsbild describes where your municipality wants to go in the coming years. It does not turn "
                 "everything upside down; it sets the frame. 'In principle we all know what it should look like' is "
                 "not enough.",
      .stage = stage::start,
      .dimension = dimension::strategy,
      .options =
          {
              {.id = "none",
               .label_de = "Nein, bisher nicht",
               .label_en = "No, not yet",
               .points = 0,
               .says = {"es gibt kein Zukunftsbild", "there is no picture of the future"},
               .cap = level_cap{1,
                                {"ohne schriftliches Zukunftsbild ist höchstens Stufe 1 möglich",
                                 "without a written picture of the future, level 1 is the most"}}},
              {.id = "in_minds",
               .label_de = "Im Prinzip wissen wir, wohin es gehen soll, aber es ist nicht aufgeschrieben",
               .label_en = "In principle we know where we want to go, but it is not written down",
               .points = 1,
               .says = {"es gibt eine ungefähre Vorstellung, aber kein schriftliches Zukunftsbild",
                        "there is a rough idea but no written picture of the future"},
               .cap = level_cap{1,
                                {"ohne schriftliches Zukunftsbild ist höchstens Stufe 1 möglich",
                                 "without a written picture of the future, level 1 is the most"}}},
              {.id = "in_progress",
               .label_de = "Es wird gerade erarbeitet",
               .label_en = "It is being worked out right now",
               .points = 2,
               .says = {"ein Zukunftsbild wird gerade erarbeitet", "a picture of the future is being worked out"},
               .cap = level_cap{2,
                                {"solange das Zukunftsbild nicht fertig ist, ist höchstens Stufe 2 möglich",
                                 "until the picture of the future is finished, level 2 is the most"}}},
              {.id = "written",
               .label_de = "Ja, es ist schriftlich festgehalten (z. B. vom Gemeinderat beschlossen)",
               .label_en = "Yes, it is written down (e.g. adopted by the council)",
               .points = 3,
               .says = {"ein schriftliches Zukunftsbild liegt vor", "a written picture of the future exists"},
               .implies = {capability::digital_strategy}},
          },
  });

  q.push_back({
      .id = "current_position",
      .text_de = "Wo befindet sich Ihre Gemeinde aktuell auf dem Weg zur Digitalisierung?",
      .text_en = "Where is your municipality right now on its way to digitalisation?",
      .stage = stage::orientation,
      .options =
          {
              {.id = "beginning",
               .label_de = "Wir stehen noch ganz am Anfang",
               .label_en = "We are right at the beginning"},
              {.id = "first_projects",
               .label_de = "Wir haben eine ungefähre Vorstellung; erste Projekte sind geplant oder laufen",
               .label_en = "We have a rough idea; first projects are planned or running"},
              {.id = "in_transformation",
               .label_de = "Wir sind mittendrin: mehrere Digitalprojekte laufen",
               .label_en = "We are in the middle of it: several digital projects are running"},
              {.id = "established",
               .label_de = "Digitalisierung gehört zum Alltag; viele Projekte sind abgeschlossen",
               .label_en = "Digitalisation is part of everyday work; many projects are finished"},
          },
  });

  q.push_back({
      .id = "implementation_help",
      .text_de = "Brauchen Sie Unterstützung, um Ihre Digitalprojekte umzusetzen, etwa bei der Projektleitung oder "
                 "durch technische Fachleute?",
      .text_en = "Do you need support to carry out your digital projects, for example with project management or "
                 "from technical experts?",
      .help_de = "Je mehr Beteiligte ein Projekt hat, desto wichtiger werden eine gute Projektleitung und Fachleute "
                 "für die Technik.",
      .help_en = "The more people a project involves, the more it needs good project management and technical "
                 "experts.",
      .stage = stage::implementation,
      .options =
          {
              {.id = "no_projects",
               .label_de = "Wir haben noch keine Projekte in der Umsetzung",
               .label_en = "We have no projects under way yet"},
              {.id = "running_well",
               .label_de = "Nein, unsere Projekte laufen gut",
               .label_en = "No, our projects are going well"},
              {.id = "some_help", .label_de = "Bei einzelnen Projekten ja", .label_en = "Yes, for some projects"},
              {.id = "urgent",
               .label_de = "Ja, dringend: Projekte stocken, weil Projektleitung oder Technikwissen fehlen",
               .label_en = "Yes, urgently: projects stall because project management or technical know-how is missing"},
          },
  });

  q.push_back({
      .id = "citizen_support",
      .text_de = "Tragen die Bürgerinnen und Bürger Ihre Digitalprojekte mit?",
      .text_en = "Do your citizens support your digital projects?",
      .help_de = "Ein Projekt kann technisch gelingen und trotzdem scheitern, wenn die Menschen den Nutzen nicht "
                 "sehen.",
      .help_en = "A project can succeed technically and still fail if people do not see its benefit.",
      .stage = stage::acceptance,
      .options =
          {
              {.id = "no_projects_yet",
               .label_de = "Es gibt noch keine Projekte, die die Bürgerschaft betreffen",
               .label_en = "There are no projects affecting citizens yet"},
              {.id = "supported",
               .label_de = "Ja, die Projekte werden gut angenommen",
               .label_en = "Yes, the projects are well received"},
              {.id = "mixed",
               .label_de = "Teils, teils: manches wird kaum genutzt",
               .label_en = "Partly: some things are hardly used"},
              {.id = "lacking",
               .label_de = "Nein, es fehlt an Zustimmung; wir müssen besser informieren und beteiligen",
               .label_en = "No, support is lacking; we need to inform and involve people better"},
          },
  });

  q.push_back({
      .id = "staff_effectiveness",
      .text_de = "Ist es jetzt Ihr wichtigstes Ziel, die Beschäftigten der Verwaltung so zu unterstützen, dass sie "
                 "effektiver arbeiten können?",
      .text_en = "Is your most important goal now to support the administration's staff so that they can work more "
                 "effectively?",
      .stage = stage::consolidation,
      .options =
          {
              {.id = "not_yet",
               .label_de = "Nein, dafür ist es noch zu früh",
               .label_en = "No, it is too early for that"},
              {.id = "one_of_several",
               .label_de = "Es ist eines von mehreren Zielen",
               .label_en = "It is one of several goals"},
              {.id = "main_goal",
               .label_de = "Ja, das ist jetzt unser wichtigstes Ziel",
               .label_en = "Yes, that is now our most important goal"},
          },
  });

  // --- strategy ---

  q.push_back({
      .id = "goals_and_measures",
      .text_de = "Gibt es konkrete Ziele und ausgewählte Maßnahmen für die Digitalisierung?",
      .text_en = "Are there concrete goals and chosen measures for digitalisation?",
      .help_de = "Zum Beispiel: „Bis 2027 werden alle Bauanträge digital bearbeitet“ und die Projekte, die dorthin "
                 "führen.",
      .help_en = "For example: 'By 2027 all building applications are processed digitally', and the projects that "
                 "lead there.",
      .dimension = dimension::strategy,
      .options =
          {
              {.id = "none",
               .label_de = "Nein",
               .label_en = "No",
               .points = 0,
               .says = {"es gibt keine festgelegten Ziele", "there are no agreed goals"}},
              {.id = "ideas",
               .label_de = "Es gibt einzelne Ideen für Projekte",
               .label_en = "There are some ideas for projects",
               .points = 1,
               .says = {"es gibt einzelne Projektideen, aber keine festgelegten Ziele",
                        "there are some project ideas but no agreed goals"}},
              {.id = "goals",
               .label_de = "Ziele sind festgelegt, Maßnahmen aber noch nicht ausgewählt",
               .label_en = "Goals are agreed, but measures are not chosen yet",
               .points = 2,
               .says = {"Ziele sind festgelegt, Maßnahmen noch nicht", "goals are agreed, measures not yet"}},
              {.id = "plan",
               .label_de = "Ja, Ziele und eine Liste ausgewählter Maßnahmen mit Reihenfolge",
               .label_en = "Yes, goals and a prioritised list of chosen measures",
               .points = 3,
               .says = {"Ziele und ein Maßnahmenplan mit Reihenfolge liegen vor",
                        "goals and a prioritised plan of measures exist"}},
          },
  });

  // --- leadership ---

  q.push_back({
      .id = "leadership_commitment",
      .text_de = "Wie sehr treibt die Verwaltungsspitze (Bürgermeisterin oder Bürgermeister) die Digitalisierung "
                 "voran?",
      .text_en = "How strongly does the head of the administration (the mayor) drive digitalisation?",
      .help_de = "Ohne Rückhalt von oben scheitern Digitalisierungsverantwortliche früher oder später an "
                 "Widerständen.",
      .help_en = "Without backing from the top, the people responsible for digitalisation sooner or later fail "
                 "against resistance.",
      .dimension = dimension::leadership,
      .options =
          {
              {.id = "not_a_topic",
               .label_de = "Bisher ist es kein Thema für die Spitze",
               .label_en = "So far it is not a topic for the mayor",
               .points = 0,
               .says = {"die Verwaltungsspitze befasst sich bisher nicht mit Digitalisierung",
                        "the mayor has not taken up digitalisation yet"}},
              {.id = "when_asked",
               .label_de = "Sie unterstützt, wenn man sie darauf anspricht",
               .label_en = "The mayor supports it when asked",
               .points = 1,
               .says = {"die Verwaltungsspitze unterstützt auf Nachfrage, treibt aber nicht selbst voran",
                        "the mayor supports when asked but does not drive it"}},
              {.id = "actively",
               .label_de = "Sie treibt das Thema aktiv voran und gibt Zeit dafür frei",
               .label_en = "The mayor drives the topic actively and frees up time for it",
               .points = 2,
               .says = {"die Verwaltungsspitze treibt Digitalisierung aktiv voran",
                        "the mayor actively drives digitalisation"}},
              {.id = "chefsache",
               .label_de = "Es ist Chefsache, mit Zeit und Geld dafür",
               .label_en = "It is a top priority of the mayor, with time and money for it",
               .points = 3,
               .says = {"Digitalisierung ist Chefsache, mit Zeit und Geld",
                        "digitalisation is the mayor's priority, with time and money"}},
              {.id = "council_backed",
               .label_de = "Es ist Chefsache, und der Gemeinderat hat Digitalisierung als Ziel beschlossen",
               .label_en = "It is a top priority of the mayor, and the council has adopted digitalisation as a goal",
               .points = 4,
               .says = {"Digitalisierung ist Chefsache, und der Gemeinderat steht per Beschluss dahinter",
                        "digitalisation is the mayor's priority and the council backs it by resolution"}},
          },
  });

  // --- organisation ---

  q.push_back({
      .id = "lead_responsibility",
      .text_de = "Wer ist in der Verwaltung für Digitalisierung verantwortlich?",
      .text_en = "Who in the administration is responsible for digitalisation?",
      .help_de = "Gemeint ist eine federführende Stelle, die Digitalisierung koordiniert, nicht nur die Betreuung der "
                 "Computer.",
      .help_en = "This means a lead office that coordinates digitalisation, not just looking after the computers.",
      .dimension = dimension::organisation,
      .options =
          {
              {.id = "nobody",
               .label_de = "Niemand ausdrücklich",
               .label_en = "Nobody in particular",
               .points = 0,
               .says = {"niemand ist ausdrücklich für Digitalisierung zuständig",
                        "nobody is explicitly responsible for digitalisation"},
               .cap = level_cap{1,
                                {"ohne federführende Stelle ist höchstens Stufe 1 möglich",
                                 "without a lead responsibility, level 1 is the most"}}},
              {.id = "on_the_side",
               .label_de = "Jemand kümmert sich nebenbei darum (z. B. die IT-Betreuung im Hauptamt)",
               .label_en = "Someone looks after it on the side (e.g. IT support in the central office)",
               .points = 1,
               .says = {"jemand kümmert sich nebenbei darum, eine federführende Stelle gibt es nicht",
                        "someone looks after it on the side; there is no lead responsibility"},
               .cap = level_cap{1,
                                {"ohne federführende Stelle ist höchstens Stufe 1 möglich",
                                 "without a lead responsibility, level 1 is the most"}}},
              {.id = "named_lead",
               .label_de = "Eine benannte Stelle oder Person ist federführend (z. B. eine Digitalisierungsbeauftragte)",
               .label_en = "A named office or person leads (e.g. a digitalisation officer)",
               .points = 2,
               .says = {"es gibt eine federführende Stelle", "there is a lead responsibility"},
               .implies = {capability::lead_responsibility}},
              {.id = "shared_lead",
               .label_de = "Eine gemeinsame federführende Stelle mit Nachbargemeinden (z. B. in der "
                           "Verbandsgemeinde, im Amt oder beim Landkreis)",
               .label_en = "A lead office shared with neighbouring municipalities (e.g. in the Verbandsgemeinde, the "
                           "Amt or the district)",
               .points = 2,
               .says = {"es gibt eine gemeinsame federführende Stelle mit Nachbargemeinden",
                        "there is a lead responsibility shared with neighbouring municipalities"},
               .implies = {capability::lead_responsibility}},
          },
  });

  q.push_back({
      .id = "digital_pilots",
      .text_de = "Gibt es Digitallotsen in den Fachbereichen?",
      .text_en = "Are there digital pilots (Digitallotsen) in the departments?",
      .help_de = "Digitallotsen sind Beschäftigte in den Fachbereichen, die dort Digitalisierung anstoßen und "
                 "Kolleginnen und Kollegen mitnehmen. Die Gemeinde Heddesheim hat sie in allen Fachbereichen "
                 "ernannt, geschult und in einem Arbeitskreis zusammengebracht.",
      .help_en = "Digital pilots are staff in the departments who get digitalisation going there and bring their "
                 "colleagues along. The municipality of Heddesheim appointed them in every department, trained them "
                 "and brought them together in a working group.",
      .dimension = dimension::organisation,
      .options =
          {
              {.id = "none",
               .label_de = "Nein",
               .label_en = "No",
               .points = 0,
               .says = {"Digitallotsen gibt es noch nicht", "there are no digital pilots yet"}},
              {.id = "some",
               .label_de = "In einzelnen Fachbereichen",
               .label_en = "In some departments",
               .points = 1,
               .says = {"Digitallotsen gibt es in einzelnen Fachbereichen",
                        "there are digital pilots in some departments"},
               .implies = {capability::digital_pilots}},
              {.id = "all",
               .label_de = "In allen Fachbereichen",
               .label_en = "In every department",
               .points = 2,
               .says = {"Digitallotsen gibt es in allen Fachbereichen", "there are digital pilots in every department"},
               .implies = {capability::digital_pilots}},
              {.id = "all_trained",
               .label_de = "In allen Fachbereichen, geschult und in einem gemeinsamen Arbeitskreis",
               .label_en = "In every department, trained and meeting in a joint working group",
               .points = 3,
               .says = {"geschulte Digitallotsen aus allen Fachbereichen arbeiten in einem gemeinsamen Arbeitskreis",
                        "trained digital pilots from every department work together in a joint working group"},
               .implies = {capability::digital_pilots}},
          },
  });

  // --- skills ---

  q.push_back({
      .id = "staff_skills",
      .text_de = "Wie sicher gehen die Beschäftigten mit digitalen Werkzeugen um?",
      .text_en = "How confident are the staff with digital tools?",
      .dimension = dimension::skills,
      .options =
          {
              {.id = "uncertain",
               .label_de = "Viele sind unsicher",
               .label_en = "Many are unsure",
               .points = 0,
               .says = {"viele Beschäftigte sind im Umgang mit digitalen Werkzeugen unsicher",
                        "many staff are unsure with digital tools"}},
              {.id = "basics",
               .label_de = "Die Grundlagen sitzen (E-Mail, Textverarbeitung, Fachverfahren)",
               .label_en = "The basics are there (e-mail, word processing, specialised software)",
               .points = 1,
               .says = {"die Grundlagen sind vorhanden", "the basics are there"}},
              {.id = "confident",
               .label_de = "Die meisten arbeiten sicher und probieren Neues aus",
               .label_en = "Most work confidently and try new things",
               .points = 2,
               .says = {"die meisten Beschäftigten arbeiten sicher mit digitalen Werkzeugen",
                        "most staff work confidently with digital tools"}},
              {.id = "experts",
               .label_de = "Es gibt eigene Fachleute, die Projekte und Technik beurteilen können",
               .label_en = "There are in-house experts who can assess projects and technology",
               .points = 3,
               .says = {"eigene Fachleute können Projekte und Technik beurteilen",
                        "in-house experts can assess projects and technology"}},
          },
  });

  q.push_back({
      .id = "it_provider",
      .text_de = "Wie arbeiten Sie mit Ihrem IT-Dienstleister zusammen?",
      .text_en = "How do you work with your IT service provider?",
      .help_de = "Gemeint ist z. B. das kommunale Rechenzentrum, ein Zweckverband oder ein Systemhaus.",
      .help_en = "For example the municipal data centre, a special-purpose association or an IT company.",
      .dimension = dimension::skills,
      .options =
          {
              {.id = "does_everything",
               .label_de = "Er macht alles; was möglich wäre, wissen wir oft nicht",
               .label_en = "They do everything; we often do not know what would be possible",
               .points = 0,
               .says = {"die Verwaltung hängt ganz vom IT-Dienstleister ab",
                        "the administration depends entirely on its IT service provider"}},
              {.id = "on_request",
               .label_de = "Wir melden uns, wenn etwas nicht funktioniert",
               .label_en = "We get in touch when something does not work",
               .points = 1,
               .says = {"mit dem IT-Dienstleister wird nur bei Störungen gesprochen",
                        "the IT service provider is contacted only when something breaks"}},
              {.id = "joint_planning",
               .label_de = "Wir planen regelmäßig gemeinsam, was als Nächstes kommt",
               .label_en = "We regularly plan together what comes next",
               .points = 2,
               .says = {"mit dem IT-Dienstleister wird regelmäßig gemeinsam geplant",
                        "the administration plans regularly with its IT service provider"}},
              {.id = "we_steer",
               .label_de = "Wir wissen, was wir brauchen, und steuern den Dienstleister aktiv",
               .label_en = "We know what we need and actively steer the provider",
               .points = 3,
               .says = {"die Verwaltung steuert ihren IT-Dienstleister aktiv",
                        "the administration actively steers its IT service provider"}},
          },
  });

  // --- infrastructure ---

  q.push_back({
      .id = "broadband",
      .text_de = "Wie gut ist das Rathaus ans Breitband angebunden?",
      .text_en = "How well is the town hall connected to broadband?",
      .dimension = dimension::infrastructure,
      .options =
          {
              {.id = "slow",
               .label_de = "Langsam oder oft gestört",
               .label_en = "Slow or often disrupted",
               .points = 0,
               .says = {"das Rathaus ist langsam oder unzuverlässig angebunden",
                        "the town hall's connection is slow or unreliable"},
               .cap = level_cap{1,
                                {"ohne ausreichendes Breitband ist höchstens Stufe 1 möglich",
                                 "without adequate broadband, level 1 is the most"}}},
              {.id = "adequate",
               .label_de = "Reicht für E-Mail und Fachverfahren, Videokonferenzen ruckeln",
               .label_en = "Enough for e-mail and specialised software; video calls stutter",
               .points = 1,
               .says = {"das Breitband reicht für den Alltag, aber nicht für mehr",
                        "broadband is enough for everyday work but not for more"}},
              {.id = "fast_town_hall",
               .label_de = "Schnell (z. B. Glasfaser) im Rathaus",
               .label_en = "Fast (e.g. fibre) at the town hall",
               .points = 2,
               .says = {"das Rathaus ist schnell angebunden", "the town hall has a fast connection"},
               .implies = {capability::broadband_admin_sites}},
              {.id = "fast_all_sites",
               .label_de = "Schnell an allen Standorten (Rathaus, Bauhof, Schulen, Kitas)",
               .label_en = "Fast at every site (town hall, building yard, schools, day-care centres)",
               .points = 3,
               .says = {"alle Standorte sind schnell angebunden", "every site has a fast connection"},
               .implies = {capability::broadband_admin_sites}},
          },
  });

  q.push_back({
      .id = "records",
      .text_de = "Wie werden Akten heute geführt?",
      .text_en = "How are files kept today?",
      .help_de = "Ein Dokumentenmanagementsystem (DMS) speichert und ordnet Dokumente; die E-Akte ersetzt die "
                 "Papierakte ganz.",
      .help_en = "A document management system (DMS) stores and organises documents; the e-file replaces the paper "
                 "file entirely.",
      .dimension = dimension::infrastructure,
      .options =
          {
              {.id = "paper",
               .label_de = "Auf Papier",
               .label_en = "On paper",
               .points = 0,
               .says = {"Akten werden auf Papier geführt", "files are kept on paper"}},
              {.id = "partly_dms",
               .label_de = "Teilweise in einem Dokumentenmanagementsystem (DMS)",
               .label_en = "Partly in a document management system (DMS)",
               .points = 1,
               .says = {"Akten liegen teilweise in einem DMS", "some files are in a DMS"},
               .implies = {capability::dms}},
              {.id = "dms",
               .label_de = "Überwiegend im DMS",
               .label_en = "Mostly in the DMS",
               .points = 2,
               .says = {"Akten werden überwiegend im DMS geführt", "most files are kept in the DMS"},
               .implies = {capability::dms}},
              {.id = "e_file",
               .label_de = "Als elektronische Akte (E-Akte); Papier ist die Ausnahme",
               .label_en = "As electronic files (e-file); paper is the exception",
               .points = 3,
               .says = {"die E-Akte ist eingeführt", "the e-file is in use"},
               .implies = {capability::dms, capability::e_file}},
          },
  });

  q.push_back({
      .id = "online_services",
      .text_de = "Welche Anliegen können Bürgerinnen und Bürger online erledigen?",
      .text_en = "Which matters can citizens handle online?",
      .help_de = "Die BundID ist das Nutzerkonto, mit dem sich Bürgerinnen und Bürger bei Online-Anträgen anmelden.",
      .help_en = "BundID is the user account citizens log in with for online applications.",
      .dimension = dimension::infrastructure,
      .options =
          {
              {.id = "none",
               .label_de = "Keine; Anträge gibt es nur auf Papier oder vor Ort",
               .label_en = "None; applications only on paper or in person",
               .points = 0,
               .says = {"Online-Dienste gibt es nicht", "there are no online services"}},
              {.id = "forms",
               .label_de = "Formulare zum Herunterladen, Rückgabe per Post oder E-Mail",
               .label_en = "Forms to download, returned by post or e-mail",
               .points = 1,
               .says = {"es gibt Formulare zum Herunterladen", "there are forms to download"}},
              {.id = "portal_some",
               .label_de = "Einige Anträge vollständig online über ein Bürgerportal",
               .label_en = "Some applications fully online through a citizen portal",
               .points = 2,
               .says = {"einige Anträge laufen über ein Bürgerportal",
                        "some applications run through a citizen portal"},
               .implies = {capability::citizen_portal}},
              {.id = "portal_bund_id",
               .label_de = "Viele Anträge vollständig online, mit Anmeldung über die BundID",
               .label_en = "Many applications fully online, with login via BundID",
               .points = 3,
               .says = {"viele Anträge laufen online mit BundID", "many applications run online with BundID"},
               .implies = {capability::citizen_portal, capability::bund_id}},
          },
  });

  // --- data ---

  q.push_back({
      .id = "digital_data",
      .text_de = "Welche Daten liegen digital und auswertbar vor?",
      .text_en = "Which data are available digitally, in a form you can analyse?",
      .help_de = "Zum Beispiel Einwohnerzahlen, Verbräuche, Straßenschäden oder Messwerte.",
      .help_en = "For example population figures, consumption, road damage or measurements.",
      .dimension = dimension::data,
      .options =
          {
              {.id = "hardly_any",
               .label_de = "Kaum welche; vieles liegt auf Papier oder in einzelnen Tabellen",
               .label_en = "Hardly any; much is on paper or in separate spreadsheets",
               .points = 0,
               .says = {"kaum Daten liegen auswertbar vor", "hardly any data can be analysed"}},
              {.id = "in_applications",
               .label_de = "Sie stecken in Fachverfahren, lassen sich aber kaum auswerten",
               .label_en = "They sit in specialised software but can hardly be analysed",
               .points = 1,
               .says = {"Daten stecken in Fachverfahren und sind kaum auswertbar",
                        "data sit in specialised software and can hardly be analysed"}},
              {.id = "evaluated",
               .label_de = "Einige Daten werden regelmäßig ausgewertet",
               .label_en = "Some data are analysed regularly",
               .points = 2,
               .says = {"einige Daten werden regelmäßig ausgewertet", "some data are analysed regularly"}},
              {.id = "open_data",
               .label_de = "Daten werden zusammengeführt und auf einem Open-Data-Portal veröffentlicht",
               .label_en = "Data are combined and published on an open data portal",
               .points = 3,
               .says = {"Daten werden zusammengeführt und offen veröffentlicht",
                        "data are combined and published openly"},
               .implies = {capability::open_data_portal}},
          },
  });

  q.push_back({
      .id = "geodata",
      .text_de = "Arbeiten Sie mit digitalen Karten, z. B. in einem Geoinformationssystem (GIS)?",
      .text_en = "Do you work with digital maps, for example in a geographic information system (GIS)?",
      .help_de = "Zum Beispiel für Bebauungspläne, Kanalnetz, Straßen oder Friedhof.",
      .help_en = "For example for development plans, sewers, roads or the cemetery.",
      .dimension = dimension::data,
      .options =
          {
              {.id = "paper_plans",
               .label_de = "Nein, Pläne liegen auf Papier",
               .label_en = "No, plans are on paper",
               .points = 0,
               .says = {"Karten und Pläne liegen auf Papier", "maps and plans are on paper"}},
              {.id = "viewer",
               .label_de = "Wir schauen Karten im Geoportal des Landes oder Kreises an",
               .label_en = "We look at maps in the state's or district's geoportal",
               .points = 1,
               .says = {"Karten werden nur angesehen, nicht selbst gepflegt", "maps are only viewed, not maintained"}},
              {.id = "gis_shared",
               .label_de = "Ja, ein GIS über den Landkreis oder den IT-Dienstleister",
               .label_en = "Yes, a GIS provided by the district or the IT service provider",
               .points = 2,
               .says = {"ein GIS wird über Landkreis oder IT-Dienstleister genutzt",
                        "a GIS is used through the district or the IT service provider"},
               .implies = {capability::gis}},
              {.id = "own_gis",
               .label_de = "Ja, ein GIS, in dem wir eigene Daten pflegen",
               .label_en = "Yes, a GIS in which we maintain our own data",
               .points = 3,
               .says = {"eigene Geodaten werden in einem GIS gepflegt", "own geodata are maintained in a GIS"},
               .implies = {capability::gis}},
          },
  });

  // --- participation ---

  q.push_back({
      .id = "citizen_participation",
      .text_de = "Werden Bürgerinnen und Bürger an Digitalprojekten beteiligt?",
      .text_en = "Are citizens involved in digital projects?",
      .help_de = "Auch in kleinen Gemeinden gibt es Menschen, die sich für Digitalisierung interessieren; sie geben "
                 "Beteiligung eine Richtung und helfen oft später bei der Umsetzung.",
      .help_en = "Even small municipalities have people interested in digitalisation; they give participation a "
                 "direction and often help later with carrying projects out.",
      .dimension = dimension::participation,
      .options =
          {
              {.id = "not_involved",
               .label_de = "Nein, bisher nicht",
               .label_en = "No, not so far",
               .points = 0,
               .says = {"Bürgerinnen und Bürger werden bisher nicht beteiligt", "citizens are not involved so far"}},
              {.id = "informed",
               .label_de = "Sie werden informiert (z. B. im Amtsblatt oder auf der Website)",
               .label_en = "They are informed (e.g. in the gazette or on the website)",
               .points = 1,
               .says = {"Bürgerinnen und Bürger werden informiert, aber nicht gefragt",
                        "citizens are informed but not asked"}},
              {.id = "consulted",
               .label_de = "Sie können mitreden (z. B. Umfrage oder Bürgerversammlung)",
               .label_en = "They can have their say (e.g. a survey or a town meeting)",
               .points = 2,
               .says = {"Bürgerinnen und Bürger können mitreden", "citizens can have their say"}},
              {.id = "co_designing",
               .label_de = "Sie gestalten mit (z. B. in einem Arbeitskreis mit digital interessierten Bürgern)",
               .label_en = "They help shape projects (e.g. in a working group with digitally interested citizens)",
               .points = 3,
               .says = {"Bürgerinnen und Bürger gestalten Projekte mit", "citizens help shape projects"}},
              {.id = "co_implementing",
               .label_de = "Sie gestalten mit und helfen bei der Umsetzung (z. B. ehrenamtlich)",
               .label_en = "They help shape projects and help carry them out (e.g. as volunteers)",
               .points = 4,
               .says = {"Bürgerinnen und Bürger gestalten mit und helfen bei der Umsetzung",
                        "citizens help shape projects and help carry them out"}},
          },
  });

  return q;
}

}  // namespace

const option* question::find_option(std::string_view option_id) const {
  const auto found = std::find_if(options.begin(), options.end(), [&](const option& o) { return o.id == option_id; });
  return found == options.end() ? nullptr : &*found;
}

std::uint8_t question::max_points() const {
  std::uint8_t best = 0;
  for (const auto& o : options) {
    best = std::max(best, o.points);
  }
  return best;
}

const std::vector<question>& questionnaire() {
  static const std::vector<question> questions = build();
  return questions;
}

const question* find_question(std::string_view id) {
  const auto& all = questionnaire();
  const auto found = std::find_if(all.begin(), all.end(), [&](const question& q) { return q.id == id; });
  return found == all.end() ? nullptr : &*found;
}

}  // namespace lotse::assessment
