#include "host/api/plugin_routes.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/domain/timestamp.hpp"
#include "host/api/access_control.hpp"
#include "host/api/request_support.hpp"
#include "host/http/problem.hpp"
#include "host/publishing/upload.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <mutex>

namespace lotse::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;
using catalog::role;

http::response validation_like_problem(std::string pointer, std::string message) {
  return validation_problem("The request", {{std::move(pointer), std::move(message)}});
}

json::object summary_json(const catalog::submission_summary& s) {
  return {{"id", s.id},
          {"organisation", s.organisation},
          {"provider_id", s.provider_id},
          {"file_name", s.file_name},
          {"file_sha256", s.file_sha256},
          {"size_bytes", s.size_bytes},
          {"key_id", s.key_id},
          {"status", catalog::name_of(s.status)},
          {"submitted_at", s.submitted_at},
          {"updated_at", s.updated_at}};
}

std::string_view state_name(runner::runner_state state) {
  switch (state) {
    case runner::runner_state::running: return "running";
    case runner::runner_state::stopped: return "stopped";
    case runner::runner_state::quarantined: return "quarantined";
  }
  return "stopped";
}

json::object health_json(const runner::plugin_health& health) {
  json::array failures;
  for (const auto& failure : health.recent_failures) {
    failures.push_back(json::object{{"at", domain::iso_utc(failure.at)}, {"reason", failure.reason}});
  }
  json::object out{{"state", state_name(health.state)},
                   {"restarts", health.restarts},
                   {"consecutive_failures", health.consecutive_failures},
                   {"recent_failures", std::move(failures)}};
  if (health.state == runner::runner_state::quarantined) {
    out["quarantine_reason"] = health.quarantine_reason;
  }
  return out;
}

json::object detail_json(const catalog::submission& s, const publishing_context& publishing) {
  auto out = summary_json(s);
  json::error_code ec;
  auto report = json::parse(s.report_json, ec);
  out["report"] = ec ? json::value(nullptr) : std::move(report);
  json::array history;
  for (const auto& event : s.history) {
    history.push_back(json::object{{"at", event.at},
                                   {"status", catalog::name_of(event.status)},
                                   {"actor", event.actor},
                                   {"reason", event.reason}});
  }
  out["history"] = std::move(history);
  // Runners are per host: this is what this host runs (every host syncs to the same approved set).
  if (publishing.published.running_submission(s.provider_id) == s.id) {
    if (const auto process = publishing.registry.find(s.provider_id)) {
      out["runner"] = health_json(process->health());
    }
  }
  return out;
}

// Whether the caller may see the submission at all; another publisher's gets the same 404 as a missing one.
bool may_see(const auth::principal& caller, const catalog::submission_summary& s) {
  return caller.caller_role != role::publisher || caller.organisation == s.organisation;
}

std::optional<std::int64_t> submission_id(const http::request_context& ctx) {
  const auto& text = ctx.path_params.at("id");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 1) {
    return std::nullopt;
  }
  return id;
}

// {"reason": "…"} from an optional body: nullopt plus the problem when it is malformed.
std::variant<std::string, http::response> read_reason(const http::request_context& ctx, bool required) {
  if (ctx.req.body().empty()) {
    if (required) {
      return validation_like_problem("/reason", "is required: say why, the publisher reads it");
    }
    return std::string();
  }
  auto body = http::parse_json_body(ctx.req);
  if (body.error) {
    return std::move(*body.error);
  }
  const auto* object = body.value->if_object();
  const json::value* reason = object != nullptr ? object->if_contains("reason") : nullptr;
  if (object == nullptr || (object->size() != (reason != nullptr ? 1U : 0U))) {
    return validation_like_problem("", "must be an object with at most the member \"reason\"");
  }
  if (reason == nullptr) {
    if (required) {
      return validation_like_problem("/reason", "is required: say why, the publisher reads it");
    }
    return std::string();
  }
  if (!reason->is_string() || reason->get_string().size() > 2000 || (required && reason->get_string().empty())) {
    return validation_like_problem("/reason", required ? "must be a non-empty text of at most 2000 characters"
                                                       : "must be a text of at most 2000 characters");
  }
  return std::string(reason->get_string());
}

http::response transition_answer(const catalog::transition_result& result, std::int64_t id, std::string_view verb_text,
                                 const publishing_context& publishing) {
  switch (result.outcome) {
    case catalog::transition_outcome::done: {
      const auto s = publishing.curation.find_submission(id);
      return http::json_response(status::ok, s ? json::value(detail_json(*s, publishing)) : json::value(nullptr));
    }
    case catalog::transition_outcome::not_found:
      return not_found("Plugin submission " + std::to_string(id));
    case catalog::transition_outcome::wrong_state:
      return http::problem(status::conflict, "Conflict",
                           "Plugin submission " + std::to_string(id) + " is " +
                               std::string(catalog::name_of(result.status)) + "; it cannot be " +
                               std::string(verb_text) + ".",
                           {{"status_now", catalog::name_of(result.status)}});
    case catalog::transition_outcome::conflict:
      return http::problem(status::conflict, "Conflict", result.message);
  }
  return http::problem(status::internal_server_error, "Internal Server Error", "unexpected transition outcome");
}

