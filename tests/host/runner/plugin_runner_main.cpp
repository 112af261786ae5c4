// The plugin runner as the tests start it: the same function `lotse-host plugin-runner` runs, in a small binary.
#include "host/runner/plugin_runner.hpp"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return lotse::runner::run_plugin_runner(args, std::cout, std::cerr);
}
