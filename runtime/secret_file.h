// Secrets kept in files (DESIGN.md decision 7: `/run/secrets/...`, HOME/api-token): their
// content without the surrounding whitespace an editor or `echo` leaves.
#ifndef SLUICE_RUNTIME_SECRET_FILE_H_
#define SLUICE_RUNTIME_SECRET_FILE_H_

#include <optional>
#include <string>
#include <string_view>

namespace sluice {

/// `text` without leading and trailing spaces, tabs and line breaks.
std::string TrimWhitespace(std::string_view text);

/// The trimmed content of the file at `path`; nullopt when it cannot be read. The caller
/// words the error: it knows what the secret is for.
std::optional<std::string> ReadSecretFile(const std::string& path);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_SECRET_FILE_H_
