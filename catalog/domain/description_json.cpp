#include "catalog/domain/description_json.hpp"

#include "catalog/domain/json_number.hpp"
#include "catalog/domain/json_reader.hpp"

#include <boost/json.hpp>

#include <map>

namespace lotse::domain {
namespace json = boost::json;
using detail::object_reader;
using detail::presence;
using detail::text_rule;

namespace {

constexpr text_rule id_rule{1, 100, true, 0};
constexpr text_rule name_rule{1, 120, false, 0};
constexpr text_rule summary_rule{1, 600, false, 0};
constexpr text_rule standard_rule{1, 100, false, 0};
constexpr text_rule ags_rule{0, 0, false, 8};
constexpr std::size_t max_solutions_per_provider = 500;
constexpr double max_fte = 100;
constexpr std::size_t max_population_bands = 50;
constexpr double max_months = 120;

void read_stages(object_reader& parent, stage_range& out) {
  auto reader = parent.child("stages", presence::required);
  if (!reader.valid()) {
    return;
  }
  const auto min = reader.word<stage>("min", presence::required);
  const auto max = reader.word<stage>("max", presence::required);
  reader.finish();
  if (min && max) {
    if (*min > *max) {
      reader.error("min", "must not come after max (" + std::string(name_of(*max)) + ")");
      return;
    }
    out = {*min, *max};
  }
}

void read_bands(object_reader& cost, std::vector<population_band>& out) {
  const auto* json_bands = cost.member("population_bands", presence::optional);
  if (json_bands == nullptr) {
    return;
  }
  const auto where = cost.pointer_to("population_bands");
  if (!json_bands->is_array() || json_bands->get_array().size() > max_population_bands) {
    cost.errors().push_back({where, "must be an array of at most " + std::to_string(max_population_bands) +
                                        " {max_population, annual_eur}"});
    return;
  }
  const auto& items = json_bands->get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    object_reader band(&items[i], append_pointer(where, i), cost.errors());
    if (!band.valid()) {
      continue;
    }
    const auto max_population = band.integer("max_population", presence::required, 1);
    const auto annual = band.number("annual_eur", presence::required, 0);
    band.finish();
    if (!max_population || !annual) {
      continue;
    }
    if (!out.empty() && *max_population <= out.back().max_population) {
      band.error("max_population", "must be larger than the previous band's max_population (" +
                                       std::to_string(out.back().max_population) + ")");
      continue;
    }
    out.push_back({*max_population, *annual});
  }
}

void read_cost(object_reader& parent, cost_model& out) {
  auto cost = parent.child("cost", presence::required);
  if (!cost.valid()) {
    return;
  }
  out.setup_eur = cost.number("setup_eur", presence::required, 0).value_or(0);
  out.annual_base_eur = cost.number("annual_base_eur", presence::required, 0).value_or(0);
  out.annual_per_inhabitant_eur = cost.number("annual_per_inhabitant_eur", presence::optional, 0).value_or(0);
  read_bands(cost, out.population_bands);
  out.shared_operation_discount = cost.number("shared_operation_discount", presence::optional, 0, 1);
  cost.finish();
}

void read_effort(object_reader& parent, effort_model& out) {
  auto effort = parent.child("effort", presence::required);
  if (!effort.valid()) {
    return;
  }
  out.rollout_fte = effort.number("rollout_fte", presence::required, 0, max_fte).value_or(0);
  out.ongoing_fte = effort.number("ongoing_fte", presence::required, 0, max_fte).value_or(0);
  out.rollout_months = effort.number("rollout_months", presence::required, 0, max_months).value_or(0);
  effort.finish();
}

void read_population_range(object_reader& parent, population_range& out) {
  auto range = parent.child("population_range", presence::optional);
  if (!range.valid()) {
    return;
  }
  const auto min = range.integer("min", presence::optional, 0);
  const auto max = range.integer("max", presence::optional, 1);
  range.finish();
  if (min && max && *min > *max) {
    range.error("min", "must not be larger than max (" + std::to_string(*max) + ")");
    return;
  }
  out.min = min.value_or(0);
  out.max = max;
}

solution read_solution(const json::value& json, const std::string& pointer, std::string_view provider_id,
                       field_errors& errors) {
  solution out;
  out.provider_id = std::string(provider_id);
  object_reader reader(&json, pointer, errors);
  if (!reader.valid()) {
    return out;
  }
  out.id = reader.text("id", presence::required, id_rule).value_or("");
  out.name = reader.text("name", presence::required, name_rule).value_or("");
  out.summary = reader.text("summary", presence::required, summary_rule).value_or("");
  out.kind = reader.word<solution_kind>("kind", presence::required).value_or(solution_kind::software);
  if (auto categories = reader.word_set<need_category, need_category_count>("categories", presence::required)) {
    if (categories->none()) {
      reader.error("categories", "must name at least one need category");
    }
    out.categories = *categories;
  }
  read_stages(reader, out.stages);
  if (const auto* levels = reader.member("min_levels", presence::optional)) {
    out.min_levels = detail::read_levels(*levels, reader.pointer_to("min_levels"), errors);
  }
  read_cost(reader, out.cost);
  read_effort(reader, out.effort);
  out.required_skill = reader.word<it_skill>("required_skill", presence::required).value_or(it_skill::none);
  out.requires_capabilities =
      reader.word_set<capability, capability_count>("requires", presence::optional).value_or(capability_set{});
  out.provides_capabilities =
      reader.word_set<capability, capability_count>("provides", presence::optional).value_or(capability_set{});
  out.compatible_service_providers =
      reader.text_list("compatible_service_providers", presence::optional, id_rule).value_or(std::vector<std::string>{});
  out.standards = reader.text_list("standards", presence::optional, standard_rule).value_or(std::vector<std::string>{});
  out.hosting_options = reader.word_set<hosting, hosting_count>("hosting", presence::optional).value_or(hosting_set{});
  out.operating_models = reader.word_set<operating_model, operating_model_count>("operating_models", presence::optional)
                             .value_or(operating_model_set{});
  out.open_source = reader.boolean("open_source", presence::optional).value_or(false);
  read_population_range(reader, out.populations);
  out.references = reader.text_list("references", presence::optional, ags_rule, 1000).value_or(std::vector<std::string>{});
  reader.finish();
  return out;
}

provider read_provider(const json::value* json, const std::string& pointer, field_errors& errors) {
  provider out;
  object_reader reader(json, pointer, errors);
  if (!reader.valid()) {
    return out;
  }
  out.id = reader.text("id", presence::required, id_rule).value_or("");
  out.name = reader.text("name", presence::required, name_rule).value_or("");
  out.kind = reader.word<provider_kind>("kind", presence::required).value_or(provider_kind::other);
  if (auto website = reader.text("website", presence::optional, text_rule{1, 300, false, 0})) {
    if (website->rfind("https://", 0) != 0 && website->rfind("http://", 0) != 0) {
      reader.error("website", "must be an http:// or https:// address");
    } else {
      out.website = std::move(*website);
    }
  }
  out.contact = reader.text("contact", presence::optional, text_rule{1, 300, false, 0}).value_or("");
  reader.finish();
  return out;
}

json::object solution_to_json(const solution& value) {
  json::object cost{{"setup_eur", json_number(value.cost.setup_eur)},
                    {"annual_base_eur", json_number(value.cost.annual_base_eur)},
                    {"annual_per_inhabitant_eur", json_number(value.cost.annual_per_inhabitant_eur)}};
  if (!value.cost.population_bands.empty()) {
    json::array bands;
    for (const auto& band : value.cost.population_bands) {
      bands.push_back(json::object{{"max_population", band.max_population}, {"annual_eur", json_number(band.annual_eur)}});
    }
    cost["population_bands"] = std::move(bands);
  }
  if (value.cost.shared_operation_discount) {
    cost["shared_operation_discount"] = json_number(*value.cost.shared_operation_discount);
  }
  json::object population{{"min", value.populations.min}};
  if (value.populations.max) {
    population["max"] = *value.populations.max;
  }
  return json::object{
      {"id", value.id},
      {"name", value.name},
      {"summary", value.summary},
      {"kind", name_of(value.kind)},
      {"categories", detail::words_to_json<need_category>(value.categories)},
      {"stages", json::object{{"min", name_of(value.stages.min)}, {"max", name_of(value.stages.max)}}},
      {"min_levels", detail::levels_to_json(value.min_levels, true)},
      {"cost", std::move(cost)},
      {"effort", json::object{{"rollout_fte", json_number(value.effort.rollout_fte)},
                              {"ongoing_fte", json_number(value.effort.ongoing_fte)},
                              {"rollout_months", json_number(value.effort.rollout_months)}}},
      {"required_skill", name_of(value.required_skill)},
      {"requires", detail::words_to_json<capability>(value.requires_capabilities)},
      {"provides", detail::words_to_json<capability>(value.provides_capabilities)},
      {"compatible_service_providers",
       json::array(value.compatible_service_providers.begin(), value.compatible_service_providers.end())},
      {"standards", json::array(value.standards.begin(), value.standards.end())},
      {"hosting", detail::words_to_json<hosting>(value.hosting_options)},
      {"operating_models", detail::words_to_json<operating_model>(value.operating_models)},
      {"open_source", value.open_source},
      {"population_range", std::move(population)},
      {"references", json::array(value.references.begin(), value.references.end())},
  };
}

}  // namespace

