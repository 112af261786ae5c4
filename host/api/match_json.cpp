#include "host/api/match_json.hpp"

#include "catalog/domain/json_number.hpp"
#include "catalog/domain/profile_json.hpp"
#include "host/matching/cost_model.hpp"

#include <boost/json.hpp>

#include <cmath>

namespace lotse::api {
namespace json = boost::json;

namespace {

void read_weights(const json::value& value, matching::criterion_weights& weights, domain::field_errors& errors) {
  if (!value.is_object()) {
    errors.push_back({"/weights", "must be an object mapping criteria to relative weights ≥ 0"});
    return;
  }
  double total = 0;
  for (const auto& entry : value.get_object()) {
    const std::string_view key(entry.key().data(), entry.key().size());
    const auto pointer = "/weights/" + std::string(key);
    const auto which = matching::parse_criterion(key);
    if (!which) {
      errors.push_back({pointer, "is not a criterion; must be one of: need_fit, maturity_fit, affordability, effort_fit"});
      continue;
    }
    if (!entry.value().is_number() || !std::isfinite(entry.value().to_number<double>()) ||
        entry.value().to_number<double>() < 0 || entry.value().to_number<double>() > 1000) {
      errors.push_back({pointer, "must be a number from 0 to 1000"});
      continue;
    }
    weights[*which] = entry.value().to_number<double>();
  }
  for (const double w : weights.values) {
    total += w;
  }
  if (total <= 0) {
    errors.push_back({"/weights", "must not all be 0"});
  }
}

}  // namespace

domain::parsed<match_request> parse_match_request(const json::value& body) {
  domain::parsed<match_request> out;
  auto& errors = out.errors;
  if (!body.is_object()) {
    errors.push_back({"", "must be an object with \"profile\" or \"ags\""});
    return out;
  }
  const auto& object = body.get_object();
  for (const auto& entry : object) {
    const std::string_view key(entry.key().data(), entry.key().size());
    if (key != "profile" && key != "ags" && key != "top_k" && key != "weights") {
      errors.push_back({"/" + std::string(key), "is not a known field"});
    }
  }
  const auto* profile = object.if_contains("profile");
  const auto* ags = object.if_contains("ags");
  if ((profile == nullptr) == (ags == nullptr)) {
    errors.push_back({"", "must contain either \"profile\" (an inline municipality profile) or \"ags\" (a stored one)"});
  } else if (profile != nullptr) {
    auto parsed = domain::parse_profile(*profile);
    for (auto& error : parsed.errors) {
      errors.push_back({"/profile" + error.pointer, std::move(error.message)});
    }
    out.value.profile = std::move(parsed.value);
  } else if (!ags->is_string() || ags->get_string().size() != 8 ||
             ags->get_string().find_first_not_of("0123456789") != json::string::npos) {
    errors.push_back({"/ags", "must be exactly 8 digits"});
  } else {
    out.value.ags = std::string(ags->get_string());
  }
  if (const auto* top_k = object.if_contains("top_k")) {
    json::error_code ec;
    const auto value = top_k->is_number() ? top_k->to_number<std::int64_t>(ec) : 0;
    if (!top_k->is_number() || ec || value < 1 || value > static_cast<std::int64_t>(max_top_k)) {
      errors.push_back({"/top_k", "must be a whole number from 1 to " + std::to_string(max_top_k)});
    } else {
      out.value.options.top_k = static_cast<std::size_t>(value);
    }
  }
  if (const auto* weights = object.if_contains("weights")) {
    read_weights(*weights, out.value.options.weights, errors);
  }
  return out;
}

json::value to_json(const matching::match_outcome& outcome, const domain::profile& profile, std::size_t catalog_size) {
  json::array results;
  for (const auto& result : outcome.results) {
    json::array criteria;
    for (const auto& c : result.criteria) {
      criteria.push_back(json::object{{"criterion", matching::name_of(c.which)},
                                      {"weight", c.weight},
                                      {"value", c.value},
                                      {"contribution", c.contribution},
                                      {"reason", c.reason}});
    }
    const auto& s = *result.solution;
    results.push_back(json::object{
        {"solution_id", s.id},
        {"name", s.name},
        {"provider_id", s.provider_id},
        {"score", result.score},
        {"cost", json::object{{"setup_eur", domain::json_number(s.cost.setup_eur)},
                              {"annual_eur", domain::json_number(matching::annual_cost_eur(s.cost, profile.population))}}},
        {"criteria", std::move(criteria)},
    });
  }
  json::array excluded;
  for (const auto& item : outcome.excluded) {
    json::array reasons;
    for (const auto& reason : item.reasons) {
      reasons.push_back(json::object{
          {"constraint", reason.constraint}, {"message", reason.message}, {"message_en", reason.message_en}});
    }
    excluded.push_back(json::object{{"solution_id", item.solution->id},
                                    {"name", item.solution->name},
                                    {"provider_id", item.solution->provider_id},
                                    {"reasons", std::move(reasons)}});
  }
  return json::object{{"results", std::move(results)},
                      {"excluded", std::move(excluded)},
                      {"fitting_count", outcome.fitting_count},
                      {"excluded_count", outcome.excluded_count},
                      {"catalog_size", catalog_size}};
}

}  // namespace lotse::api
