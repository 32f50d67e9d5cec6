// Removing known secret values from text that users will read: attempt errors and logs.
#ifndef SLUICE_RUNTIME_REDACT_H_
#define SLUICE_RUNTIME_REDACT_H_

#include <string>
#include <vector>

#include "runtime/status.h"

namespace sluice {

/// What a secret is replaced by.
inline constexpr const char* kRedacted = "***";

/// Values shorter than this are not treated as secrets: redacting "eu" or "1" everywhere
/// would mangle logs and protect nothing.
inline constexpr size_t kMinSecretLength = 4;

/// `text` with every occurrence of every secret replaced by kRedacted, longest secrets first.
std::string Redact(std::string text, const std::vector<std::string>& secrets);

/// Rewrites the file at `path` redacted (temporary file, rename), when it holds a secret.
Status RedactFile(const std::string& path, const std::vector<std::string>& secrets);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_REDACT_H_
