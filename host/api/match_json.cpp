#include "host/api/match_json.hpp"

#include "catalog/domain/json_number.hpp"

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
  out.value.municipality = read_profile_reference(body, {"top_k", "max_excluded", "weights"}, errors);
  if (!body.is_object()) {
    return out;
  }
  const auto& object = body.get_object();
  if (const auto top_k = read_whole_number(object, "top_k", 1, static_cast<std::int64_t>(max_top_k), errors)) {
    out.value.options.top_k = static_cast<std::size_t>(*top_k);
  }
  if (const auto shown = read_whole_number(object, "max_excluded", 0, static_cast<std::int64_t>(max_excluded_shown),
                                           errors)) {
    out.value.options.max_excluded = static_cast<std::size_t>(*shown);
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
