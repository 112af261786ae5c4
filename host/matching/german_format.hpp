// Numbers as a German clerk reads them: "4.500 €", "0,2 VZÄ". Messages are German first.
#pragma once

#include "catalog/domain/vocabulary.hpp"

#include <cstdint>
#include <string>

namespace lotse::matching {

std::string format_eur(double amount);         // "4.500 €" (rounded to whole euros)
std::string format_eur_english(double amount);  // "€4,500"
std::string format_count(std::int64_t count);  // "50.000"
std::string format_fte(double fte);            // "0,2 VZÄ"
std::string format_fte_english(double fte);    // "0.2 FTE"

using domain::german_name_of;                            // stages, capabilities, need categories
std::string_view german_name_of(domain::hosting value);  // "in einer deutschen Cloud"

}  // namespace lotse::matching
