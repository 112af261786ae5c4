// Publishing and curation against real lotse-host processes sharing one database (docs/curation.md): a publisher
// registers its key and uploads a signed bundle, a curator approves it, and its solutions reach matches on every host
// without a restart and without failing a request in flight; a new version replaces the old one only once approved;
// withdrawal removes the solutions. The broken-plugin corpus, uploaded, gets its documented refusal while matches go
// on. A host's own plugin directory loads only signed plugins unless --allow-unsigned-plugins says otherwise.
#include "host/publishing/bundle.hpp"
#include "host/signing/signing.hpp"
#include "tests/integration/host_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace lotse::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using boost::beast::http::verb;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

const char* const match_request = R"({"profile": {"ags": "07131001", "name": "Testdorf", "population": 800,
  "maturity": {"stage": "start"}, "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2},
  "needs": {"strategy.vision": 0.9, "administration.documents": 0.8}}, "top_k": 20})";

// A client of the curator "kommunal-it": its endorsements apply to this municipality.
const char* const client_match_request = R"({"profile": {"ags": "07131001", "name": "Testdorf", "population": 800,
  "maturity": {"stage": "start"}, "resources": {"budget_once_eur": 5000, "budget_annual_eur": 3000, "staff_fte": 0.2},
  "it": {"service_provider": "kommunal-it"},
  "needs": {"administration.documents": 0.9}}, "top_k": 20})";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `lotse-host token create …`; the token is the first line it prints.
std::string create_token(const std::string& db, const std::string& role, const std::string& organisation) {
  std::string log;
  const int status = run_command({"token", "create", "--role", role, "--org", organisation, "--db", db}, &log);
  EXPECT_EQ(status, 0) << log;
  const auto start = log.find("lotse_");
  return start == std::string::npos ? std::string() : log.substr(start, log.find('\n', start) - start);
}

std::map<std::string, std::string> bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

// A bundle as `lotse-host plugin bundle` writes it, signed with `key` over `manifest` (the description the plugin
// returns, or anything else for the tests that need a wrong one).
std::string signed_bundle(const signing::secret_key& key, const fs::path& library, std::string_view manifest,
                          std::string file_name = {}) {
  const auto document = signing::sign(key, library, manifest);
  return publishing::bundle_json(file_name.empty() ? library.filename().string() : file_name, read_file(library),
                                 signing::signature_json(document));
}

class publishing_flow : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override {
    LOTSE_REQUIRE_BACKEND(GetParam());
    database_ = std::make_unique<test_database>(GetParam());
  }

  std::unique_ptr<host_process> start_host() {
    return std::make_unique<host_process>(std::vector<std::string>{
        "--db", database_->url(), "--allow-unsigned-plugins", "--plugins", example_plugin_dir().string(),
        "--catalog-poll-ms", "200", "--demand-flush-ms", "100"});
  }

  // Signs with `plugin sign` (which reads the description by loading the plugin) and packs with `plugin bundle`,
  // exactly as docs/sdk.md tells a publisher.
  std::string cli_bundle(const fs::path& fixture, const fs::path& secret_key) {
    const auto copy = database_->scratch() / fixture.filename();
    fs::copy_file(fixture, copy, fs::copy_options::overwrite_existing);
    std::string log;
    EXPECT_EQ(run_command({"plugin", "sign", "--key", secret_key.string(), copy.string()}, &log), 0) << log;
    EXPECT_EQ(run_command({"plugin", "bundle", copy.string()}, &log), 0) << log;
    return read_file(copy.string() + ".bundle.json");
  }

  std::unique_ptr<test_database> database_;
};

INSTANTIATE_TEST_SUITE_P(, publishing_flow, all_backends, backend_name);

bool has_solution(http_client& client, const std::string& id) {
  return client.request(verb::get, "/api/v1/solutions/" + id).status == 200;
}

