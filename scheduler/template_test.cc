#include "scheduler/template.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TemplateValues Values() {
  TemplateValues values;
  values.params = {{"region", "eu"}};
  values.run_id = "manual__2024-03-01T06:00:00+01:00";
  values.ds = "2024-03-01";
  values.logical_date = "2024-03-01T06:00:00+01:00";
  values.data_interval_start = "2024-02-29T06:00:00+01:00";
  values.data_interval_end = "2024-03-01T06:00:00+01:00";
  values.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "TOKEN") return "s3cret";
    return std::nullopt;
  };
  return values;
}

TEST(TemplateTest, AcceptsEveryKnownNameWithOrWithoutSpaces) {
  EXPECT_TRUE(CheckTemplate("{{ds}} {{ run_id }} {{  logical_date  }} {{data_interval_start}} "
                            "{{ data_interval_end }} {{ params.region }} ${HOME} $$ $x",
                            {"region"})
                  .empty());
}

TEST(TemplateTest, UnknownNameSuggestsTheClosest) {
  const auto problems = CheckTemplate("/data/{{ dss }}.csv", {});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].offset, 6u);
  EXPECT_EQ(problems[0].what, "unknown template name 'dss'");
  EXPECT_EQ(problems[0].how_to_fix, "did you mean 'ds'?");
}

TEST(TemplateTest, UndeclaredParamIsAnError) {
  const auto problems = CheckTemplate("{{ params.regoin }} {{ params.other }}", {"region"});
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].how_to_fix, "did you mean 'params.region'?");
  EXPECT_EQ(problems[1].what, "unknown parameter 'params.other'");
}

TEST(TemplateTest, UnclosedBracesAreErrors) {
  EXPECT_EQ(CheckTemplate("echo {{ ds", {}).at(0).what, "unclosed '{{'");
  EXPECT_EQ(CheckTemplate("echo ${HOME", {}).at(0).what, "unclosed '${'");
}

TEST(TemplateTest, EmptyAndInvalidNamesAreErrors) {
  EXPECT_EQ(CheckTemplate("{{ }}", {}).size(), 1u);
  EXPECT_EQ(CheckTemplate("${1X}", {}).size(), 1u);
  EXPECT_EQ(CheckTemplate("${}", {}).size(), 1u);
}

TEST(TemplateTest, ReportsEveryProblemOfAText) {
  EXPECT_EQ(CheckTemplate("{{ a }} {{ b }} {{ ds }} {{ c", {}).size(), 3u);
}

TEST(TemplateTest, RendersNamesParamsAndEnvironment) {
  EXPECT_EQ(*RenderTemplate("/data/{{params.region}}/{{ ds }}/${TOKEN}", Values()),
            "/data/eu/2024-03-01/s3cret");
  EXPECT_EQ(*RenderTemplate("{{ data_interval_start }}..{{ data_interval_end }} {{ logical_date }}", Values()),
            "2024-02-29T06:00:00+01:00..2024-03-01T06:00:00+01:00 2024-03-01T06:00:00+01:00");
}

TEST(TemplateTest, DoubleDollarIsALiteralDollarAndLoneDollarStays) {
  EXPECT_EQ(*RenderTemplate("cost $$5, $${TOKEN}, $HOME", Values()), "cost $5, ${TOKEN}, $HOME");
}

TEST(TemplateTest, UnsetEnvironmentValueFailsNamingIt) {
  const Result<std::string> result = RenderTemplate("${DB_PASSWORD}", Values());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.message().find("'DB_PASSWORD'"), std::string::npos);
}

TEST(TemplateTest, UnknownNameFailsToRenderInsteadOfBecomingEmpty) {
  EXPECT_FALSE(RenderTemplate("{{ dss }}", Values()).ok());
  EXPECT_FALSE(RenderTemplate("{{ params.nope }}", Values()).ok());
  EXPECT_FALSE(RenderTemplate("{{ ds", Values()).ok());
}

TEST(TemplateTest, RendersEveryStringOfAConfigAndCollectsSecrets) {
  std::vector<std::string> secrets;
  const Result<std::string> json = RenderConfigJson(
      R"({"path": "/{{ ds }}.csv", "n": 3, "list": ["${TOKEN}"], "{{ ds }}": true})", Values(), &secrets);
  ASSERT_TRUE(json.ok()) << json.message();
  EXPECT_EQ(*json, R"({"list":["s3cret"],"n":3,"path":"/2024-03-01.csv","{{ ds }}":true})");
  EXPECT_EQ(secrets, std::vector<std::string>{"s3cret"});
}

TEST(TemplateTest, ConfigRenderErrorNamesTheSetting) {
  const Result<std::string> json = RenderConfigJson(R"({"env": {"A": "${MISSING}"}})", Values());
  ASSERT_FALSE(json.ok());
  EXPECT_NE(json.message().find("env.A"), std::string::npos);
  EXPECT_NE(json.message().find("'MISSING'"), std::string::npos);
}

TEST(TemplateTest, WatermarkIsKnownOnlyWhereTheTaskDeclaresOne) {
  const auto undeclared = CheckTemplate("id > {{ watermark }}", {});
  ASSERT_EQ(undeclared.size(), 1u);
  EXPECT_EQ(undeclared[0].what, "'{{ watermark }}' needs a `watermark:` on its task");
  EXPECT_TRUE(CheckTemplate("id > {{ watermark }}", {}, /*watermark_declared=*/true).empty());

  TemplateValues values = Values();
  EXPECT_FALSE(RenderTemplate("{{ watermark }}", values).ok()) << "no value outside such a task";
  values.watermark = "2024-02-29 23:59:59";
  Result<std::string> rendered = RenderTemplate("since {{ watermark }}", values);
  ASSERT_TRUE(rendered.ok()) << rendered.message();
  EXPECT_EQ(*rendered, "since 2024-02-29 23:59:59");
}

TEST(TemplateTest, TriggerFileIsKnownOnlyInAFileTriggeredDag) {
  const auto undeclared = CheckTemplate("load {{ trigger_file }}", {});
  ASSERT_EQ(undeclared.size(), 1u);
  EXPECT_EQ(undeclared[0].what, "'{{ trigger_file }}' needs a file trigger on the DAG");
  EXPECT_TRUE(CheckTemplate("load {{ trigger_file }}", {}, false, /*file_trigger_declared=*/true).empty());

  TemplateValues values = Values();
  values.trigger_file = "/data/incoming/orders-2024-03-01.csv";
  Result<std::string> rendered = RenderTemplate("load {{trigger_file}}", values);
  ASSERT_TRUE(rendered.ok()) << rendered.message();
  EXPECT_EQ(*rendered, "load /data/incoming/orders-2024-03-01.csv");
}

}  // namespace
}  // namespace sluice
