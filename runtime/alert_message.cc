#include "runtime/alert_message.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace sluice {
namespace {

using nlohmann::json;

// Slack's mrkdwn gives &, < and > a meaning; everything else is literal.
std::string SlackEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

// Inside a ``` block a ``` of the error itself would end the block early.
std::string CodeBlock(std::string_view text) {
  std::string body = SlackEscape(text);
  for (size_t at = body.find("```"); at != std::string::npos; at = body.find("```", at)) {
    body.replace(at, 3, "`\u200b``");
  }
  return "```" + body + "```";
}

std::string AttemptText(const AlertRecord& a) {
  if (a.attempt <= 0) return "";
  std::string text = std::to_string(a.attempt);
  if (a.max_attempts > 0) text += "/" + std::to_string(a.max_attempts);
  return text;
}

std::string Subject(const AlertRecord& a) {
  std::string task = a.task_id.empty() ? "" : "task " + a.task_id + " of ";
  return task + "DAG " + a.dag_id;
}

// One line that says what happened; Slack shows it in notifications.
std::string Headline(const AlertRecord& a) {
  const std::string run = a.run_id.empty() ? "" : " (run " + a.run_id + ")";
  const std::string attempt = a.attempt > 0 ? ", attempt " + AttemptText(a) : "";
  if (a.kind == "failure") return Subject(a) + " failed" + attempt + run;
  if (a.kind == "retry") {
    const std::string when = a.retry_at.empty() ? "" : " at " + a.retry_at;
    return Subject(a) + " failed" + attempt + "; retrying" + when + run;
  }
  if (a.kind == "success") return Subject(a) + " succeeded" + run;
  if (a.kind == "recovery") return Subject(a) + " recovered: succeeded after a failure" + run;
  if (a.kind == "sla_miss") return Subject(a) + " missed its SLA" + run;
  if (a.kind == "dag_broken") {
    return "DAG file " + (a.file.empty() ? a.dag_id : a.file) + " is broken: " +
           (a.dag_id.empty() ? "its DAG" : "DAG " + a.dag_id) + " is not scheduled";
  }
  return Subject(a) + ": " + a.kind + run;
}

std::string Emoji(const std::string& kind) {
  if (kind == "failure" || kind == "dag_broken") return ":red_circle: ";
  if (kind == "retry" || kind == "sla_miss") return ":warning: ";
  return ":large_green_circle: ";
}

// "5 tasks failed in run R of DAG d: a, b, c, d, e" — the storm in one line.
std::string StormHeadline(const std::vector<AlertRecord>& alerts) {
  std::vector<std::string> tasks;
  bool all_failures = true;
  for (const AlertRecord& a : alerts) {
    if (std::find(tasks.begin(), tasks.end(), a.task_id) == tasks.end()) tasks.push_back(a.task_id);
    all_failures &= a.kind == "failure";
  }
  std::string list;
  for (const std::string& t : tasks) list += (list.empty() ? "" : ", ") + t;
  const AlertRecord& first = alerts.front();
  const std::string what = all_failures ? " failed" : " failed (some will be retried)";
  return std::to_string(tasks.size()) + " tasks" + what + " in run " + first.run_id +
         " of DAG " + first.dag_id + ": " + list;
}

json Section(const std::string& mrkdwn) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", mrkdwn}}}};
}

json Field(const std::string& name, const std::string& value) {
  return {{"type", "mrkdwn"}, {"text", "*" + name + "*\n" + SlackEscape(value)}};
}

json FieldsOf(const AlertRecord& a) {
  json fields = json::array();
  fields.push_back(Field("DAG", a.dag_id.empty() ? "(unknown)" : a.dag_id));
  if (!a.task_id.empty()) fields.push_back(Field("Task", a.task_id));
  if (!a.run_id.empty()) fields.push_back(Field("Run", a.run_id));
  if (a.attempt > 0) fields.push_back(Field("Attempt", AttemptText(a)));
  if (!a.logical_date.empty()) fields.push_back(Field("Logical date", a.logical_date));
  if (a.kind == "retry" && !a.retry_at.empty()) fields.push_back(Field("Next attempt", a.retry_at));
  if (!a.file.empty()) fields.push_back(Field("File", a.file));
  return {{"type", "section"}, {"fields", fields}};
}

std::string LogLink(const AlertRecord& a, std::string_view ui_url, const std::string& label) {
  const std::string url = AlertLogUrl(a, ui_url);
  return url.empty() ? "" : "<" + url + "|" + SlackEscape(label) + ">";
}

