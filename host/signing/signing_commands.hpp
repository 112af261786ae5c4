// The signing commands of lotse-host, as functions from arguments to an exit status (0 done, 1 failed, 2 bad usage)
// so tests call them without a process. args are the words after the command's name.
//
//   keys generate --out DIR [--name NAME]       writes DIR/NAME.secret.json (0600) and DIR/NAME.public.json
//   plugin sign --key SECRET_KEY_FILE FILE [--out SIG]
//                                               loads FILE to get its description, writes the detached signature
//                                               (default FILE.sig)
#pragma once

#include <iosfwd>
#include <span>
#include <string>

namespace lotse::signing {

int run_keys_generate(std::span<const std::string> args, std::ostream& out, std::ostream& err);
int run_plugin_sign(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace lotse::signing
