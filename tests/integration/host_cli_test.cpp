// lotse-host's command line: help, bad options and a bad database get a clear message and a distinct exit status.
#include "tests/integration/host_process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace lotse::test {
namespace {

using ::testing::HasSubstr;

TEST(host_cli, help_lists_every_option_with_its_environment_variable) {
  host_process help({"--help"}, false);
  EXPECT_EQ(help.wait(), 0);
  const auto text = help.log();
  for (const auto* option : {"--bind", "--port", "--db", "--plugins", "--threads", "--log-level"}) {
    EXPECT_THAT(text, HasSubstr(option));
  }
  for (const auto* variable : {"LOTSE_BIND", "LOTSE_PORT", "LOTSE_DB", "LOTSE_PLUGINS", "LOTSE_THREADS", "LOTSE_LOG_LEVEL"}) {
    EXPECT_THAT(text, HasSubstr(variable));
  }
}

TEST(host_cli, bad_options_exit_2_with_a_message) {
  host_process bad_port({"--port", "70000"}, false);
  EXPECT_EQ(bad_port.wait(), 2);
  EXPECT_THAT(bad_port.log(), HasSubstr("--port must be from 0 to 65535"));

  host_process unknown({"--colour", "blue"}, false);
  EXPECT_EQ(unknown.wait(), 2);
  EXPECT_THAT(unknown.log(), HasSubstr("colour"));

  host_process level({"--log-level", "loud"}, false);
  EXPECT_EQ(level.wait(), 2);
  EXPECT_THAT(level.log(), HasSubstr("--log-level"));
}

TEST(host_cli, an_unusable_database_exits_1_with_a_message) {
  host_process bad_db({"--db", "mysql://nowhere/x", "--port", "0"}, false);
  EXPECT_EQ(bad_db.wait(), 1);
  EXPECT_THAT(bad_db.log(), HasSubstr("cannot start"));

  host_process missing_dir({"--db", "sqlite:/nonexistent/dir/lotse.db", "--port", "0"}, false);
  EXPECT_EQ(missing_dir.wait(), 1);
}

TEST(host_cli, a_missing_plugin_directory_exits_1) {
  temp_dir dir;
  host_process host({"--db", "sqlite:" + (dir.path() / "lotse.db").string(), "--allow-unsigned-plugins", "--plugins",
                     (dir.path() / "no-such-dir").string(), "--port", "0"},
                    false);
  EXPECT_EQ(host.wait(), 1);
  EXPECT_THAT(host.log(), HasSubstr("no-such-dir"));
}

TEST(host_cli, environment_variables_configure_the_host) {
  temp_dir dir;
  ::setenv("LOTSE_DB", ("sqlite:" + (dir.path() / "env.db").string()).c_str(), 1);
  ::setenv("LOTSE_LOG_LEVEL", "debug", 1);
  host_process host({});
  ::unsetenv("LOTSE_DB");
  ::unsetenv("LOTSE_LOG_LEVEL");
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "env.db"));
  EXPECT_EQ(host.stop(), 0);
}

}  // namespace
}  // namespace lotse::test
