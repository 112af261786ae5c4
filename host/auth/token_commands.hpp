// The token commands of lotse-host, as functions from arguments to an exit status (0 done, 1 failed, 2 bad usage)
// so tests call them without a process. args are the words after the command's name. --db defaults to LOTSE_DB,
// then sqlite:lotse.db, like the other commands.
//
//   token create --role ROLE [--org ID] [--name NAME] [--label TEXT] [--valid-days N] [--db URL]
//                        prints the new token alone on the first line of stdout (for `| head -1`), then its id,
//                        role, organisation and expiry; the token is shown this once and never stored
//   token revoke ID [--db URL]
//   token list [--db URL]
//                        every token's id, role, organisation, label, creation, expiry and revocation (never a token)
#pragma once

#include <iosfwd>
#include <span>
#include <string>

namespace lotse::auth {

int run_token_create(std::span<const std::string> args, std::ostream& out, std::ostream& err);
int run_token_revoke(std::span<const std::string> args, std::ostream& out, std::ostream& err);
int run_token_list(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace lotse::auth
