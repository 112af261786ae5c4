// lotse-host's command line: help, bad options and a bad database get a clear message and a distinct exit status.
#include "tests/integration/host_process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

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

// Each host copies plugins into a private directory of its own (/tmp/lotse-host-XXXXXX) and removes it when it
// stops; one killed with SIGKILL cannot, so the next host to start removes it.
TEST(host_cli, a_killed_hosts_private_directory_is_removed_by_the_next_host) {
  temp_dir dir;
  const auto private_dir_of = [](int pid) {
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
      std::ifstream pid_file(entry.path() / "pid");
      int owner = 0;
      if (entry.path().filename().string().starts_with("lotse-host-") && (pid_file >> owner) && owner == pid) {
        return entry.path();
      }
    }
    return std::filesystem::path();
  };
  const std::vector<std::string> args{"--db", "sqlite:" + (dir.path() / "lotse.db").string()};
  host_process first(args);
  const auto first_dir = private_dir_of(first.pid());
  ASSERT_FALSE(first_dir.empty());
  first.kill_now();
  ASSERT_TRUE(std::filesystem::exists(first_dir));
  host_process second(args);
  EXPECT_FALSE(std::filesystem::exists(first_dir));
  const auto second_dir = private_dir_of(second.pid());
  ASSERT_FALSE(second_dir.empty());
  EXPECT_EQ(second.stop(), 0);
  EXPECT_FALSE(std::filesystem::exists(second_dir)) << "a host that stops removes its own";
}

}  // namespace
}  // namespace lotse::test
