#include "host/matching/criteria.hpp"

#include "host/matching/german_format.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace lotse::matching {
namespace {

constexpr std::array<std::string_view, criterion_count> criterion_names = {
    "need_fit", "maturity_fit", "affordability", "effort_fit", "skill_fit", "dependency_fit", "references",
    "cooperation"};

std::string percent(double fraction) { return std::to_string(static_cast<int>(std::lround(fraction * 100))) + " %"; }

double headroom(double cost, double budget) {
  if (cost <= 0) {
    return 1;
  }
  return budget <= 0 ? 0 : std::clamp(1.0 - cost / budget, 0.0, 1.0);
}

// The strongest need served: the municipality's most pressing need ranks first, and several minor needs do not
// outweigh it.
double need_fit(const profile_view& p, const solution_row& r) {
  double best = 0;
  for (auto served = r.categories & p.need_mask; served != 0; served &= served - 1) {
    best = std::max(best, p.need_weights[static_cast<std::size_t>(std::countr_zero(served))]);
  }
  return best;
}

int stage_width(const solution_row& r) { return r.stage_max - r.stage_min + 1; }

// Half: how targeted the solution is at stages like this one (a solution for exactly this stage beats one for
// every stage); half: how much of the maturity the solution expects per dimension the municipality has.
double maturity_fit(const profile_view& p, const solution_row& r, int* missing_levels) {
  const double targeted = 1.0 - (stage_width(r) - 1) / 8.0;
  int missing = 0;
  for (std::size_t d = 0; d < domain::dimension_count; ++d) {
    missing += std::max(0, static_cast<int>(r.min_levels[d]) - static_cast<int>(p.levels[d]));
  }
  if (missing_levels != nullptr) {
    *missing_levels = missing;
  }
  const double levels = r.min_level_sum == 0 ? 1.0 : 1.0 - static_cast<double>(missing) / r.min_level_sum;
  return 0.5 * targeted + 0.5 * levels;
}

double affordability(const profile_view& p, const solution_row& r, double annual) {
  return 0.5 * headroom(r.setup_eur, p.budget_once_eur) + 0.5 * headroom(annual, p.budget_annual_eur);
}

double effort_fit(const profile_view& p, const solution_row& r) {
  return headroom(std::max(r.rollout_fte, r.ongoing_fte), p.staff_fte);
}

double skill_fit(const profile_view& p, const solution_row& r) {
  const int gap = static_cast<int>(r.required_skill) - static_cast<int>(p.skill);
  return gap <= 0 ? 1.0 : 1.0 - gap / 3.0;
}

// The municipality depends on its IT service provider: what that provider runs or vouches for is easiest to carry.
double provider_part(const profile_view& p, const solution_row& r, int endorsement) {
  if (p.service_provider < 0) {
    return 0.5;
  }
  if (endorsement == static_cast<int>(domain::endorsement_kind::operated_by_us) || r.provider_code == p.service_provider) {
    return 1.0;
  }
  if (endorsement == static_cast<int>(domain::endorsement_kind::compatible_with_our_platform) || r.compat_count != 0) {
    return 0.8;  // a compat list that passed the hard constraint names the municipality's provider
  }
  return 0.5;
}

double standards_part(const profile_view& p, const compiled_catalog& catalog, std::size_t i) {
  const auto& wanted = p.profile->it.standards;
  if (wanted.empty()) {
    return 1.0;
  }
  const auto& offered = catalog.solutions()[i].standards;
  const auto met = std::count_if(wanted.begin(), wanted.end(), [&](const std::string& standard) {
    return std::find(offered.begin(), offered.end(), standard) != offered.end();
  });
  return static_cast<double>(met) / static_cast<double>(wanted.size());
}

double dependency_fit(const profile_view& p, const compiled_catalog& catalog, std::size_t i, int endorsement) {
  const auto& r = catalog.rows()[i];
  double value = 0.7 * provider_part(p, r, endorsement) + 0.3 * standards_part(p, catalog, i);
  if (p.open_source_preferred) {
    value = 0.8 * value + 0.2 * (r.open_source != 0 ? 1.0 : 0.0);
  }
  return value;
}

double references(int level) {
  constexpr std::array<double, 4> by_level = {0.0, 0.3, 0.6, 1.0};
  return by_level[static_cast<std::size_t>(level)];
}

double cooperation(const profile_view& p, const solution_row& r) {
  if (r.shared_operation == 0) {
    return 0;
  }
  return p.open_to_cooperation ? 1.0 : 0.5;
}

std::string skill_name_de(std::uint8_t skill) {
  constexpr std::array<std::string_view, 4> names = {"keine", "Grundkenntnisse", "fortgeschrittene Kenntnisse",
                                                     "Expertenwissen"};
  return std::string(names.at(skill));
}

}  // namespace

