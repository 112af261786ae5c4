#pragma once

#include <memory>

#include <spdlog/logger.h>

namespace lotse::http {

// The "http" logger: the one the application registered under that name, or else one created on first use that
// writes to the default logger's sinks, so the access log goes wherever the application sends its logs.
std::shared_ptr<spdlog::logger> http_logger();

}  // namespace lotse::http
