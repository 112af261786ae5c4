#include "host/api/key_routes.hpp"

#include "host/api/access_control.hpp"
#include "host/api/request_support.hpp"
#include "host/http/problem.hpp"
#include "host/signing/signing.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <string>
#include <variant>

namespace lotse::api {
namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

namespace {

constexpr std::string_view collection = "/api/v1/publisher-keys";

// A publisher's keys, or the problem to answer. Admin passes require_role everywhere, but an admin token names no
// organisation, so there would be nobody to own the key: refused explicitly rather than filed under "".
std::variant<auth::principal, http::response> require_publisher(const api_context& api,
                                                                 const http::request_context& ctx) {
  auto caller = require_role(api, ctx, {catalog::role::publisher});
  if (const auto* who = std::get_if<auth::principal>(&caller); who != nullptr && who->organisation.empty()) {
    return http::problem(status::forbidden, "Forbidden",
                         "Publisher keys belong to a publisher organisation; use a publisher token.");
  }
  return caller;
}

json::value optional_text(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

const catalog::publisher_key_record* find_key(const std::vector<catalog::publisher_key_record>& keys,
                                              std::string_view key_id) {
  const auto found = std::find_if(keys.begin(), keys.end(),
                                  [&](const catalog::publisher_key_record& k) { return k.key_id == key_id; });
  return found == keys.end() ? nullptr : &*found;
}

http::response register_key(api_context& api, catalog::account_store& accounts, const http::request_context& ctx) {
  auto caller = require_publisher(api, ctx);
  if (auto* problem = std::get_if<http::response>(&caller)) {
    return std::move(*problem);
  }
  const auto& publisher = std::get<auth::principal>(caller);
  // Not-JSON (400) and the wrong media type (415) are answered like everywhere else; the key file's own rules next.
  auto body = http::parse_json_body(ctx.req);
  if (body.error) {
    return std::move(*body.error);
  }
  const auto parsed = signing::parse_public_key(ctx.req.body());
  if (const auto* refused = std::get_if<signing::refusal>(&parsed)) {
    return validation_problem("The public key file", {{"", refused->reason}});
  }
  const auto& key = std::get<signing::public_key>(parsed);

  const auto outcome =
      accounts.add_publisher_key({key.key_id, publisher.organisation, signing::public_key_json(key), "", {}});
  if (outcome == catalog::key_registration::owned_by_other) {
    return http::problem(status::conflict, "Conflict",
                         "The key " + key.key_id + " is registered by another organisation; generate a key of your "
                         "own with 'lotse-host keys generate'.");
  }
  // Read back for the stored registration time (the first one, when the key was registered before).
  const auto keys = accounts.publisher_keys(publisher.organisation);
  const auto* stored = find_key(keys, key.key_id);
  if (stored == nullptr) {
    throw catalog::store_error("catalog store: publisher key " + key.key_id + " vanished right after registering it");
  }
  const bool added = outcome == catalog::key_registration::added;
  auto res = http::json_response(added ? status::created : status::ok,
                                 json::object{{"key_id", stored->key_id},
                                              {"organisation", stored->organisation},
                                              {"registered_at", stored->registered_at},
                                              {"revoked_at", optional_text(stored->revoked_at)}});
  res.set(boost::beast::http::field::location, std::string(collection) + "/" + stored->key_id);
  return res;
}

http::response list_keys(api_context& api, catalog::account_store& accounts, const http::request_context& ctx) {
  auto caller = require_publisher(api, ctx);
  if (auto* problem = std::get_if<http::response>(&caller)) {
    return std::move(*problem);
  }
  const auto& publisher = std::get<auth::principal>(caller);
  json::array items;
  for (const auto& key : accounts.publisher_keys(publisher.organisation)) {
    json::error_code ec;
    auto document = json::parse(key.document, ec);
    if (ec || !document.is_object()) {
      throw catalog::store_error("catalog store: the database is corrupted: publisher key " + key.key_id +
                                 " has a document that is not a JSON object");
    }
    items.push_back(json::object{{"key_id", key.key_id},
                                 {"registered_at", key.registered_at},
                                 {"revoked_at", optional_text(key.revoked_at)},
                                 {"public_key", std::move(document)}});
  }
  return http::json_response(status::ok, json::object{{"keys", std::move(items)}});
}

http::response revoke_key(api_context& api, catalog::account_store& accounts, const http::request_context& ctx) {
  auto caller = require_publisher(api, ctx);
  if (auto* problem = std::get_if<http::response>(&caller)) {
    return std::move(*problem);
  }
  const auto& publisher = std::get<auth::principal>(caller);
  const auto& key_id = ctx.path_params.at("key_id");
  // Another organisation's key gets the same 404 as a key nobody registered, so key ids cannot be probed.
  if (!accounts.revoke_publisher_key(publisher.organisation, key_id)) {
    return not_found("The publisher key '" + key_id + "'");
  }
  http::response res{status::no_content, ctx.req.version()};
  res.prepare_payload();
  return res;
}

}  // namespace

void register_key_routes(http::router& router, api_context& api, catalog::account_store& accounts) {
  const std::string path(collection);
  router.add(verb::post, path,
             [&api, &accounts](http::request_context& ctx) { return register_key(api, accounts, ctx); });
  router.add(verb::get, path, [&api, &accounts](http::request_context& ctx) { return list_keys(api, accounts, ctx); });
  router.add(verb::delete_, path + "/{key_id}",
             [&api, &accounts](http::request_context& ctx) { return revoke_key(api, accounts, ctx); });
}

}  // namespace lotse::api