parsed<solution> parse_solution(const json::value& json, std::string_view provider_id) {
  parsed<solution> out;
  out.value = read_solution(json, "", provider_id, out.errors);
  return out;
}

parsed<provider> parse_provider(const json::value& json) {
  parsed<provider> out;
  out.value = read_provider(&json, "", out.errors);
  return out;
}

parsed<provider_description> parse_provider_description(const json::value& json) {
  parsed<provider_description> out;
  object_reader reader(&json, "", out.errors);
  if (!reader.valid()) {
    return out;
  }
  out.value.provider_info = read_provider(reader.member("provider", presence::required), "/provider", out.errors);
  const auto* solutions = reader.member("solutions", presence::required);
  reader.finish();
  if (solutions == nullptr) {
    return out;
  }
  if (!solutions->is_array() || solutions->get_array().empty() ||
      solutions->get_array().size() > max_solutions_per_provider) {
    out.errors.push_back({"/solutions", "must be an array of 1 to " + std::to_string(max_solutions_per_provider) +
                                            " solutions"});
    return out;
  }
  std::map<std::string, std::size_t, std::less<>> first_index_of_id;
  const auto& items = solutions->get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto pointer = append_pointer("/solutions", i);
    auto item = read_solution(items[i], pointer, out.value.provider_info.id, out.errors);
    if (!item.id.empty()) {
      const auto [it, inserted] = first_index_of_id.emplace(item.id, i);
      if (!inserted) {
        out.errors.push_back({pointer + "/id", "duplicates the id of /solutions/" + std::to_string(it->second)});
      }
    }
    out.value.solutions.push_back(std::move(item));
  }
  return out;
}

