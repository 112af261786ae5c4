#include "host/api/match_json.hpp"

#include "catalog/domain/json_number.hpp"
#include "catalog/domain/profile_json.hpp"

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
      errors.push_back({pointer, "is not a criterion; must be one of: " + std::string(matching::all_criterion_names())});
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

json::object change_to_json(const matching::profile_change& change) {
  json::object out{{"kind", matching::name_of(change.kind)}, {"message", change.message}, {"message_en", change.message_en}};
  switch (change.kind) {
    case matching::change_kind::add_capability: {
      out["capability"] = domain::name_of(change.capability);
      json::array offers;
      for (const auto* offer : change.offered_by) {
        offers.push_back(json::object{{"solution_id", offer->id}, {"name", offer->name}, {"provider_id", offer->provider_id}});
      }
      out["offered_by"] = std::move(offers);
      break;
    }
    case matching::change_kind::advance_stage:
      out["stage"] = domain::name_of(change.stage);
      break;
    case matching::change_kind::accept_hosting:
      out["hosting"] = domain::name_of(change.hosting);
      break;
    case matching::change_kind::joint_operation:
      break;
    case matching::change_kind::add_staff:
      out["amount_fte"] = domain::json_number(change.amount);
      break;
    case matching::change_kind::raise_budget_once:
    case matching::change_kind::raise_budget_annual:
      out["amount_eur"] = domain::json_number(change.amount);
      break;
  }
  return out;
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

json::value to_json(const matching::match_outcome& outcome, std::span<const matching::relaxation> relaxations,
                    std::size_t catalog_size) {
  json::array results;
  for (const auto& result : outcome.results) {
    json::array criteria;
    for (const auto& c : result.criteria) {
      criteria.push_back(json::object{{"criterion", matching::name_of(c.which)},
                                      {"weight", c.weight},
                                      {"value", c.value},
                                      {"contribution", c.contribution},
                                      {"reason", c.reason},
                                      {"reason_en", c.reason_en}});
    }
    const auto& s = *result.solution;
    results.push_back(json::object{
        {"solution_id", s.id},
        {"name", s.name},
        {"provider_id", s.provider_id},
        {"score", result.score},
        {"cost", json::object{{"setup_eur", domain::json_number(s.cost.setup_eur)},
                              {"annual_eur", domain::json_number(result.annual_cost_eur)}}},
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
                                    {"cost", json::object{{"setup_eur", domain::json_number(item.solution->cost.setup_eur)},
                                                          {"annual_eur", domain::json_number(item.annual_cost_eur)}}},
                                    {"reasons", std::move(reasons)}});
  }
  json::array relaxed;
  for (const auto& item : relaxations) {
    json::array changes;
    for (const auto& change : item.changes) {
      changes.push_back(change_to_json(change));
    }
    relaxed.push_back(json::object{{"solution_id", item.solution->id},
                                   {"name", item.solution->name},
                                   {"changes", std::move(changes)},
                                   {"message", item.message},
                                   {"message_en", item.message_en}});
  }
  return json::object{{"results", std::move(results)},
                      {"excluded", std::move(excluded)},
                      {"relaxations", std::move(relaxed)},
                      {"fitting_count", outcome.fitting_count},
                      {"excluded_count", outcome.excluded_count},
                      {"catalog_size", catalog_size}};
}

}  // namespace lotse::api
