#include "scheduler/alert_routes.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include "runtime/alert_message.h"
#include "runtime/webhook_reference.h"
#include "scheduler/dag_values.h"
#include "scheduler/suggest.h"

namespace sluice {
namespace {

const std::vector<std::string>& RouteKeys() {
  static const std::vector<std::string> kKeys = {"webhook", "on", "template"};
  return kKeys;
}

std::string KindList() {
  std::string list;
  for (std::string_view kind : kAlertKinds) list += (list.empty() ? "" : ", ") + std::string(kind);
  return list;
}

void ReadKind(const YAML::Node& node, const std::string& where, AlertRoute& route,
              ProblemList& problems) {
  if (!node.IsScalar()) {
    problems.Add(PositionOf(node), "an event kind " + where + " must be a word, got " +
                                       DescribeYamlValue(node),
                 "use one of " + KindList());
    return;
  }
  const std::string kind = node.Scalar();
  if (!IsAlertKind(kind)) {
    std::vector<std::string> kinds(std::begin(kAlertKinds), std::end(kAlertKinds));
    std::optional<std::string> closest = ClosestName(kind, kinds);
    problems.Add(PositionOf(node), "unknown event kind '" + kind + "' " + where,
                 closest ? "did you mean '" + *closest + "'?" : "use one of " + KindList());
    return;
  }
  if (std::find(route.on.begin(), route.on.end(), kind) != route.on.end()) {
    problems.Add(PositionOf(node), "event kind '" + kind + "' is listed twice " + where,
                 "remove one of them");
    return;
  }
  route.on.push_back(kind);
}

std::optional<AlertRoute> ReadRoute(const YAML::Node& entry, const std::string& where,
                                    ProblemList& problems) {
  if (!entry.IsMap()) {
    problems.Add(PositionOf(entry),
                 "the route " + where + " must be a mapping with `webhook` and `on`, got " +
                     DescribeYamlValue(entry),
                 "write e.g. '- {webhook: \"${SLACK_WEBHOOK_URL}\", on: [failure]}'");
    return std::nullopt;
  }
  AlertRoute route;
  bool ok = true, has_webhook = false, has_on = false;
  ForEachKnownKey(entry, RouteKeys(), where, problems,
                  [&](const std::string& name, const YAML::Node& key, const YAML::Node& value) {
    if (name == "webhook") {
      has_webhook = true;
      std::optional<std::string> webhook = ReadScalar(
          key, value, where, "text", "write 'webhook: \"${SLACK_WEBHOOK_URL}\"'", problems);
      if (!webhook) {
        ok = false;
        return;
      }
      if (Status s = CheckWebhookReference(*webhook); !s.ok()) {
        // The message must not repeat the URL: it is a secret, and errors are logged.
        problems.Add(PositionOf(value), "`webhook` " + where + ": " + s.message());
        ok = false;
        return;
      }
      route.webhook = *webhook;
    } else if (name == "on") {
      has_on = true;
      const size_t before = route.on.size();
      if (value.IsSequence()) {
        for (const YAML::Node& kind : value) ReadKind(kind, where, route, problems);
      } else if (value.IsScalar()) {
        ReadKind(value, where, route, problems);
      } else {
        problems.Add(PositionOf(value, key),
                     "`on` " + where + " must be a list of event kinds, got " + DescribeYamlValue(value),
                     "write e.g. 'on: [failure, retry, recovery]'; the kinds are " + KindList());
      }
      if (route.on.size() == before) ok = false;
    } else if (name == "template") {
      std::optional<std::string> text = ReadScalar(
          key, value, where, "text (a JSON document)",
          "quote it: 'template: '{\"msg\": \"{{ dag }} {{ kind }}\"}''", problems);
      if (!text) {
        ok = false;
        return;
      }
      if (Status s = CheckAlertTemplate(*text); !s.ok()) {
        problems.Add(PositionOf(value), "`template` " + where + ": " + s.message());
        ok = false;
        return;
      }
      route.template_json = *text;
    }
  });
  if (!has_webhook) {
    problems.Add(PositionOf(entry), "no `webhook` " + where,
                 "add 'webhook: \"${SLACK_WEBHOOK_URL}\"' (an environment variable holding the URL)");
    ok = false;
  }
  if (!has_on) {
    problems.Add(PositionOf(entry), "no `on` " + where,
                 "add the events it is for, e.g. 'on: [failure, retry, recovery]'; the kinds are " +
                     KindList());
    ok = false;
  }
  if (!ok) return std::nullopt;
  return route;
}

}  // namespace

std::vector<AlertRoute> ReadAlertRoutes(const YAML::Node& key, const YAML::Node& value,
                                        const std::string& where, ProblemList& problems) {
  std::vector<AlertRoute> routes;
  if (value.IsNull()) return routes;
  if (!value.IsSequence()) {
    problems.Add(PositionOf(value, key),
                 "`alerts` " + where + " must be a list of routes, got " + DescribeYamlValue(value),
                 "write e.g. 'alerts: [{webhook: \"${SLACK_WEBHOOK_URL}\", on: [failure]}]'");
    return routes;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string entry_where = "in `alerts` entry " + std::to_string(i + 1) +
                                    (where.empty() ? "" : " " + where);
    if (std::optional<AlertRoute> route = ReadRoute(value[i], entry_where, problems)) {
      routes.push_back(std::move(*route));
    }
  }
  return routes;
}

}  // namespace sluice