// Waits up to 2 s (the requirement for a change to reach another host) for the solution to appear or vanish.
bool eventually(http_client& client, const std::string& id, bool present) {
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (has_solution(client, id) != present) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

TEST_P(publishing_flow, an_approved_upload_reaches_matches_on_every_host_without_a_restart) {
  const auto publisher = create_token(database_->url(), "publisher", "fixture-co");
  const auto curator = create_token(database_->url(), "curator", "kommunal-it");
  ASSERT_FALSE(publisher.empty());
  ASSERT_FALSE(curator.empty());
  const auto keys = database_->scratch() / "keys";
  fs::create_directories(keys);
  std::string log;
  ASSERT_EQ(run_command({"keys", "generate", "--out", keys.string(), "--name", "fixture-co"}, &log), 0) << log;

  auto first = start_host();
  auto second = start_host();
  http_client a("127.0.0.1", first->port());
  http_client b("127.0.0.1", second->port());

  // Matches on both hosts for the whole test: approving, upgrading and withdrawing must not fail one of them.
  std::atomic<int> matches_ok = 0;
  std::atomic<int> matches_failed = 0;
  background_threads load;
  for (const auto port : {first->port(), second->port()}) {
    load.start([&, port] {
      http_client client("127.0.0.1", port);
      while (!load.stopping()) {
        const auto reply = client.request(verb::post, "/api/v1/match", match_request,
                                          {{"Content-Type", "application/json"}});
        (reply.status == 200 ? matches_ok : matches_failed) += 1;
      }
    });
  }

  auto reply = a.request(verb::post, "/api/v1/publisher-keys", read_file(keys / "fixture-co.public.json"),
                         bearer(publisher));
  ASSERT_EQ(reply.status, 201u) << reply.body;

  // Upload: pending, with its report; nothing reaches the catalog yet.
  const auto v1 = cli_bundle(fixture_plugin_dir() / "valid_fixture.so", keys / "fixture-co.secret.json");
  reply = a.request(verb::post, "/api/v1/plugins", v1, bearer(publisher));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto submission = json::parse(reply.body);
  const auto v1_id = submission.at("id").as_int64();
  EXPECT_EQ(submission.at("status"), "pending");
  EXPECT_EQ(submission.at("provider_id"), "fixture-provider");
  EXPECT_EQ(submission.at("report").at("valid"), true);
  EXPECT_EQ(reply.header("location"), "/api/v1/plugins/" + std::to_string(v1_id));
  EXPECT_FALSE(has_solution(a, "fixture.solution"));

  // Only a curator approves.
  const auto approve = "/api/v1/plugins/" + std::to_string(v1_id) + "/approve";
  EXPECT_EQ(a.request(verb::post, approve, "", bearer(publisher)).status, 403u);
  EXPECT_EQ(a.request(verb::post, approve, "").status, 401u);
  reply = a.request(verb::post, approve, R"({"reason": "runs on our platform"})", bearer(curator));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(json::parse(reply.body).at("status"), "approved");
  EXPECT_TRUE(has_solution(a, "fixture.solution")) << "the approving host applies the change before answering";
  EXPECT_TRUE(eventually(b, "fixture.solution", true)) << second->log();

  // A new version is pending until approved; then it replaces the old one as a whole.
  const auto v2 = cli_bundle(fixture_plugin_dir() / "valid_fixture_v2.so", keys / "fixture-co.secret.json");
  reply = a.request(verb::post, "/api/v1/plugins", v2, bearer(publisher));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  const auto v2_id = json::parse(reply.body).at("id").as_int64();
  EXPECT_FALSE(has_solution(a, "fixture.added"));
  reply = b.request(verb::post, "/api/v1/plugins/" + std::to_string(v2_id) + "/approve", "", bearer(curator));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_TRUE(has_solution(b, "fixture.added"));
  EXPECT_TRUE(eventually(a, "fixture.added", true)) << first->log();
  const auto old = json::parse(a.request(verb::get, "/api/v1/plugins/" + std::to_string(v1_id), "", bearer(publisher)).body);
  EXPECT_EQ(old.at("status"), "superseded");
  const auto& history = old.at("history").as_array();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].at("status"), "approved");
  EXPECT_EQ(history[1].at("reason"), "runs on our platform");
  EXPECT_EQ(history[1].at("actor"), "kommunal-it");

  // The publisher sees only its own submissions; a curator sees all of them; runners are visible to curators.
  EXPECT_EQ(json::parse(a.request(verb::get, "/api/v1/plugins", "", bearer(publisher)).body).at("plugins").as_array().size(), 2u);
  const auto other = create_token(database_->url(), "publisher", "someone-else");
  EXPECT_EQ(json::parse(a.request(verb::get, "/api/v1/plugins", "", bearer(other)).body).at("plugins").as_array().size(), 0u);
  EXPECT_EQ(a.request(verb::get, "/api/v1/plugins/" + std::to_string(v1_id), "", bearer(other)).status, 404u);
  const auto runners = json::parse(b.request(verb::get, "/api/v1/runners", "", bearer(curator)).body);
  bool runs_upload = false;
  for (const auto& runner : runners.at("runners").as_array()) {
    runs_upload = runs_upload || (runner.at("provider_id") == "fixture-provider" && runner.at("source") == "upload" &&
                                  runner.at("submission").as_int64() == v2_id);
  }
  EXPECT_TRUE(runs_upload) << runners;

  // The curator's endorsement feeds the IT-dependency criterion for its client municipalities, on both hosts.
  const auto dependency_fit = [&](http_client& client) {
    const auto reply = client.request(verb::post, "/api/v1/match", client_match_request,
                                      {{"Content-Type", "application/json"}});
    const auto outcome = json::parse(reply.body);
    for (const auto& result : outcome.at("results").as_array()) {
      if (result.at("solution_id") == "fixture.solution") {
        for (const auto& criterion : result.at("criteria").as_array()) {
          if (criterion.at("criterion") == "dependency_fit") {
            return criterion.at("value").to_number<double>();
          }
        }
      }
    }
    ADD_FAILURE() << "fixture.solution or its dependency_fit missing: " << reply.body;
    return -1.0;
  };
  const double before = dependency_fit(a);
  reply = a.request(verb::put, "/api/v1/endorsements/fixture.solution", R"({"kind": "operated_by_us"})",
                    bearer(curator));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_GT(dependency_fit(a), before);
  // Within one poll interval plus a reload (≈ 0.3 s here); the bound is generous because CI machines are loaded.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (dependency_fit(b) <= before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_GT(dependency_fit(b), before) << "the endorsement reaches the other host";

  // Demand signals: the publisher sees how often its solutions were shown, never by whom.
  std::this_thread::sleep_for(300ms);  // both hosts flush their counts every 100 ms here
  reply = a.request(verb::get, "/api/v1/demand", "", bearer(publisher));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const auto demand = json::parse(reply.body);
  bool shown = false;
  for (const auto& item : demand.at("solutions").as_array()) {
    EXPECT_EQ(item.at("provider_id"), "fixture-provider");
    shown = shown || (item.at("solution_id") == "fixture.solution" && item.at("shown").as_int64() > 0);
  }
  EXPECT_TRUE(shown) << reply.body;
  EXPECT_THAT(reply.body, ::testing::Not(HasSubstr("07131001")));

  // Withdrawing takes the solutions out everywhere.
  reply = a.request(verb::post, "/api/v1/plugins/" + std::to_string(v2_id) + "/withdraw",
                    R"({"reason": "end of life"})", bearer(publisher));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_FALSE(has_solution(a, "fixture.solution"));
  EXPECT_TRUE(eventually(b, "fixture.solution", false)) << second->log();

  load.stop();
  EXPECT_EQ(matches_failed.load(), 0);
  EXPECT_GT(matches_ok.load(), 0);
  std::cout << matches_ok.load() << " matches during publishing, " << matches_failed.load() << " failed\n";
  EXPECT_EQ(first->stop(), 0) << first->log();
  EXPECT_EQ(second->stop(), 0) << second->log();
}

