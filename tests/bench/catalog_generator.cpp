#include "tests/bench/catalog_generator.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <utility>

#ifndef LOTSE_GEMEINDEN_CSV
#define LOTSE_GEMEINDEN_CSV "../shared/data/gemeinden-2011.csv"
#endif

namespace lotse::bench {
namespace {

using domain::capability;
using domain::need_category;

// splitmix64: tiny, fast, well mixed, and specified bit for bit (unlike std::uniform_*_distribution).
class rng {
 public:
  explicit rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0,1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int between(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }
  double normal() {  // Box–Muller
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
  template <std::size_t N>
  std::size_t weighted(const std::array<double, N>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return N - 1;
  }

 private:
  std::uint64_t state_;
};

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  rng r(a ^ (b * 0xd6e8feb86659fd93ULL));
  return r.next();
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h = (h ^ c) * 0x100000001b3ULL;
  }
  return h;
}

double round_to(double value, double step) { return std::round(value / step) * step; }

constexpr std::array<std::string_view, 16> provider_ids = {
    "dataport", "komm-one", "akdb",      "ekom21",   "itebo",         "kdo",      "krz",       "regio-it",
    "citkomm",  "kommwis",  "lecos",     "kisa",     "kiv-thueringen", "zit-bb", "egov-saar", "dvz-mv"};

// The service provider most municipalities of a state use (a simplification: several states have a few).
std::string_view provider_of_state(std::string_view state, rng& r) {
  if (state == "Schleswig-Holstein" || state == "Hamburg" || state == "Bremen" || state == "Sachsen-Anhalt") return "dataport";
  if (state == "Baden-Württemberg") return "komm-one";
  if (state == "Bayern") return "akdb";
  if (state == "Hessen") return "ekom21";
  if (state == "Niedersachsen") return r.chance(0.5) ? "itebo" : "kdo";
  if (state == "Nordrhein-Westfalen") {
    const int pick = r.between(0, 2);
    return pick == 0 ? "krz" : pick == 1 ? "regio-it" : "citkomm";
  }
  if (state == "Rheinland-Pfalz") return "kommwis";
  if (state == "Sachsen") return r.chance(0.5) ? "lecos" : "kisa";
  if (state == "Thüringen") return "kiv-thueringen";
  if (state == "Brandenburg" || state == "Berlin") return "zit-bb";
  if (state == "Saarland") return "egov-saar";
  if (state == "Mecklenburg-Vorpommern") return "dvz-mv";
  return provider_ids[static_cast<std::size_t>(r.between(0, static_cast<int>(provider_ids.size()) - 1))];
}

// How often solutions address each need category (administration and strategy dominate the market).
constexpr std::array<double, domain::need_category_count> category_weights = {
    8, 5, 5, 6, 7, 6, 10, 8, 12, 4, 4, 3, 2, 2, 3, 2, 2, 3};

// How often solutions require each capability (e-file needs a DMS, online services need BundID, …).
constexpr std::array<double, domain::capability_count> required_capability_weights = {
    4, 3, 2, 2, 8, 4, 2, 6, 6, 5, 4, 3, 3, 2, 1, 2};

std::string padded(std::string_view prefix, std::size_t value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) {
    digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
  }
  return std::string(prefix) + digits;
}

