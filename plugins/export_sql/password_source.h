// Where export.sql's password comes from: an environment variable or a file, never the
// DAG file itself.
#ifndef SLUICE_PLUGINS_EXPORT_SQL_PASSWORD_SOURCE_H_
#define SLUICE_PLUGINS_EXPORT_SQL_PASSWORD_SOURCE_H_

#include <string>

namespace sluice::export_sql {

/// The password named by `password_env` (a variable name) or `password_file` (a path; one
/// trailing newline is dropped), or "" when both are empty. Throws sdk::Failure (pointing at
/// /password_env or /password_file) when the variable is unset or empty, or the file cannot
/// be read or is empty. Messages never contain the password.
std::string ReadPassword(const std::string& password_env, const std::string& password_file);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_PASSWORD_SOURCE_H_
