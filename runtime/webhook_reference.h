// A route's webhook as written in a file: never the URL itself (it is a secret, DESIGN.md
// decision 7) but where to find it — `${ENV}` references, or `file:/run/secrets/NAME`.
// Resolved only when an alert is delivered, so the URL is never stored nor logged.
#ifndef SLUICE_RUNTIME_WEBHOOK_REFERENCE_H_
#define SLUICE_RUNTIME_WEBHOOK_REFERENCE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/status.h"

namespace sluice {

/// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
/// The process environment (getenv).
EnvLookup ProcessEnv();

/// The prefix of a webhook read from a file: `file:/run/secrets/slack_webhook`.
inline constexpr std::string_view kWebhookFilePrefix = "file:";

/// Ok when `written` is a reference (`${NAME}` somewhere in it, or `file:ABSOLUTE_PATH`);
/// otherwise says why a literal URL is refused and what to write instead.
Status CheckWebhookReference(std::string_view written);

/// The URL `written` stands for now. Fails naming the unset variable or unreadable file, or
/// when the result is not an http(s) URL; the message never holds the URL.
Result<std::string> ResolveWebhook(std::string_view written, const EnvLookup& env);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_WEBHOOK_REFERENCE_H_
