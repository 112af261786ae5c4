// lotse-host: deliberately thin; everything lives in the host/ libraries so tests can use it without a process.
#include "host/app/application.hpp"

int main(int argc, char** argv) { return lotse::app::run(argc, argv); }
