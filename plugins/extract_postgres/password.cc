#include "password.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "sluice/plugin.hpp"

namespace sluice::postgres {

std::optional<std::string> ReadPassword(const PasswordSource& source) {
  if (!source.env.empty()) {
    const char* value = std::getenv(source.env.c_str());
    if (value == nullptr) {
      throw sdk::Failure("the environment variable " + source.env +
                             " (password_env) is not set; fix: export it in the environment "
                             "sluice runs in, or use password_file",
                         "/password_env");
    }
    if (*value == '\0') {
      throw sdk::Failure("the environment variable " + source.env +
                             " (password_env) is empty; fix: set it to the password",
                         "/password_env");
    }
    return std::string(value);
  }
  if (!source.file.empty()) {
    std::ifstream in(source.file, std::ios::binary);
    if (!in) {
      throw sdk::Failure("cannot read the password file " + source.file + ": " +
                             std::strerror(errno) +
                             "; fix: check the path and that sluice may read it",
                         "/password_file");
    }
    std::string password((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (password.ends_with('\n')) password.pop_back();
    if (password.ends_with('\r')) password.pop_back();
    if (password.empty()) {
      throw sdk::Failure("the password file " + source.file +
                             " is empty; fix: write the password into it",
                         "/password_file");
    }
    return password;
  }
  return std::nullopt;
}

std::string Redact(std::string text, const std::optional<std::string>& secret) {
  if (!secret || secret->empty()) return text;
  for (size_t at = text.find(*secret); at != std::string::npos;
       at = text.find(*secret, at + 3)) {
    text.replace(at, secret->size(), "***");
  }
  return text;
}

}  // namespace sluice::postgres