std::map<std::string, std::string> TemplateValuesOf(const std::vector<AlertRecord>& alerts,
                                                    std::string_view ui_url) {
  const AlertRecord& first = alerts.front();
  std::map<std::string, std::string> values = {
      {"dag", first.dag_id},       {"task", first.task_id},
      {"run_id", first.run_id},    {"attempt", std::to_string(first.attempt)},
      {"kind", first.kind},        {"error", first.error},
      {"log_url", AlertLogUrl(first, ui_url)}, {"logical_date", first.logical_date}};
  if (alerts.size() > 1) {
    std::string tasks, errors;
    for (const AlertRecord& a : alerts) {
      tasks += (tasks.empty() ? "" : ", ") + a.task_id;
      errors += (errors.empty() ? "" : "\n") + a.task_id + ": " + a.error;
    }
    values["task"] = tasks;
    values["error"] = errors;
  }
  return values;
}

}  // namespace

std::string AlertLogUrl(const AlertRecord& a, std::string_view ui_url) {
  if (a.run_id.empty() || a.task_id.empty() || a.attempt <= 0) return "";
  std::string base(ui_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/runs/" + a.run_id + "/tasks/" + a.task_id + "/attempts/" +
         std::to_string(a.attempt) + "/log";
}

std::string SlackPayload(const std::vector<AlertRecord>& alerts, std::string_view ui_url) {
  json blocks = json::array();
  std::string text;
  if (alerts.size() == 1) {
    const AlertRecord& a = alerts.front();
    text = Headline(a);
    blocks.push_back(Section(Emoji(a.kind) + "*" + SlackEscape(text) + "*"));
    blocks.push_back(FieldsOf(a));
    if (!a.error.empty()) blocks.push_back(Section(CodeBlock(a.error)));
    if (std::string link = LogLink(a, ui_url, "View the log of attempt " + AttemptText(a));
        !link.empty()) {
      blocks.push_back(Section(link));
    }
  } else {
    text = StormHeadline(alerts);
    blocks.push_back(Section(Emoji("failure") + "*" + SlackEscape(text) + "*"));
    // One section per task: its attempt, its error and its log (Slack allows 50 blocks).
    for (size_t i = 0; i < alerts.size() && i < 45; ++i) {
      const AlertRecord& a = alerts[i];
      std::string line = "*" + SlackEscape(a.task_id) + "* " +
                         (a.kind == "retry" ? "failed, will retry" : "failed") +
                         (a.attempt > 0 ? ", attempt " + AttemptText(a) : "");
      if (std::string link = LogLink(a, ui_url, "log"); !link.empty()) line += " · " + link;
      if (!a.error.empty()) line += "\n" + CodeBlock(a.error);
      // A section's text holds at most 3000 characters.
      if (line.size() > 2900) line = line.substr(0, 2890) + "…```";
      blocks.push_back(Section(line));
    }
  }
  json payload = {{"text", text}, {"blocks", blocks}};
  // Invalid UTF-8 (a binary error message) is replaced rather than making dump() throw.
  return payload.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<std::string> RenderAlertTemplate(std::string_view template_json,
                                        const std::map<std::string, std::string>& values) {
  std::string out;
  size_t at = 0;
  while (at < template_json.size()) {
    const size_t open = template_json.find("{{", at);
    if (open == std::string_view::npos) break;
    const size_t close = template_json.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return Status::Error("the alert template has a '{{' without '}}' at byte " +
                           std::to_string(open));
    }
    out.append(template_json.substr(at, open - at));
    std::string_view name = template_json.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    auto value = values.find(std::string(name));
    if (value == values.end()) {
      std::string known;
      for (std::string_view n : kAlertTemplateNames) known += (known.empty() ? "" : ", ") + std::string(n);
      return Status::Error("the alert template uses unknown name '{{ " + std::string(name) +
                           " }}'; the names are " + known);
    }
    // dump() of a string gives it quoted and escaped; the template supplies the quotes.
    const std::string quoted = json(value->second).dump(-1, ' ', false,
                                                        json::error_handler_t::replace);
    out.append(quoted, 1, quoted.size() - 2);
    at = close + 2;
  }
  out.append(template_json.substr(std::min(at, template_json.size())));
  return out;
}

Result<std::string> AlertBody(const std::vector<AlertRecord>& alerts, std::string_view ui_url) {
  const AlertRecord& first = alerts.front();
  if (first.template_json.empty()) return SlackPayload(alerts, ui_url);
  return RenderAlertTemplate(first.template_json, TemplateValuesOf(alerts, ui_url));
}

Status CheckAlertTemplate(std::string_view template_json) {
  std::map<std::string, std::string> sample;
  for (std::string_view name : kAlertTemplateNames) sample[std::string(name)] = "x\"\n";
  Result<std::string> rendered = RenderAlertTemplate(template_json, sample);
  if (!rendered.ok()) return rendered.status();
  if (!json::accept(*rendered)) {
    return Status::Error(
        "the alert template is not valid JSON once its {{ names }} are filled in; put each "
        "{{ name }} inside a JSON string, e.g. '{\"text\": \"{{ dag }} {{ kind }}\"}'");
  }
  return Status::Ok();
}

}  // namespace sluice
