// Publishing and curation over HTTP (docs/curation.md):
//   POST /api/v1/plugins                     publisher: upload a bundle → 201 pending with its report, or 422
//   GET  /api/v1/plugins[?status=…]          publisher: its own; curator, admin: all
//   GET  /api/v1/plugins/{id}                report, history, and this host's runner of it
//   POST /api/v1/plugins/{id}/approve        curator: {"reason"?} → its solutions reach matches without a restart
//   POST /api/v1/plugins/{id}/reject         curator: {"reason"} (required)
//   POST /api/v1/plugins/{id}/withdraw       its publisher, a curator: {"reason"?} → its solutions leave the catalog
//   GET  /api/v1/runners                     curator: every plugin runner of this host, quarantined ones included
//   POST /api/v1/runners/{provider}/lift-quarantine   curator: let a quarantined plugin run again
#pragma once

#include "catalog/store/account_store.hpp"
#include "catalog/store/curation_store.hpp"
#include "host/api/routes.hpp"
#include "host/publishing/published_plugins.hpp"
#include "host/runner/plugin_process.hpp"
#include "host/runner/plugin_registry.hpp"

#include <filesystem>
#include <functional>

namespace lotse::api {

struct publishing_context {
  catalog::curation_store& curation;
  catalog::account_store& accounts;
  runner::plugin_registry& registry;
  publishing::published_plugins& published;
  std::filesystem::path owned_dir;  // where uploads are verified (the host's private directory)
  runner::runner_options runner;
  // Applies a catalog change on this host at once (the other hosts follow within their poll interval).
  std::function<void()> refresh_catalog;
};

void register_plugin_routes(http::router& router, api_context& api, publishing_context& publishing);

}  // namespace lotse::api
