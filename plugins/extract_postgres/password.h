// Where extract.postgres gets its password (an environment variable or a secret file, never
// the DAG file) and how it keeps it out of every message.
#ifndef SLUICE_PLUGINS_EXTRACT_POSTGRES_PASSWORD_H_
#define SLUICE_PLUGINS_EXTRACT_POSTGRES_PASSWORD_H_

#include <optional>
#include <string>

namespace sluice::postgres {

/// Where the password comes from; both empty means no password (libpq may still find one in
/// ~/.pgpass, or the server may not ask).
struct PasswordSource {
  std::string env;   ///< the name of an environment variable holding it
  std::string file;  ///< a file holding it; one trailing line break is removed
};

/// Reads the password. Throws sdk::Failure, pointing at /password_env or /password_file, when
/// the variable is unset or empty or the file cannot be read or is empty.
std::optional<std::string> ReadPassword(const PasswordSource& source);

/// `text` with every occurrence of `secret` replaced by "***". A last line of defence: libpq's
/// messages are not meant to contain the password, and nothing of ours puts it in one.
std::string Redact(std::string text, const std::optional<std::string>& secret);

}  // namespace sluice::postgres

#endif  // SLUICE_PLUGINS_EXTRACT_POSTGRES_PASSWORD_H_
