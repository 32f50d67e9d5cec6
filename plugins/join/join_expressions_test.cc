// The `on` / `select` language and the configuration checks that `sluice dags validate` runs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "join_config.h"
#include "join_expressions.h"
#include "sluice/plugin.hpp"

namespace sluice::join {
namespace {

std::vector<std::string> Problems(const nlohmann::json& config) {
  std::vector<std::string> problems;
  CheckJoinConfig(config, [&](const std::string& path, const std::string& message) {
    problems.push_back(path + ": " + message);
  });
  return problems;
}

nlohmann::json ThreeInputs() {
  return nlohmann::json::parse(R"({
    "from": {"input": "extract_movimento", "as": "m"},
    "join": [
      {"input": "extract_cartao", "as": "c", "on": "m.id_cartao = c.id"},
      {"input": "extract_conta", "as": "co", "type": "left", "on": "c.id_conta = co.id"}
    ]})");
}

TEST(OnClauseTest, ParsesEqualitiesJoinedByAndInAnyCase) {
  std::vector<Equality> eq;
  std::string error;
  ASSERT_TRUE(ParseOnClause("co.id_associado = a.id AND c.id_associado=a.id and x.\"odd col\" = a.y", &eq, &error))
      << error;
  ASSERT_EQ(eq.size(), 3u);
  EXPECT_EQ(eq[0].first.alias, "co");
  EXPECT_EQ(eq[0].first.column, "id_associado");
  EXPECT_EQ(eq[0].second.alias, "a");
  EXPECT_EQ(eq[0].second.column, "id");
  EXPECT_EQ(eq[1].first.alias, "c");
  EXPECT_EQ(eq[2].first.column, "odd col");
  EXPECT_EQ(eq[2].second.column, "y");
}

TEST(OnClauseTest, RejectsWhatIsNotAnEqualityOfColumns) {
  std::vector<Equality> eq;
  std::string error;
  EXPECT_FALSE(ParseOnClause("m.id_cartao c.id", &eq, &error));
  EXPECT_NE(error.find("expected '=' between two columns at 'c.id'"), std::string::npos) << error;
  EXPECT_FALSE(ParseOnClause("m.id = c", &eq, &error));
  EXPECT_NE(error.find("'.' after the alias"), std::string::npos) << error;
  EXPECT_FALSE(ParseOnClause("m.id = c.id or m.x = c.x", &eq, &error));
  EXPECT_NE(error.find("only equalities joined by 'and'"), std::string::npos) << error;
  EXPECT_FALSE(ParseOnClause("m.id = c.id and", &eq, &error));
  EXPECT_NE(error.find("at the end"), std::string::npos) << error;
  EXPECT_FALSE(ParseOnClause("m.\"id = c.id", &eq, &error));
  EXPECT_NE(error.find("never closed"), std::string::npos) << error;
}

TEST(SelectItemTest, ParsesColumnRenameAndStar) {
  SelectItem item;
  std::string error;
  ASSERT_TRUE(ParseSelectItem("a.nome as nome_associado", &item, &error)) << error;
  EXPECT_EQ(item.alias, "a");
  EXPECT_EQ(item.column, "nome");
  EXPECT_EQ(item.output_name, "nome_associado");
  ASSERT_TRUE(ParseSelectItem("  m.data_movimento ", &item, &error)) << error;
  EXPECT_EQ(item.column, "data_movimento");
  EXPECT_EQ(item.output_name, "");
  ASSERT_TRUE(ParseSelectItem("c.*", &item, &error)) << error;
  EXPECT_TRUE(item.all_columns());
  ASSERT_TRUE(ParseSelectItem("c.x AS \"with space\"", &item, &error)) << error;
  EXPECT_EQ(item.output_name, "with space");
}

TEST(SelectItemTest, RejectsMalformedItems) {
  SelectItem item;
  std::string error;
  EXPECT_FALSE(ParseSelectItem("nome", &item, &error));
  EXPECT_NE(error.find("alias.column"), std::string::npos) << error;
  EXPECT_FALSE(ParseSelectItem("a.nome as", &item, &error));
  EXPECT_FALSE(ParseSelectItem("a.nome nome2", &item, &error));
  EXPECT_FALSE(ParseSelectItem("a.* as x", &item, &error));
}

TEST(JoinConfigTest, ValidConfigurationHasNoProblems) {
  EXPECT_TRUE(Problems(ThreeInputs()).empty());
  const JoinSpec spec = ParseJoinConfig(ThreeInputs());
  ASSERT_EQ(spec.inputs.size(), 3u);
  EXPECT_EQ(spec.inputs[2].type, JoinType::kLeft);
  EXPECT_EQ(spec.inputs[1].type, JoinType::kInner);
  // Oriented: build side is the input being joined, whichever side it was written on.
  nlohmann::json reversed = ThreeInputs();
  reversed["join"][0]["on"] = "c.id = m.id_cartao";
  const JoinSpec r = ParseJoinConfig(reversed);
  EXPECT_EQ(r.inputs[1].keys[0].build.alias, "c");
  EXPECT_EQ(r.inputs[1].keys[0].probe.column, "id_cartao");
}

TEST(JoinConfigTest, AliasDefaultsToTheTaskIdWhenItIsAName) {
  nlohmann::json config = nlohmann::json::parse(R"({
    "from": {"input": "movs"}, "join": [{"input": "cards", "on": "movs.card = cards.id"}]})");
  EXPECT_TRUE(Problems(config).empty());
  EXPECT_EQ(ParseJoinConfig(config).inputs[1].alias, "cards");
  config["join"][0]["input"] = "extract.cards";
  config["join"][0]["on"] = "movs.card = x.id";
  const auto problems = Problems(config);
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0].find("/join/0/input: task id 'extract.cards' cannot serve as an alias"), std::string::npos)
      << problems[0];
}