std::string_view name_of(criterion value) { return criterion_names.at(static_cast<std::size_t>(value)); }

std::optional<criterion> parse_criterion(std::string_view name) {
  const auto it = std::find(criterion_names.begin(), criterion_names.end(), name);
  if (it == criterion_names.end()) {
    return std::nullopt;
  }
  return static_cast<criterion>(it - criterion_names.begin());
}

std::string_view all_criterion_names() {
  static const std::string joined = [] {
    std::string out;
    for (const auto name : criterion_names) {
      out += (out.empty() ? "" : ", ") + std::string(name);
    }
    return out;
  }();
  return joined;
}

double need_fit_value(const profile_view& profile, const solution_row& row) { return need_fit(profile, row); }

criterion_values evaluate_all(const profile_view& p, const compiled_catalog& catalog, std::size_t i,
                              const row_facts& facts) {
  const auto& r = catalog.rows()[i];
  return {need_fit(p, r),
          maturity_fit(p, r, nullptr),
          affordability(p, r, facts.annual_eur),
          effort_fit(p, r),
          skill_fit(p, r),
          dependency_fit(p, catalog, i, facts.endorsement),
          references(facts.reference_level),
          cooperation(p, r)};
}

double weighted_score(const profile_view& p, const compiled_catalog& catalog, std::size_t i, const row_facts& facts,
                      const std::array<double, criterion_count>& w) {
  const auto& r = catalog.rows()[i];
  double score = 0;
  const auto add = [&](criterion c, auto value_of) {
    const double weight = w[static_cast<std::size_t>(c)];
    if (weight != 0) {
      score += weight * value_of();
    }
  };
  add(criterion::need_fit, [&] { return need_fit(p, r); });
  add(criterion::maturity_fit, [&] { return maturity_fit(p, r, nullptr); });
  add(criterion::affordability, [&] { return affordability(p, r, facts.annual_eur); });
  add(criterion::effort_fit, [&] { return effort_fit(p, r); });
  add(criterion::skill_fit, [&] { return skill_fit(p, r); });
  add(criterion::dependency_fit, [&] { return dependency_fit(p, catalog, i, facts.endorsement); });
  add(criterion::references, [&] { return references(facts.reference_level); });
  add(criterion::cooperation, [&] { return cooperation(p, r); });
  return score;
}

