// The aggregate expressions and the configuration checks that `sluice dags validate` runs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aggregate_config.h"
#include "sluice/plugin.hpp"

namespace sluice::aggregate {
namespace {

std::vector<std::string> Problems(const nlohmann::json& config) {
  std::vector<std::string> problems;
  CheckAggregateConfig(config, [&](const std::string& path, const std::string& message) {
    problems.push_back(path + ": " + message);
  });
  return problems;
}

TEST(AggregateExpressionTest, ParsesEveryFunctionInAnyCase) {
  AggregateSpec spec;
  std::string error;
  ASSERT_TRUE(ParseAggregateExpression("qtd = count(*)", &spec, &error)) << error;
  EXPECT_EQ(spec.output_name, "qtd");
  EXPECT_EQ(spec.function, Function::kCountAll);
  ASSERT_TRUE(ParseAggregateExpression("n=COUNT( vlr )", &spec, &error)) << error;
  EXPECT_EQ(spec.function, Function::kCount);
  EXPECT_EQ(spec.column, "vlr");
  ASSERT_TRUE(ParseAggregateExpression("n_cartoes = count_distinct(id_cartao)", &spec, &error)) << error;
  EXPECT_EQ(spec.function, Function::kCountDistinct);
  ASSERT_TRUE(ParseAggregateExpression("\"valor total\" = Sum(\"vlr transacao\")", &spec, &error)) << error;
  EXPECT_EQ(spec.output_name, "valor total");
  EXPECT_EQ(spec.function, Function::kSum);
  EXPECT_EQ(spec.column, "vlr transacao");
  ASSERT_TRUE(ParseAggregateExpression("a = avg(x)", &spec, &error));
  EXPECT_EQ(spec.function, Function::kAvg);
  ASSERT_TRUE(ParseAggregateExpression("a = min(x)", &spec, &error));
  EXPECT_EQ(spec.function, Function::kMin);
  ASSERT_TRUE(ParseAggregateExpression("a = max(x)", &spec, &error));
  EXPECT_EQ(spec.function, Function::kMax);
}

TEST(AggregateExpressionTest, RejectsMalformedExpressionsSayingWhatToWrite) {
  AggregateSpec spec;
  std::string error;
  EXPECT_FALSE(ParseAggregateExpression("sum(vlr)", &spec, &error));
  EXPECT_NE(error.find("expected '=' after the name at '(vlr)'"), std::string::npos) << error;
  EXPECT_NE(error.find("write \"name = function(column)\""), std::string::npos) << error;
  EXPECT_FALSE(ParseAggregateExpression("t = median(vlr)", &spec, &error));
  EXPECT_EQ(error, "unknown function 'median'; use count, count_distinct, sum, avg, min or max");
  EXPECT_FALSE(ParseAggregateExpression("t = sum(*)", &spec, &error));
  EXPECT_EQ(error, "only count takes *; write sum(column)");
  EXPECT_FALSE(ParseAggregateExpression("t = sum(vlr", &spec, &error));
  EXPECT_NE(error.find("')' after the column at the end"), std::string::npos) << error;
  EXPECT_FALSE(ParseAggregateExpression("t = sum(vlr) + 1", &spec, &error));
  EXPECT_NE(error.find("expected the end at '+ 1'"), std::string::npos) << error;
}

TEST(AggregateConfigTest, ValidConfigurationParses) {
  const nlohmann::json config = nlohmann::json::parse(R"json({
    "input": "with_month",
    "group_by": ["id_associado", {"column": "data_movimento", "bucket": "month", "as": "mes_inicio"}],
    "aggregates": ["qtd = count(*)", "vlr_total = sum(vlr_transacao)"]})json");
  EXPECT_TRUE(Problems(config).empty());
  const AggregateTaskSpec spec = ParseAggregateConfig(config);
  EXPECT_EQ(spec.input, "with_month");
  ASSERT_EQ(spec.group_by.size(), 2u);
  EXPECT_EQ(spec.group_by[0].output_name, "id_associado");
  EXPECT_EQ(spec.group_by[1].bucket, Bucket::kMonth);
  EXPECT_EQ(spec.group_by[1].output_name, "mes_inicio");
  ASSERT_EQ(spec.aggregates.size(), 2u);
  EXPECT_EQ(spec.aggregates[1].config_path, "/aggregates/1");
}

TEST(AggregateConfigTest, OutputNamesMustBeDistinct) {
  const nlohmann::json config = nlohmann::json::parse(R"json({
    "group_by": ["mes", {"column": "data", "bucket": "day", "as": "mes"}],
    "aggregates": ["n = count(*)", "n = count(x)", "mes = max(x)", "broken"]})json");
  const auto problems = Problems(config);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0], "/group_by/1: output column 'mes' is already defined at /group_by/0; give each a distinct name");
  EXPECT_EQ(problems[1], "/aggregates/1: output column 'n' is already defined at /aggregates/0; give each a distinct name");
  EXPECT_EQ(problems[2].rfind("/aggregates/2: output column 'mes' is already defined at /group_by/0", 0), 0u);
  EXPECT_EQ(problems[3].rfind("/aggregates/3: expected '=' after the name at the end", 0), 0u) << problems[3];
  try {
    ParseAggregateConfig(config);
    FAIL() << "expected a failure";
  } catch (const sdk::Failure& f) {
    EXPECT_EQ(f.config_path(), "/group_by/1");
  }
}

TEST(AggregateConfigTest, TemplatesAreNotCheckedBeforeTheyAreRendered) {
  EXPECT_TRUE(Problems(nlohmann::json::parse(R"json({"aggregates": ["{{ params.expr }}"]})json")).empty());
}

// Every property carries a description (the validator shows it); every object forbids
// unknown keys.
void ExpectDescribedAndClosed(const nlohmann::json& schema, const std::string& at) {
  if (schema.contains("properties")) {
    EXPECT_EQ(schema.value("additionalProperties", true), false) << at;
    for (const auto& [name, property] : schema["properties"].items()) {
      EXPECT_TRUE(property.contains("description")) << at << "/" << name;
      ExpectDescribedAndClosed(property, at + "/" + name);
    }
  }
  if (schema.contains("items")) ExpectDescribedAndClosed(schema["items"], at + "/items");
  if (schema.contains("anyOf")) {
    for (size_t i = 0; i < schema["anyOf"].size(); ++i) {
      EXPECT_TRUE(schema["anyOf"][i].contains("description")) << at << "/anyOf/" << i;
      ExpectDescribedAndClosed(schema["anyOf"][i], at + "/anyOf/" + std::to_string(i));
    }
  }
}

TEST(AggregateConfigTest, SchemaDescribesEveryPropertyAndForbidsOthers) {
  const nlohmann::json schema = nlohmann::json::parse(kAggregateConfigSchema);
  ExpectDescribedAndClosed(schema, "");
  EXPECT_EQ(schema["required"], nlohmann::json({"aggregates"}));
}

}  // namespace
}  // namespace sluice::aggregate