class plugin_routes {
 public:
  plugin_routes(api_context& api, publishing_context& publishing) : api_(api), publishing_(publishing) {}

  http::response upload(const http::request_context& ctx) {
    auto caller = require_role(api_, ctx, {role::publisher});
    if (auto* problem = std::get_if<http::response>(&caller)) {
      return std::move(*problem);
    }
    const auto& who = std::get<auth::principal>(caller);
    if (who.caller_role != role::publisher) {
      return http::problem(status::forbidden, "Forbidden",
                           "Plugins are uploaded by their publisher; use a publisher token.");
    }
    // Checking an upload starts the plugin in a runner, which may take up to its start-up deadline; one check at a
    // time keeps uploads from tying up the threads that serve matches.
    std::unique_lock checking(upload_mutex_, std::try_to_lock);
    if (!checking.owns_lock()) {
      auto res = http::problem(status::service_unavailable, "Service Unavailable",
                               "Another upload is being checked right now; try again in a few seconds.");
      res.set(boost::beast::http::field::retry_after, "5");
      return res;
    }
    // The clash and ownership checks read the catalog as matching sees it: this host's snapshot, grouped back into
    // descriptions in one pass (providers are sorted by id).
    const auto snapshot = api_.catalog.get();
    std::vector<domain::provider_description> catalog;
    for (const auto& provider : snapshot->providers()) {
      catalog.push_back({provider, {}});
    }
    for (const auto& solution : snapshot->solutions()) {
      const auto owner = std::lower_bound(catalog.begin(), catalog.end(), solution.provider_id,
                                          [](const auto& d, const std::string& id) { return d.provider_info.id < id; });
      if (owner != catalog.end() && owner->provider_info.id == solution.provider_id) {
        owner->solutions.push_back(solution);
      }
    }
    const publishing::upload_environment environment{publishing_.accounts, publishing_.curation, catalog,
                                                     publishing_.owned_dir, publishing_.runner};
    auto prepared = publishing::prepare_submission(environment, who.organisation, ctx.req.body());
    checking.unlock();
    if (auto* refusal = std::get_if<publishing::upload_refusal>(&prepared)) {
      json::array errors;
      for (const auto& e : refusal->errors) {
        errors.push_back(json::object{{"pointer", e.pointer}, {"message", e.message}});
      }
      return http::problem(status::unprocessable_entity, "Unprocessable Content", refusal->detail,
                           {{"errors", std::move(errors)}, {"report", std::move(refusal->report)}});
    }
    const auto id = publishing_.curation.add_submission(std::get<catalog::new_submission>(prepared));
    const auto stored = publishing_.curation.find_submission(id);
    auto res = http::json_response(status::created, detail_json(*stored, publishing_));
    res.set(boost::beast::http::field::location, "/api/v1/plugins/" + std::to_string(id));
    return res;
  }

  http::response list(const http::request_context& ctx) {
    auto caller = require_role(api_, ctx, {role::publisher, role::curator});
    if (auto* problem = std::get_if<http::response>(&caller)) {
      return std::move(*problem);
    }
    const auto& who = std::get<auth::principal>(caller);
    std::optional<catalog::submission_status> filter;
    if (const auto text = ctx.query_value("status")) {
      filter = catalog::parse_submission_status(*text);
      if (!filter) {
        return validation_like_problem("/status", "must be pending, approved, rejected, superseded or withdrawn");
      }
    }
    const auto organisation =
        who.caller_role == role::publisher ? std::optional<std::string_view>(who.organisation) : std::nullopt;
    json::array items;
    for (const auto& s : publishing_.curation.list_submissions(organisation, filter)) {
      items.push_back(summary_json(s));
    }
    return http::json_response(status::ok, json::object{{"plugins", std::move(items)}});
  }

  http::response show(const http::request_context& ctx) {
    auto caller = require_role(api_, ctx, {role::publisher, role::curator});
    if (auto* problem = std::get_if<http::response>(&caller)) {
      return std::move(*problem);
    }
    const auto id = submission_id(ctx);
    const auto s = id ? publishing_.curation.find_submission(*id) : std::nullopt;
    if (!s || !may_see(std::get<auth::principal>(caller), *s)) {
      return not_found("Plugin submission " + ctx.path_params.at("id"));
    }
    return http::json_response(status::ok, detail_json(*s, publishing_));
  }

  http::response approve(const http::request_context& ctx) {
    auto caller = require_role(api_, ctx, {role::curator});
    if (auto* problem = std::get_if<http::response>(&caller)) {
      return std::move(*problem);
    }
    auto reason = read_reason(ctx, false);
    if (auto* problem = std::get_if<http::response>(&reason)) {
      return std::move(*problem);
    }
    const auto id = submission_id(ctx);
    const auto s = id ? publishing_.curation.find_submission(*id) : std::nullopt;
    if (!s) {
      return not_found("Plugin submission " + ctx.path_params.at("id"));
    }
    json::error_code ec;
    auto description = domain::parse_provider_description(json::parse(s->description_json, ec));
    if (ec || !description.ok()) {
      return http::problem(status::conflict, "Conflict",
                           "The stored description of submission " + std::to_string(*id) + " no longer validates.");
    }
    const auto result = publishing_.curation.approve(*id, description.value, actor(std::get<auth::principal>(caller)),
                                                     std::get<std::string>(reason));
    if (result.outcome == catalog::transition_outcome::done) {
      publishing_.refresh_catalog();
    }
    return transition_answer(result, *id, "approved", publishing_);
  }