// One upload of the corpus and the refusal it must get: the check that fails and a phrase of its reason.
struct corpus_case {
  std::string name;
  std::string bundle;
  std::string failed_check;
  std::string phrase;
};

TEST_P(publishing_flow, every_broken_upload_is_refused_with_its_reason_while_matches_go_on) {
  const auto publisher = create_token(database_->url(), "publisher", "fixture-co");
  const auto key = signing::secret_key::generate();
  const auto stranger = signing::secret_key::generate();
  auto host = start_host();
  http_client client("127.0.0.1", host.get()->port());
  ASSERT_EQ(client.request(verb::post, "/api/v1/publisher-keys", signing::public_key_json(key.public_part()),
                           bearer(publisher)).status, 201u);

  std::atomic<int> matches_ok = 0;
  std::atomic<int> matches_failed = 0;
  background_threads load;
  load.start([&] {
    http_client matcher("127.0.0.1", host->port());
    while (!load.stopping()) {
      const auto reply = matcher.request(verb::post, "/api/v1/match", match_request, {{"Content-Type", "application/json"}});
      (reply.status == 200 ? matches_ok : matches_failed) += 1;
    }
  });

  const auto fixture = [](const std::string& name) { return fixture_plugin_dir() / (name + ".so"); };
  const auto isolation = [](const std::string& name) { return fixture_plugin_dir() / "isolation" / (name + ".so"); };
  // Files that do not load are signed over an arbitrary manifest: the signature check passes, and the load check is
  // what refuses them. Loadable ones are signed over their real description (the SDK's serialization of describe()).
  const auto described = [&](const fs::path& library) {
    std::string log;
    // The check command prints nothing machine-readable about the bytes, so the sign command is used through a copy:
    // it signs exactly what the runner will report.
    const auto copy = database_->scratch() / ("signed-" + library.filename().string());
    fs::copy_file(library, copy, fs::copy_options::overwrite_existing);
    const auto keys = database_->scratch() / "corpus-keys";
    fs::create_directories(keys);
    if (!fs::exists(keys / "corpus.secret.json")) {
      EXPECT_EQ(run_command({"keys", "generate", "--out", keys.string(), "--name", "corpus"}, &log), 0) << log;
      client.request(verb::post, "/api/v1/publisher-keys", read_file(keys / "corpus.public.json"), bearer(publisher));
    }
    EXPECT_EQ(run_command({"plugin", "sign", "--key", (keys / "corpus.secret.json").string(), copy.string()}, &log), 0)
        << log;
    EXPECT_EQ(run_command({"plugin", "bundle", copy.string()}, &log), 0) << log;
    return read_file(copy.string() + ".bundle.json");
  };

  std::vector<corpus_case> corpus = {
      {"not an ELF", signed_bundle(key, fixture("not_an_elf"), "{}"), "load", "not a loadable shared library"},
      {"truncated ELF", signed_bundle(key, fixture("truncated_elf"), "{}"), "load", ""},
      {"missing entry point", signed_bundle(key, fixture("missing_entry"), "{}"), "load", "lotse_plugin_entry"},
      {"ABI major mismatch", signed_bundle(key, fixture("abi_major_mismatch"), "{}"), "load", "major"},
      {"minor too new", signed_bundle(key, fixture("abi_minor_too_new"), "{}"), "load", "minor"},
      {"description not JSON", signed_bundle(key, fixture("invalid_json"), "{}"), "load", "JSON"},
      {"initialiser aborts", signed_bundle(key, isolation("init_aborts"), "{}"), "load", "SIGABRT"},
      {"schema violations", described(fixture("schema_violations")), "schema", "9 error(s)"},
      {"duplicate ids", described(fixture("duplicate_ids")), "schema", "1 error(s)"},
      {"unregistered key", signed_bundle(stranger, fixture("valid_fixture"), "{}"), "signature", "key"},
      {"file changed after signing",
       [&] {
         auto bundle = json::parse(signed_bundle(key, fixture("valid_fixture"), "{}")).as_object();
         bundle["library"] = signing::to_base64(read_file(fixture("valid_fixture_v2")));
         return json::serialize(bundle);
       }(),
       "signature", "SHA-256"},
      {"description other than the signed one", signed_bundle(key, fixture("valid_fixture"), "{}"), "manifest", ""},
      {"no signature",
       [&] {
         auto bundle = json::parse(signed_bundle(key, fixture("valid_fixture"), "{}")).as_object();
         bundle.erase("signature");
         return json::serialize(bundle);
       }(),
       "bundle", ""},
      {"not a bundle", "{\"library\": 12}", "bundle", ""},
  };
  for (const auto& item : corpus) {
    const auto reply = client.request(verb::post, "/api/v1/plugins", item.bundle, bearer(publisher));
    EXPECT_EQ(reply.status, 422u) << item.name << ": " << reply.body;
    const auto body = json::parse(reply.body);
    const auto& checks = body.at("report").at("checks").as_array();
    ASSERT_FALSE(checks.empty()) << item.name;
    EXPECT_EQ(std::string(checks.back().at("check").as_string()), item.failed_check) << item.name << ": " << reply.body;
    EXPECT_EQ(checks.back().at("ok"), false) << item.name;
    EXPECT_THAT(std::string(body.at("detail").as_string()), HasSubstr(item.phrase)) << item.name << ": " << reply.body;
    EXPECT_FALSE(body.at("errors").as_array().empty()) << item.name;
    EXPECT_THAT(reply.body, ::testing::Not(HasSubstr("lotse-host-"))) << "the host's private paths stay private";
  }
  // Bundles above the default 1 MiB body limit reach the upload checks; above 20 MiB they are refused unread.
  const std::string junk(3 * 1024 * 1024, 'x');
  const auto junk_file = database_->scratch() / "junk.so";
  std::ofstream(junk_file, std::ios::binary) << junk;
  auto reply = client.request(verb::post, "/api/v1/plugins", signed_bundle(key, junk_file, "{}"), bearer(publisher));
  EXPECT_EQ(reply.status, 422u) << reply.body;
  EXPECT_THAT(reply.body, HasSubstr("\"check\":\"load\",\"ok\":false"));
  reply = client.request(verb::post, "/api/v1/plugins", std::string(21 * 1024 * 1024, ' '), bearer(publisher));
  EXPECT_EQ(reply.status, 413u);

  // The schema report lists every error with its pointer, the duplicate id among them.
  const auto duplicate = json::parse(client.request(verb::post, "/api/v1/plugins", corpus[8].bundle, bearer(publisher)).body);
  EXPECT_EQ(duplicate.at("errors").at(0).at("pointer"), "/solutions/1/id") << duplicate;

  // Nothing was stored; the host is healthy and served every match.
  EXPECT_TRUE(json::parse(client.request(verb::get, "/api/v1/plugins", "", bearer(publisher)).body)
                  .at("plugins").as_array().empty());
  load.stop();
  EXPECT_EQ(matches_failed.load(), 0);
  EXPECT_GT(matches_ok.load(), 0);
  EXPECT_EQ(host->stop(), 0) << host->log();
}