field_errors check_id_clashes(const provider_description& description,
                              const std::vector<provider_description>& catalog) {
  std::map<std::string_view, std::string_view, std::less<>> owner_of;
  for (const auto& other : catalog) {
    if (other.provider_info.id == description.provider_info.id) {
      continue;
    }
    for (const auto& item : other.solutions) {
      owner_of.emplace(item.id, other.provider_info.id);
    }
  }
  field_errors errors;
  for (std::size_t i = 0; i < description.solutions.size(); ++i) {
    const auto& id = description.solutions[i].id;
    if (const auto it = owner_of.find(id); !id.empty() && it != owner_of.end()) {
      errors.push_back({append_pointer("/solutions", i) + "/id",
                        "is already the id of a solution of provider " + std::string(it->second)});
    }
  }
  return errors;
}

json::value to_json(const provider& value) {
  json::object out{{"id", value.id}, {"name", value.name}, {"kind", name_of(value.kind)}};
  if (!value.website.empty()) {
    out["website"] = value.website;
  }
  if (!value.contact.empty()) {
    out["contact"] = value.contact;
  }
  return out;
}

json::value to_json(const solution& value) { return solution_to_json(value); }

json::value to_json(const provider_description& value) {
  json::array solutions;
  for (const auto& item : value.solutions) {
    solutions.push_back(solution_to_json(item));
  }
  return json::object{{"provider", to_json(value.provider_info)}, {"solutions", std::move(solutions)}};
}

}  // namespace lotse::domain
