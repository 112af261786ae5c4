// The fixture most integration tests share: a real lotse-host on an ephemeral port with a fresh SQLite file (and
// the example plugins unless a suite says otherwise), a keep-alive client, and a check that it stops cleanly.
#pragma once

#include "tests/integration/host_process.hpp"
#include "tests/support/http_client.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace lotse::test {

class host_fixture : public ::testing::Test {
 protected:
  explicit host_fixture(bool with_example_plugins = true) : with_example_plugins_(with_example_plugins) {}

  void SetUp() override {
    std::vector<std::string> args = {"--db", "sqlite:" + (dir_.path() / "lotse.db").string()};
    if (with_example_plugins_) {
      args.insert(args.end(), {"--plugins", example_plugin_dir().string()});
    }
    host_ = std::make_unique<host_process>(std::move(args));
    client_ = std::make_unique<http_client>("127.0.0.1", host_->port());
  }

  void TearDown() override {
    client_.reset();
    EXPECT_EQ(host_->stop(), 0) << host_->log();
  }

  temp_dir dir_;
  std::unique_ptr<host_process> host_;
  std::unique_ptr<http_client> client_;

 private:
  bool with_example_plugins_;
};

}  // namespace lotse::test