TEST_P(publishing_flow, a_provider_id_cannot_be_taken_over_by_another_publisher) {
  const auto owner = create_token(database_->url(), "publisher", "fixture-co");
  const auto intruder = create_token(database_->url(), "publisher", "intruder");
  const auto curator = create_token(database_->url(), "curator", "kommunal-it");
  const auto keys = database_->scratch() / "keys";
  fs::create_directories(keys);
  std::string log;
  ASSERT_EQ(run_command({"keys", "generate", "--out", keys.string(), "--name", "owner"}, &log), 0) << log;
  ASSERT_EQ(run_command({"keys", "generate", "--out", keys.string(), "--name", "intruder"}, &log), 0) << log;
  auto host = start_host();
  http_client client("127.0.0.1", host->port());
  ASSERT_EQ(client.request(verb::post, "/api/v1/publisher-keys", read_file(keys / "owner.public.json"), bearer(owner)).status, 201u);
  // Someone else's key cannot be registered a second time.
  EXPECT_EQ(client.request(verb::post, "/api/v1/publisher-keys", read_file(keys / "owner.public.json"), bearer(intruder)).status, 409u);
  ASSERT_EQ(client.request(verb::post, "/api/v1/publisher-keys", read_file(keys / "intruder.public.json"), bearer(intruder)).status, 201u);

  auto reply = client.request(verb::post, "/api/v1/plugins",
                              cli_bundle(fixture_plugin_dir() / "valid_fixture.so", keys / "owner.secret.json"), bearer(owner));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  ASSERT_EQ(client.request(verb::post, "/api/v1/plugins/" + std::to_string(json::parse(reply.body).at("id").as_int64()) + "/approve", "", bearer(curator)).status, 200u);

  // The same provider id from another publisher, signed with that publisher's own registered key: refused.
  reply = client.request(verb::post, "/api/v1/plugins",
                         cli_bundle(fixture_plugin_dir() / "valid_fixture_v2.so", keys / "intruder.secret.json"), bearer(intruder));
  EXPECT_EQ(reply.status, 422u) << reply.body;
  EXPECT_THAT(reply.body, HasSubstr("belongs to another publisher"));
  // Signed with the owner's key but uploaded by the intruder: the owner's key is not the intruder's.
  reply = client.request(verb::post, "/api/v1/plugins",
                         cli_bundle(fixture_plugin_dir() / "valid_fixture_v2.so", keys / "owner.secret.json"), bearer(intruder));
  EXPECT_EQ(reply.status, 422u) << reply.body;
  EXPECT_EQ(json::parse(reply.body).at("report").at("checks").as_array().back().at("check"), "signature");
  EXPECT_EQ(host->stop(), 0) << host->log();
}

