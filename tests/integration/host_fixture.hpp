// The fixture most integration tests share: a real lotse-host on an ephemeral port with a fresh database (the
// example plugins unless a suite says otherwise), a keep-alive client, and a check that it stops cleanly. Suites
// are parameterised over the backend: every test runs once on SQLite and once on PostgreSQL (…/sqlite,
// …/postgresql); LOTSE_INSTANTIATE_HOST_SUITE(suite) instantiates both.
#pragma once

#include "tests/integration/host_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace lotse::test {

class host_fixture : public ::testing::TestWithParam<backend> {
 protected:
  explicit host_fixture(bool with_example_plugins = true) : with_example_plugins_(with_example_plugins) {}

  void SetUp() override {
    LOTSE_REQUIRE_BACKEND(GetParam());
    database_ = std::make_unique<test_database>(GetParam());
    std::vector<std::string> args = {"--db", database_->url()};
    if (with_example_plugins_) {
      args.insert(args.end(), {"--allow-unsigned-plugins", "--plugins", example_plugin_dir().string()});
    }
    host_ = std::make_unique<host_process>(std::move(args));
    client_ = std::make_unique<http_client>("127.0.0.1", host_->port());
  }

  void TearDown() override {
    client_.reset();
    if (host_) {
      EXPECT_EQ(host_->stop(), 0) << host_->log();
    }
    host_.reset();
  }

  std::unique_ptr<test_database> database_;
  std::unique_ptr<host_process> host_;
  std::unique_ptr<http_client> client_;

 private:
  bool with_example_plugins_;
};

#define LOTSE_INSTANTIATE_HOST_SUITE(suite) \
  INSTANTIATE_TEST_SUITE_P(, suite, ::lotse::test::all_backends, ::lotse::test::backend_name)

}  // namespace lotse::test
