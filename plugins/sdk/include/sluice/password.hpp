// Where a plugin's database password comes from: an environment variable or a file, never
// the DAG file itself (DESIGN: secrets). Header-only.
#ifndef SLUICE_PASSWORD_HPP_
#define SLUICE_PASSWORD_HPP_

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "sluice/plugin.hpp"

namespace sluice::sdk {

/// The password named by `password_env` (a variable name) or `password_file` (a path; one
/// trailing newline is dropped), or "" when both are empty. Throws sdk::Failure (pointing at
/// /password_env or /password_file) when the variable is unset or empty, or the file cannot
/// be read or is empty. Messages never contain the password.
inline std::string ReadPassword(const std::string& password_env, const std::string& password_file) {
  if (!password_env.empty()) {
    const char* value = std::getenv(password_env.c_str());
    if (value == nullptr) {
      throw sdk::Failure("the environment variable " + password_env +
                             " (password_env) is not set; fix: export it where sluice runs, "
                             "or use password_file",
                         "/password_env");
    }
    if (*value == '\0') {
      throw sdk::Failure("the environment variable " + password_env +
                             " (password_env) is empty; fix: set it to the database password",
                         "/password_env");
    }
    return value;
  }
  if (password_file.empty()) return "";
  errno = 0;
  std::ifstream in(password_file, std::ios::binary);
  if (!in) {
    throw sdk::Failure("cannot read password_file " + password_file + ": " +
                           std::strerror(errno != 0 ? errno : ENOENT) +
                           "; fix: check the path and that sluice's user may read it",
                       "/password_file");
  }
  std::string password((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (password.ends_with('\n')) password.pop_back();
  if (password.ends_with('\r')) password.pop_back();
  if (password.empty()) {
    throw sdk::Failure("password_file " + password_file +
                           " is empty; fix: write the database password into it",
                       "/password_file");
  }
  return password;
}

}  // namespace sluice::sdk

#endif  // SLUICE_PASSWORD_HPP_
