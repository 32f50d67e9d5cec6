#include "runtime/alert_message.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/alert.h"

namespace sluice {
namespace {

using nlohmann::json;

AlertRecord Failure(const std::string& task, int attempt) {
  AlertRecord a;
  a.id = 7;
  a.kind = "failure";
  a.dag_id = "sales";
  a.run_id = "20261123T223501-3f9a0c";
  a.task_id = task;
  a.attempt = attempt;
  a.max_attempts = 3;
  a.error = "exit code 1: <no such table> & ```oops```";
  a.logical_date = "2026-11-23T00:00:00Z";
  return a;
}

// Every text a Slack message shows, blocks included, in one string.
std::string AllText(const json& payload) {
  std::string out = payload.at("text").get<std::string>();
  for (const json& block : payload.at("blocks")) {
    if (block.contains("text")) out += "\n" + block["text"]["text"].get<std::string>();
    if (block.contains("fields")) {
      for (const json& f : block["fields"]) out += "\n" + f["text"].get<std::string>();
    }
  }
  return out;
}

TEST(AlertMessageTest, SlackPayloadNamesDagTaskRunAttemptErrorAndLogLink) {
  const json payload = json::parse(SlackPayload({Failure("extract", 2)}, "https://ui.example/"));
  const std::string text = payload.at("text");
  EXPECT_NE(text.find("extract"), std::string::npos) << text;
  EXPECT_NE(text.find("sales"), std::string::npos) << text;
  EXPECT_NE(text.find("failed"), std::string::npos) << text;
  const std::string all = AllText(payload);
  EXPECT_NE(all.find("*Attempt*\n2/3"), std::string::npos) << all;
  EXPECT_NE(all.find("*Run*\n20261123T223501-3f9a0c"), std::string::npos) << all;
  EXPECT_NE(all.find("```exit code 1: &lt;no such table&gt; &amp; "), std::string::npos)
      << "the error in a code block, Slack-escaped: " << all;
  EXPECT_EQ(all.find("```oops```"), std::string::npos) << "an error's ``` must not end the block";
  EXPECT_NE(all.find("<https://ui.example/runs/20261123T223501-3f9a0c/tasks/extract/attempts/2/log|"),
            std::string::npos)
      << all;
}

TEST(AlertMessageTest, RunLevelAlertsHaveNoLogLinkNorAttempt) {
  AlertRecord success;
  success.kind = "recovery";
  success.dag_id = "sales";
  success.run_id = "r1";
  const json payload = json::parse(SlackPayload({success}, kDefaultUiUrl));
  const std::string all = AllText(payload);
  EXPECT_NE(all.find("recovered"), std::string::npos) << all;
  EXPECT_EQ(all.find("Attempt"), std::string::npos) << all;
  EXPECT_EQ(all.find("/log"), std::string::npos) << all;
  EXPECT_EQ(AlertLogUrl(success, kDefaultUiUrl), "");
}

TEST(AlertMessageTest, AStormIsOneMessageNamingEveryTask) {
  std::vector<AlertRecord> storm;
  for (const char* task : {"a", "b", "c"}) storm.push_back(Failure(task, 1));
  const json payload = json::parse(SlackPayload(storm, kDefaultUiUrl));
  EXPECT_EQ(payload.at("text"), "3 tasks failed in run 20261123T223501-3f9a0c of DAG sales: a, b, c");
  EXPECT_EQ(payload.at("blocks").size(), 4u) << "a headline and one section per task";
}

TEST(AlertMessageTest, TemplateValuesAreJsonEscaped) {
  AlertRecord a = Failure("load", 1);
  a.error = "bad \"quote\"\nand a newline";
  a.template_json = R"({"msg": "{{ dag }}/{{task}} {{ kind }}", "error": "{{ error }}", "log": "{{ log_url }}", "n": {{ attempt }}})";
  Result<std::string> body = AlertBody({a}, "http://ui");
  ASSERT_TRUE(body.ok()) << body.message();
  const json parsed = json::parse(*body);
  EXPECT_EQ(parsed.at("msg"), "sales/load failure");
  EXPECT_EQ(parsed.at("error"), "bad \"quote\"\nand a newline");
  EXPECT_EQ(parsed.at("log"), "http://ui/runs/20261123T223501-3f9a0c/tasks/load/attempts/1/log");
  EXPECT_EQ(parsed.at("n"), 1);
}

TEST(AlertMessageTest, TemplatesAreCheckedForNamesAndJson) {
  EXPECT_TRUE(CheckAlertTemplate(R"({"msg": "{{ dag }} {{ kind }}"})").ok());
  Status unknown = CheckAlertTemplate(R"({"msg": "{{ dagg }}"})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.message().find("'{{ dagg }}'"), std::string::npos) << unknown.message();
  EXPECT_NE(unknown.message().find("dag, task"), std::string::npos) << unknown.message();
  EXPECT_FALSE(CheckAlertTemplate(R"({"msg": {{ dag }}})").ok()) << "a value outside quotes";
  EXPECT_FALSE(CheckAlertTemplate(R"({"msg": "{{ dag }")").ok());
}

TEST(AlertMessageTest, ErrorExcerptKeepsTheFirstLinesAndSaysWhatWasCut) {
  EXPECT_EQ(ErrorExcerpt("short\n"), "short");
  std::string many;
  for (int i = 0; i < 100; ++i) many += "line " + std::to_string(i) + "\n";
  const std::string excerpt = ErrorExcerpt(many);
  EXPECT_EQ(excerpt.rfind("line 0\n", 0), 0u);
  EXPECT_NE(excerpt.find("line 24\n"), std::string::npos);
  EXPECT_EQ(excerpt.find("line 25\n"), std::string::npos);
  EXPECT_NE(excerpt.find("more bytes in the log"), std::string::npos);
  const std::string one_line(5000, 'x');
  EXPECT_LT(ErrorExcerpt(one_line).size(), kAlertErrorExcerptBytes + 100);
  const std::string utf8 = std::string(kAlertErrorExcerptBytes - 1, 'x') + "é and more";
  const std::string cut = ErrorExcerpt(utf8);
  EXPECT_TRUE(json::accept(json(cut).dump())) << "never cut inside a UTF-8 sequence";
  EXPECT_EQ(cut.find('\xc3'), std::string::npos);
}

}  // namespace
}  // namespace sluice
