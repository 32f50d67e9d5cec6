#include "runtime/webhook_reference.h"

#include <cstdlib>
#include <utility>

#include "runtime/secret_file.h"

namespace sluice {
namespace {

bool IsEnvNameChar(char c, bool first) {
  return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (!first && c >= '0' && c <= '9');
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Status CheckWebhookReference(std::string_view written) {
  if (written.substr(0, kWebhookFilePrefix.size()) == kWebhookFilePrefix) {
    if (written.size() > kWebhookFilePrefix.size() && written[kWebhookFilePrefix.size()] == '/') {
      return Status::Ok();
    }
    return Status::Error("a webhook file must be an absolute path, e.g. "
                         "'file:/run/secrets/slack_webhook'");
  }
  const size_t open = written.find("${");
  if (open != std::string_view::npos && written.find('}', open) != std::string_view::npos) {
    return Status::Ok();
  }
  return Status::Error(
      "the webhook URL is written in the file; it is a secret (anyone holding it can post to "
      "the channel) — put it in an environment variable and write "
      "'webhook: \"${SLACK_WEBHOOK_URL}\"', or in a file and write "
      "'webhook: file:/run/secrets/slack_webhook'");
}

Result<std::string> ResolveWebhook(std::string_view written, const EnvLookup& env) {
  std::string url;
  if (written.substr(0, kWebhookFilePrefix.size()) == kWebhookFilePrefix) {
    const std::string path(written.substr(kWebhookFilePrefix.size()));
    std::optional<std::string> content = ReadSecretFile(path);
    if (!content) {
      return Status::Error("cannot read the webhook file " + path +
                           "; check that it exists and that sluice may read it");
    }
    url = std::move(*content);
  } else {
    for (size_t at = 0; at < written.size();) {
      const size_t open = written.find("${", at);
      if (open == std::string_view::npos) {
        url.append(written.substr(at));
        break;
      }
      const size_t close = written.find('}', open + 2);
      if (close == std::string_view::npos) {
        return Status::Error("the webhook " + std::string(written) + " has '${' without '}'");
      }
      url.append(written.substr(at, open - at));
      const std::string name(written.substr(open + 2, close - open - 2));
      bool valid = !name.empty();
      for (size_t i = 0; i < name.size(); ++i) valid &= IsEnvNameChar(name[i], i == 0);
      if (!valid) {
        return Status::Error("the webhook " + std::string(written) + " names '" + name +
                             "', which is not an environment variable name");
      }
      std::optional<std::string> value = env(name);
      if (!value || value->empty()) {
        return Status::Error("environment variable " + name + " is not set (webhook " +
                             std::string(written) +
                             "); set it in the environment of the process that delivers "
                             "alerts (`sluice scheduler`, `sluice run`)");
      }
      url += *value;
      at = close + 1;
    }
  }
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
    return Status::Error("the webhook " + std::string(written) +
                         " does not resolve to an http:// or https:// URL; check its value");
  }
  return url;
}

}  // namespace sluice
