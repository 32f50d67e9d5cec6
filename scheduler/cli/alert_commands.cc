// `sluice alerts list`: the alert outbox — what was sent where, what is waiting, what failed.
// Webhooks are shown as written (`${SLACK_WEBHOOK_URL}`); the outbox never holds the URL.
#include <iostream>

#include <nlohmann/json.hpp>

#include "scheduler/cli/commands.h"
#include "scheduler/cli/table.h"
#include "scheduler/record_json.h"

namespace sluice::cli {
namespace {

std::string Subject(const AlertRecord& a) {
  if (a.kind == "dag_broken") return a.file.empty() ? a.dag_id : a.file;
  std::string subject = a.dag_id;
  if (!a.task_id.empty()) subject += "." + a.task_id;
  if (a.attempt > 0) subject += " #" + std::to_string(a.attempt);
  return subject;
}

// What happened to it, in a few words: "delivered", "pending, try 3 at ...", "-> #12".
std::string Outcome(const AlertRecord& a) {
  if (a.state == "collapsed") return "in the message of alert " + std::to_string(a.collapsed_into);
  std::string outcome = a.state;
  if (a.state == "pending" && a.attempts > 0) outcome += ", next try at " + a.next_attempt_at;
  if (a.state != "delivered" && !a.last_error.empty()) outcome += ": " + a.last_error;
  return outcome;
}

}  // namespace

int AlertsListCommand(CliContext& ctx, const AlertListOptions& options) {
  auto store = ctx.store();
  if (!store.ok()) {
    PrintError(store.message());
    return kExitFailed;
  }
  AlertFilter filter;
  filter.dag_id = options.dag_id;
  filter.run_id = options.run_id;
  filter.limit = options.limit;
  Result<std::vector<AlertRecord>> alerts = (*store)->ListAlerts(filter);
  if (!alerts.ok()) {
    PrintError(alerts.message());
    return kExitFailed;
  }
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const AlertRecord& a : *alerts) {
      out.push_back(AlertJson(a));
    }
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  if (alerts->empty()) {
    std::cout << "(no alerts" << (options.dag_id.empty() ? "" : " of DAG " + options.dag_id)
              << (options.run_id.empty() ? "" : " in run " + options.run_id)
              << "; routes are set by `alerts:` in DAG files and HOME/sluice.yaml)\n";
    return kExitOk;
  }
  Table table({"ID", "CREATED", "KIND", "SUBJECT", "RUN", "WEBHOOK", "TRIES", "STATE"});
  for (const AlertRecord& a : *alerts) {
    table.AddRow({std::to_string(a.id), a.created_at, a.kind, Subject(a), a.run_id, a.webhook,
                  std::to_string(a.attempts), Outcome(a)});
  }
  table.Print(std::cout);
  return kExitOk;
}

}  // namespace sluice::cli