domain::solution make_solution(std::size_t index, std::uint64_t seed) {
  rng r(mix(seed, index));
  domain::solution s;
  s.id = padded("sol-", index, 7);
  s.provider_id = padded("prov-", index / 5, 6);
  s.name = "Lösung " + std::to_string(index);
  s.summary = "Synthetische Lösung für Benchmarks.";
  s.kind = static_cast<domain::solution_kind>(r.weighted(std::array<double, 5>{50, 15, 10, 15, 10}));

  const int category_count = static_cast<int>(r.weighted(std::array<double, 3>{55, 35, 10})) + 1;
  for (int i = 0; i < category_count; ++i) {
    s.categories.set(r.weighted(category_weights));
  }

  // Stages: most solutions suit the early stages; the range is 1–4 stages wide.
  const auto stage_min = static_cast<int>(r.weighted(std::array<double, 4>{45, 30, 15, 10})) + 1;
  const auto stage_max = std::min(5, stage_min + r.between(1, 4));
  s.stages = {static_cast<domain::stage>(stage_min), static_cast<domain::stage>(stage_max)};
  for (auto& level : s.min_levels) {
    level = static_cast<std::uint8_t>(r.weighted(std::array<double, 4>{55, 25, 15, 5}));
  }

  // Costs: log-normal, as in any price list; a quarter of the solutions price by population band.
  s.cost.setup_eur = r.chance(0.08) ? 0.0 : round_to(std::clamp(r.lognormal(4000, 1.0), 100.0, 250000.0), 50);
  s.cost.annual_base_eur = r.chance(0.10) ? 0.0 : round_to(std::clamp(r.lognormal(1200, 0.9), 50.0, 60000.0), 10);
  s.cost.annual_per_inhabitant_eur = r.chance(0.6) ? 0.0 : round_to(r.uniform(0.05, 1.5), 0.05);
  if (r.chance(0.25)) {
    static constexpr std::array<std::int64_t, 7> limits = {1000, 2000, 3000, 5000, 10000, 20000, 50000};
    const auto bands = static_cast<std::size_t>(r.between(1, static_cast<int>(max_generated_bands)));
    std::size_t at = static_cast<std::size_t>(r.between(0, 3));
    double annual = round_to(r.lognormal(700, 0.6), 10);
    for (std::size_t b = 0; b < bands && at < limits.size(); ++b) {
      s.cost.population_bands.push_back({limits[at], annual});
      at += static_cast<std::size_t>(r.between(1, 2));
      annual = round_to(annual * r.uniform(1.3, 2.2), 10);
    }
  }
  if (r.chance(0.1)) {
    s.cost.shared_operation_discount = round_to(r.uniform(0.1, 0.4), 0.05);
  }

  // Effort in FTE, rounded to a hundredth: rollout median 0.15, ongoing a fraction of it.
  s.effort.rollout_fte = round_to(std::clamp(r.lognormal(0.15, 0.8), 0.01, 2.0), 0.01);
  s.effort.ongoing_fte = std::max(0.0, round_to(s.effort.rollout_fte * r.uniform(0.1, 0.6), 0.01));
  s.effort.rollout_months = r.between(1, 12);
  s.required_skill = static_cast<domain::it_skill>(r.weighted(std::array<double, 4>{40, 35, 20, 5}));

  const auto required = r.weighted(std::array<double, 3>{50, 35, 15});
  for (std::size_t i = 0; i < required; ++i) {
    s.requires_capabilities.set(r.weighted(required_capability_weights));
  }
  if (r.chance(0.3)) {
    s.provides_capabilities.set(static_cast<std::size_t>(r.between(0, domain::capability_count - 1)));
  }

  if (r.chance(0.2)) {  // endorsed by one to three IT service providers only
    const int count = r.between(1, 3);
    for (int i = 0; i < count; ++i) {
      std::string id(provider_ids[static_cast<std::size_t>(r.between(0, static_cast<int>(provider_ids.size()) - 1))]);
      if (std::find(s.compatible_service_providers.begin(), s.compatible_service_providers.end(), id) ==
          s.compatible_service_providers.end()) {
        s.compatible_service_providers.push_back(std::move(id));
      }
    }
  }
  if (r.chance(0.3)) {  // hosting stated: one or two options
    s.hosting_options.set(static_cast<std::size_t>(r.between(0, domain::hosting_count - 1)));
    if (r.chance(0.4)) s.hosting_options.set(static_cast<std::size_t>(r.between(0, domain::hosting_count - 1)));
  }
  s.operating_models.set(static_cast<std::size_t>(r.between(0, domain::operating_model_count - 1)));
  s.open_source = r.chance(0.2);
  if (r.chance(0.15)) s.standards.push_back("xoev");

  // Population range: most solutions are for everyone; some only above or below a size.
  if (r.chance(0.25)) {
    static constexpr std::array<std::int64_t, 4> mins = {500, 1000, 2000, 5000};
    s.populations.min = mins[static_cast<std::size_t>(r.between(0, 3))];
  }
  if (r.chance(0.35)) {
    static constexpr std::array<std::int64_t, 5> maxes = {5000, 10000, 20000, 50000, 100000};
    s.populations.max = std::max(s.populations.min, maxes[static_cast<std::size_t>(r.between(0, 4))]);
  }
  const int references = r.between(0, 3);
  for (int i = 0; i < references; ++i) {
    s.references.push_back(padded("", static_cast<std::size_t>(r.between(1001000, 16077999)), 8));
  }
  return s;
}

