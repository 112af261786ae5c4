// lotse-host's main program: configuration, then plugin -> loader -> store -> snapshot -> HTTP until a signal.
#pragma once

namespace lotse::app {

// Returns the process exit status: 0 after a graceful stop, 1 when start-up failed, 2 for bad usage.
int run(int argc, const char* const* argv);

}  // namespace lotse::app