TEST(JoinConfigTest, DuplicateAliasesAreReportedAtTheSecond) {
  nlohmann::json config = ThreeInputs();
  config["join"][1]["as"] = "c";
  config["join"][1]["on"] = "m.x = c.id";
  const auto problems = Problems(config);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0], "/join/1/as: alias 'c' is already used by /join/0; give each input its own alias with `as:`");
}

TEST(JoinConfigTest, OnMustPairTheJoinedInputWithAnEarlierOne) {
  nlohmann::json config = ThreeInputs();
  config["join"][0]["on"] = "m.id_cartao = co.id";  // co is joined later
  auto problems = Problems(config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("/join/0/on: 'm.id_cartao = co.id' does not mention c"), std::string::npos)
      << problems[0];
  config["join"][0]["on"] = "c.id_cartao = co.id";
  problems = Problems(config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("alias 'co' is joined after c; move this condition to its entry"), std::string::npos)
      << problems[0];
  config["join"][0]["on"] = "c.id = c.id2";
  problems = Problems(config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("compares c with itself"), std::string::npos) << problems[0];
  config["join"][0]["on"] = "c.id = zz.id";
  problems = Problems(config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("alias 'zz' is not an input of this join; inputs joined before c: m"),
            std::string::npos)
      << problems[0];
}

TEST(JoinConfigTest, SelectMustParseNameKnownAliasesAndAvoidDuplicates) {
  nlohmann::json config = ThreeInputs();
  config["select"] = {"m.id", "c.id", "x.id", "m.", "co.*"};
  const auto problems = Problems(config);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_NE(problems[0].find("/select/1: output column 'id' is selected twice"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("/select/2: alias 'x' is not an input of this join; use one of m, c, co"),
            std::string::npos)
      << problems[1];
  EXPECT_NE(problems[2].find("/select/3: expected a column name or '*'"), std::string::npos) << problems[2];
}

TEST(JoinConfigTest, TemplatesAreNotCheckedBeforeTheyAreRendered) {
  nlohmann::json config = ThreeInputs();
  config["join"][0]["on"] = "{{ params.condition }}";
  config["select"] = {"{{ params.column }}"};
  EXPECT_TRUE(Problems(config).empty());
}

TEST(JoinConfigTest, ParseThrowsTheFirstProblemWithItsPath) {
  nlohmann::json config = ThreeInputs();
  config["join"][1]["on"] = "c.id_conta == co.id";
  try {
    ParseJoinConfig(config);
    FAIL() << "expected a failure";
  } catch (const sdk::Failure& f) {
    EXPECT_EQ(f.config_path(), "/join/1/on");
  }
}

// Every property in the schema must carry a description (the validator shows it), and
// every object must forbid unknown keys.
void ExpectDescribedAndClosed(const nlohmann::json& schema, const std::string& at) {
  if (schema.contains("properties")) {
    EXPECT_EQ(schema.value("additionalProperties", true), false) << at;
    for (const auto& [name, property] : schema["properties"].items()) {
      EXPECT_TRUE(property.contains("description")) << at << "/" << name;
      ExpectDescribedAndClosed(property, at + "/" + name);
    }
  }
  if (schema.contains("items")) ExpectDescribedAndClosed(schema["items"], at + "/items");
}

TEST(JoinConfigTest, SchemaDescribesEveryPropertyAndForbidsOthers) {
  const nlohmann::json schema = nlohmann::json::parse(kJoinConfigSchema);
  ExpectDescribedAndClosed(schema, "");
  EXPECT_EQ(schema["required"], nlohmann::json({"from", "join"}));
}

}  // namespace
}  // namespace sluice::join