// Everything of a profile but identity and population, generated for its size.
void fill_profile(domain::profile& p, rng& r) {
  const double pop = static_cast<double>(std::max<std::int64_t>(p.population, 1));
  const double size = std::clamp(std::log10(pop / 500.0) / std::log10(200.0), 0.0, 1.0);  // 0 at 500, 1 at 100,000

  // Stage: small municipalities are mostly at the start; larger ones further along.
  const std::array<double, 5> stage_weights = {40 - 25 * size, 35 - 5 * size, 15 + 12 * size, 5 + 8 * size,
                                               5 + 10 * size};
  const int stage = static_cast<int>(r.weighted(stage_weights)) + 1;
  p.maturity_info.current_stage = static_cast<domain::stage>(stage);
  for (auto& level : p.maturity_info.levels) {
    level = static_cast<std::uint8_t>(std::clamp(stage - 1 + r.between(-1, 1), 0, 4));
  }

  p.resources_info.budget_once_eur = round_to(r.uniform(1000, 5000) + pop * r.uniform(0.3, 2.0), 100);
  p.resources_info.budget_annual_eur = round_to(r.uniform(500, 2000) + pop * r.uniform(0.2, 1.0), 100);
  p.resources_info.staff_fte = round_to(std::clamp(0.05 + pop / 20000.0 * r.uniform(0.5, 2.0), 0.05, 50.0), 0.05);
  p.resources_info.skill = static_cast<domain::it_skill>(std::clamp(static_cast<int>(size * 3 + r.uniform(-0.5, 1.0)), 0, 3));

  if (!r.chance(0.1)) {
    p.it.service_provider = std::string(provider_of_state(p.state, r));
  }
  const double has_capability = 0.1 + 0.08 * stage + 0.2 * size;
  for (std::size_t i = 0; i < domain::capability_count; ++i) {
    if (r.chance(has_capability)) p.it.capabilities.set(i);
  }
  if (r.chance(0.5)) {
    const int count = r.between(1, 3);
    for (int i = 0; i < count; ++i) {
      p.it.accepted_hosting.set(static_cast<std::size_t>(r.between(0, domain::hosting_count - 1)));
    }
  }
  p.it.open_source_preferred = r.chance(0.25);

  const int needs = r.between(1, 5);
  domain::need_category_set taken;
  for (int i = 0; i < needs; ++i) {
    const auto category = r.weighted(category_weights);
    if (taken.test(category)) continue;
    taken.set(category);
    p.needs.push_back({static_cast<need_category>(category), round_to(r.uniform(0.2, 1.0), 0.05)});
  }
  p.cooperation_info.open_to_cooperation = r.chance(0.4);
}

// One CSV record, RFC 4180: fields separated by commas, optionally in double quotes with "" for a quote.
std::vector<std::string> split_csv(std::string_view line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return fields;
}

}  // namespace

std::vector<domain::solution> generate_solutions(std::size_t count, std::uint64_t seed) {
  std::vector<domain::solution> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(make_solution(i, seed));
  }
  return out;
}

domain::profile make_profile(const municipality& row, std::uint64_t seed) {
  domain::profile p;
  p.ags = row.ags;
  p.name = row.name;
  p.state = row.state;
  p.district_ags = row.district_ags;
  p.population = row.population;
  rng r(mix(seed, fnv1a(row.ags)));
  fill_profile(p, r);
  return p;
}

std::vector<domain::profile> generate_profiles(std::size_t count, std::uint64_t seed) {
  std::vector<domain::profile> out;
  out.reserve(count);
  rng sizes(mix(seed, 0x70726f66696c6573ULL));
  for (std::size_t i = 0; i < count; ++i) {
    municipality row;
    row.ags = padded("99", i % 1000000, 6);
    row.name = "Synthetische Gemeinde " + std::to_string(i);
    row.state = "Synthetisch";
    row.district_ags = padded("99", (i / 100) % 1000, 3);
    // Log-uniform sizes: 90 % between 200 and 20,000 inhabitants, 10 % between 20,000 and 500,000.
    const double exponent = sizes.chance(0.9) ? sizes.uniform(std::log(200.0), std::log(20000.0))
                                              : sizes.uniform(std::log(20000.0), std::log(500000.0));
    row.population = static_cast<std::int64_t>(std::exp(exponent));
    out.push_back(make_profile(row, seed));
  }
  return out;
}

std::span<const std::string_view> service_providers() { return provider_ids; }

std::vector<municipality> read_gemeinden_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot open " + path.string());
  }
  std::string line;
  if (!std::getline(in, line)) {
    throw std::runtime_error(path.string() + " is empty");
  }
  if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // UTF-8 byte order mark
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const auto header = split_csv(line);
  const auto column = [&](std::string_view name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      throw std::runtime_error(path.string() + ": no column " + std::string(name));
    }
    return static_cast<std::size_t>(it - header.begin());
  };
  const auto ags = column("ags");
  const auto name = column("name");
  const auto state = column("state");
  const auto district_ags = column("district_ags");
  const auto population = column("population");

  std::vector<municipality> out;
  std::size_t line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto fields = split_csv(line);
    if (fields.size() != header.size()) {
      throw std::runtime_error(path.string() + ":" + std::to_string(line_number) + ": expected " +
                               std::to_string(header.size()) + " fields, found " + std::to_string(fields.size()));
    }
    municipality row;
    row.ags = std::move(fields[ags]);
    row.name = std::move(fields[name]);
    row.state = std::move(fields[state]);
    row.district_ags = std::move(fields[district_ags]);
    const auto& text = fields[population];
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), row.population);
    if (error != std::errc{} || end != text.data() + text.size() || row.ags.size() != 8) {
      throw std::runtime_error(path.string() + ":" + std::to_string(line_number) + ": bad AGS or population");
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::optional<std::filesystem::path> gemeinden_csv_path() {
  std::filesystem::path path = LOTSE_GEMEINDEN_CSV;
  if (const char* shared = std::getenv("LOTSE_SHARED_DATA"); shared != nullptr && *shared != '\0') {
    path = shared;
    if (path.extension() != ".csv") {
      path /= "gemeinden-2011.csv";
    }
  }
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return std::nullopt;
  }
  return path;
}

}  // namespace lotse::bench
