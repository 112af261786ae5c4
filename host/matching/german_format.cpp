#include "host/matching/german_format.hpp"

#include <cmath>
#include <cstdint>

namespace lotse::matching {
namespace {

std::string group_thousands(double amount, char separator) {
  const auto rounded = static_cast<std::int64_t>(std::llround(std::abs(amount)));
  auto digits = std::to_string(rounded);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), 1, separator);
  }
  return (amount < 0 && rounded != 0 ? "-" : "") + digits;
}

// One decimal is how staff shares are planned ("0,2 Stellen"); two when that would round a real need away.
std::string decimal(double value, char point) {
  const double tenths = std::round(value * 10) / 10;
  const bool needs_hundredths = std::abs(tenths - value) > 1e-9;
  const double shown = needs_hundredths ? std::round(value * 100) / 100 : tenths;
  const auto whole = static_cast<std::int64_t>(std::floor(shown + 1e-9));
  const auto fraction = static_cast<std::int64_t>(std::llround((shown - static_cast<double>(whole)) *
                                                               (needs_hundredths ? 100 : 10)));
  std::string out = std::to_string(whole) + point;
  if (needs_hundredths && fraction < 10) {
    out += '0';
  }
  return out + std::to_string(fraction);
}

}  // namespace

std::string format_eur(double amount) { return group_thousands(amount, '.') + " €"; }
std::string format_eur_english(double amount) {
  const auto text = group_thousands(amount, ',');
  return text.front() == '-' ? "-€" + text.substr(1) : "€" + text;
}
std::string format_count(std::int64_t count) { return group_thousands(static_cast<double>(count), '.'); }
std::string format_fte(double fte) { return decimal(fte, ',') + " VZÄ"; }
std::string format_fte_english(double fte) { return decimal(fte, '.') + " FTE"; }

std::string_view german_name_of(domain::hosting value) {
  switch (value) {
    case domain::hosting::on_premises: return "im eigenen Haus";
    case domain::hosting::provider_datacenter: return "im Rechenzentrum des IT-Dienstleisters";
    case domain::hosting::german_cloud: return "in einer deutschen Cloud";
    case domain::hosting::any_eu_cloud: return "in einer Cloud in der EU";
  }
  return {};
}

}  // namespace lotse::matching