// A host's own plugin directory: signed plugins load, unsigned ones only with --allow-unsigned-plugins, and a wrong
// signature never.
TEST(local_plugin_signatures, only_plugins_signed_with_a_trusted_key_load_unless_unsigned_ones_are_allowed) {
  temp_dir dir;
  const auto plugins = dir.path() / "plugins";
  const auto keys = dir.path() / "keys";
  fs::create_directories(plugins);
  fs::create_directories(keys);
  std::string log;
  ASSERT_EQ(run_command({"keys", "generate", "--out", keys.string(), "--name", "operator"}, &log), 0) << log;
  ASSERT_EQ(run_command({"keys", "generate", "--out", dir.path().string(), "--name", "untrusted"}, &log), 0) << log;
  fs::copy_file(fixture_plugin_dir() / "valid_fixture.so", plugins / "signed.so");
  fs::copy_file(example_plugin_dir() / "luftwerk_sensorik.so", plugins / "unsigned.so");
  fs::copy_file(example_plugin_dir() / "wegweiser_beratung.so", plugins / "wrong_key.so");
  ASSERT_EQ(run_command({"plugin", "sign", "--key", (keys / "operator.secret.json").string(), (plugins / "signed.so").string()}, &log), 0) << log;
  ASSERT_EQ(run_command({"plugin", "sign", "--key", (dir.path() / "untrusted.secret.json").string(), (plugins / "wrong_key.so").string()}, &log), 0) << log;

  const auto providers = [](host_process& host) {
    http_client client("127.0.0.1", host.port());
    std::vector<std::string> ids;
    const auto listed = json::parse(client.request(verb::get, "/api/v1/providers").body);
    for (const auto& p : listed.at("items").as_array()) {
      ids.emplace_back(p.at("id").as_string());
    }
    return ids;
  };
  {
    host_process host({"--db", "sqlite:" + (dir.path() / "strict.db").string(), "--plugins", plugins.string(),
                       "--trusted-keys", keys.string()});
    EXPECT_THAT(providers(host), ::testing::ElementsAre("fixture-provider"));
    EXPECT_EQ(host.lines_containing("unsigned.so refused").size(), 1u) << host.log();
    EXPECT_EQ(host.lines_containing("wrong_key.so refused").size(), 1u) << host.log();
    EXPECT_EQ(host.stop(), 0);
  }
  {
    host_process host({"--db", "sqlite:" + (dir.path() / "dev.db").string(), "--plugins", plugins.string(),
                       "--trusted-keys", keys.string(), "--allow-unsigned-plugins"});
    EXPECT_THAT(providers(host), ::testing::UnorderedElementsAre("fixture-provider", "luftwerk-sensorik"));
    EXPECT_EQ(host.lines_containing("wrong_key.so refused").size(), 1u) << host.log();
    EXPECT_EQ(host.stop(), 0);
  }
}

}  // namespace
}  // namespace lotse::test