  http::response reject(const http::request_context& ctx) {
    auto caller = require_role(api_, ctx, {role::curator});
    if (auto* problem = std::get_if<http::response>(&caller)) {
      return std::move(*problem);
    }
    auto reason = read_reason(ctx, true);
    if (auto* problem = std::get_if<http::response>(&reason)) {
      return std::move(*problem);
    }
    const auto id = submission_id(ctx);
    if (!id) {
      return not_found("Plugin submission " + ctx.path_params.at("id"));
    }
    const auto result =
        publishing_.curation.reject(*id, actor(std::get<auth::principal>(caller)), std::get<std::string>(reason));
    return transition_answer(result, *id, "rejected", publishing_);
  }

  http::response withdraw(const http::request_context& ctx) {
    auto caller = require_role(api_, ctx, {role::publisher, role::curator});
    if (auto* problem = std::get_if<http::response>(&caller)) {
      return std::move(*problem);
    }
    auto reason = read_reason(ctx, false);
    if (auto* problem = std::get_if<http::response>(&reason)) {
      return std::move(*problem);
    }
    const auto id = submission_id(ctx);
    const auto s = id ? publishing_.curation.find_submission(*id) : std::nullopt;
    if (!s || !may_see(std::get<auth::principal>(caller), *s)) {
      return not_found("Plugin submission " + ctx.path_params.at("id"));
    }
    const auto result =
        publishing_.curation.withdraw(*id, actor(std::get<auth::principal>(caller)), std::get<std::string>(reason));
    if (result.outcome == catalog::transition_outcome::done) {
      publishing_.refresh_catalog();
    }
    return transition_answer(result, *id, "withdrawn", publishing_);
  }

  http::response runners(const http::request_context& ctx) {
    auto caller = require_role(api_, ctx, {role::curator});
    if (auto* problem = std::get_if<http::response>(&caller)) {
      return std::move(*problem);
    }
    json::array items;
    for (const auto& [provider_id, process] : publishing_.registry.list()) {
      auto item = health_json(process->health());
      item["provider_id"] = provider_id;
      if (const auto submission = publishing_.published.running_submission(provider_id)) {
        item["source"] = "upload";
        item["submission"] = *submission;
      } else {
        item["source"] = "plugin_directory";
        item["file_name"] = process->info().file.filename().string();
      }
      items.push_back(std::move(item));
    }
    return http::json_response(status::ok, json::object{{"runners", std::move(items)}});
  }

  http::response lift_quarantine(const http::request_context& ctx) {
    auto caller = require_role(api_, ctx, {role::curator});
    if (auto* problem = std::get_if<http::response>(&caller)) {
      return std::move(*problem);
    }
    const auto& provider_id = ctx.path_params.at("provider");
    const auto process = publishing_.registry.find(provider_id);
    if (!process) {
      return not_found("A runner for provider '" + provider_id + "' on this host");
    }
    process->lift_quarantine();
    auto item = health_json(process->health());
    item["provider_id"] = provider_id;
    return http::json_response(status::ok, item);
  }

 private:
  static std::string actor(const auth::principal& who) {
    return who.caller_role == role::admin ? std::string("admin") : who.organisation;
  }

  api_context& api_;
  publishing_context& publishing_;
  std::mutex upload_mutex_;
};

}  // namespace

void register_plugin_routes(http::router& router, api_context& api, publishing_context& publishing) {
  auto routes = std::make_shared<plugin_routes>(api, publishing);
  router.add(verb::post, "/api/v1/plugins", [routes](http::request_context& ctx) { return routes->upload(ctx); });
  router.add(verb::get, "/api/v1/plugins", [routes](http::request_context& ctx) { return routes->list(ctx); });
  router.add(verb::get, "/api/v1/plugins/{id}", [routes](http::request_context& ctx) { return routes->show(ctx); });
  router.add(verb::post, "/api/v1/plugins/{id}/approve",
             [routes](http::request_context& ctx) { return routes->approve(ctx); });
  router.add(verb::post, "/api/v1/plugins/{id}/reject",
             [routes](http::request_context& ctx) { return routes->reject(ctx); });
  router.add(verb::post, "/api/v1/plugins/{id}/withdraw",
             [routes](http::request_context& ctx) { return routes->withdraw(ctx); });
  router.add(verb::get, "/api/v1/runners", [routes](http::request_context& ctx) { return routes->runners(ctx); });
  router.add(verb::post, "/api/v1/runners/{provider}/lift-quarantine",
             [routes](http::request_context& ctx) { return routes->lift_quarantine(ctx); });
}

}  // namespace lotse::api
