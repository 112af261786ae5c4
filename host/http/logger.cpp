#include "host/http/logger.hpp"

#include <spdlog/spdlog.h>

namespace lotse::http {

std::shared_ptr<spdlog::logger> http_logger() {
  // Looked up on every call rather than cached so an application (or a test) can replace the logger at any time.
  if (auto existing = spdlog::get("http")) {
    return existing;
  }
  const auto fallback = spdlog::default_logger();
  auto created = std::make_shared<spdlog::logger>("http", fallback->sinks().begin(), fallback->sinks().end());
  created->set_level(fallback->level());
  try {
    spdlog::register_logger(created);
  } catch (const spdlog::spdlog_ex&) {
    // Another thread registered it between our lookup and registration; theirs wins.
    if (auto existing = spdlog::get("http")) {
      return existing;
    }
  }
  return created;
}

}  // namespace lotse::http