criterion_reason explain_criterion(criterion which, double value, const profile_view& p,
                                   const compiled_catalog& catalog, std::size_t i, const row_facts& facts) {
  const auto& r = catalog.rows()[i];
  const auto& s = catalog.solutions()[i];
  switch (which) {
    case criterion::need_fit: {
      if (value <= 0) {
        return p.need_mask == 0
                   ? criterion_reason{"Es sind keine Bedarfe angegeben.", "No needs were given."}
                   : criterion_reason{"Die Lösung deckt keinen der angegebenen Bedarfe.",
                                      "The solution serves none of the stated needs."};
      }
      for (auto served = r.categories & p.need_mask; served != 0; served &= served - 1) {
        const auto bit = static_cast<std::size_t>(std::countr_zero(served));
        if (p.need_weights[bit] == value) {
          const auto category = static_cast<domain::need_category>(bit);
          return {"Deckt Ihren Bedarf „" + std::string(domain::german_name_of(category)) + "“ (Gewicht " +
                      percent(value) + ").",
                  "Serves your need " + std::string(domain::name_of(category)) + " (weight " + percent(value) + ")."};
        }
      }
      return {};
    }
    case criterion::maturity_fit: {
      int missing = 0;
      maturity_fit(p, r, &missing);
      const std::string targeted_de = stage_width(r) == 1 ? "Die Lösung ist genau auf Ihre Phase zugeschnitten"
                                                          : "Die Lösung passt zu " + std::to_string(stage_width(r)) +
                                                                " von 5 Phasen";
      const std::string targeted_en = stage_width(r) == 1 ? "The solution is made for exactly your stage"
                                                          : "The solution suits " + std::to_string(stage_width(r)) +
                                                                " of 5 stages";
      if (r.min_level_sum == 0) {
        return {targeted_de + " und setzt keinen besonderen Reifegrad voraus.",
                targeted_en + " and expects no particular maturity."};
      }
      if (missing == 0) {
        return {targeted_de + "; Ihr Reifegrad erfüllt alle Erwartungen.",
                targeted_en + "; your maturity meets all its expectations."};
      }
      return {targeted_de + "; Ihrem Reifegrad fehlen " + std::to_string(missing) + " von " +
                  std::to_string(r.min_level_sum) + " erwarteten Stufen.",
              targeted_en + "; your maturity lacks " + std::to_string(missing) + " of " +
                  std::to_string(r.min_level_sum) + " expected levels."};
    }
    case criterion::affordability:
      return {"Kosten: " + format_eur(r.setup_eur) + " einmalig und " + format_eur(facts.annual_eur) +
                  " im Jahr; es bleiben " + percent(value) + " des Budgets frei.",
              "Cost: " + format_eur_english(r.setup_eur) + " once and " + format_eur_english(facts.annual_eur) +
                  " a year; " + percent(value) + " of the budget remains."};
    case criterion::effort_fit:
      return {"Aufwand: " + format_fte(r.rollout_fte) + " in der Einführung, " + format_fte(r.ongoing_fte) +
                  " im Betrieb, bei " + format_fte(p.staff_fte) + " verfügbar.",
              "Effort: " + format_fte_english(r.rollout_fte) + " to roll out, " + format_fte_english(r.ongoing_fte) +
                  " to run, with " + format_fte_english(p.staff_fte) + " available."};
    case criterion::skill_fit:
      return value >= 1 ? criterion_reason{"Ihre IT-Kenntnisse reichen aus.", "Your IT skills suffice."}
                        : criterion_reason{"Die Lösung erwartet " + skill_name_de(r.required_skill) +
                                               ", Ihre Verwaltung hat " + skill_name_de(p.skill) + ".",
                                           "The solution expects " + std::string(domain::name_of(s.required_skill)) +
                                               " IT skills; you have " +
                                               std::string(domain::name_of(static_cast<domain::it_skill>(p.skill))) +
                                               "."};
    case criterion::dependency_fit: {
      const auto part = provider_part(p, r, facts.endorsement);
      std::string de;
      std::string en;
      if (p.service_provider < 0) {
        de = "Kein IT-Dienstleister angegeben.";
        en = "No IT service provider given.";
      } else if (facts.endorsement == static_cast<int>(domain::endorsement_kind::operated_by_us) ||
                 r.provider_code == p.service_provider) {
        de = "Ihr IT-Dienstleister betreibt diese Lösung selbst.";
        en = "Your IT service provider operates this solution itself.";
      } else if (part >= 0.8) {
        de = "Ihr IT-Dienstleister bestätigt die Verträglichkeit mit seiner Plattform.";
        en = "Your IT service provider confirms it is compatible with its platform.";
      } else {
        de = "Ihr IT-Dienstleister hat sich zu dieser Lösung nicht geäußert.";
        en = "Your IT service provider has not vouched for this solution.";
      }
      if (!p.profile->it.standards.empty()) {
        de += " Erfüllt " + percent(standards_part(p, catalog, i)) + " Ihrer geforderten Standards.";
        en += " Meets " + percent(standards_part(p, catalog, i)) + " of your required standards.";
      }
      if (p.open_source_preferred) {
        de += r.open_source != 0 ? " Open Source, wie gewünscht." : " Kein Open Source.";
        en += r.open_source != 0 ? " Open source, as preferred." : " Not open source.";
      }
      return {de, en};
    }
    case criterion::references:
      switch (facts.reference_level) {
        case 3: return {"Wird schon in Ihrem Landkreis eingesetzt.", "Already used in your district."};
        case 2: return {"Wird schon in Ihrem Bundesland eingesetzt.", "Already used in your state."};
        case 1: return {"Wird schon in anderen Kommunen eingesetzt.", "Already used by other municipalities."};
        default: return {"Noch keine Referenzen.", "No references yet."};
      }
    case criterion::cooperation:
      if (r.shared_operation == 0) {
        return {"Kein gemeinsamer Betrieb mit Nachbarkommunen vorgesehen.", "No joint operation with neighbours offered."};
      }
      return p.open_to_cooperation
                 ? criterion_reason{"Kann gemeinsam mit Nachbarkommunen betrieben werden; Sie sind offen dafür.",
                                    "Can be operated jointly with neighbours, and you are open to that."}
                 : criterion_reason{"Könnte gemeinsam mit Nachbarkommunen betrieben werden, wenn Sie sich öffnen.",
                                    "Could be operated jointly with neighbours if you opened up to cooperation."};
  }
  return {};
}

}  // namespace lotse::matching
