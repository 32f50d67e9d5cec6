#include "scheduler/config_schema.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scheduler/fake_plugin_catalog_test_util.h"

namespace sluice {
namespace {

using Kind = SchemaViolation::Kind;

std::vector<SchemaViolation> Check(const char* schema, const char* config) {
  Result<std::shared_ptr<const ConfigSchema>> compiled = ConfigSchema::Compile(schema);
  EXPECT_TRUE(compiled.ok()) << compiled.message();
  return (*compiled)->Validate(nlohmann::json::parse(config));
}

TEST(ConfigSchemaTest, AcceptsAValidConfig) {
  EXPECT_TRUE(Check(kExtractCsvSchema, R"({"path": "a.csv", "header": true})").empty());
}

TEST(ConfigSchemaTest, ReportsEveryUnknownKeyWithTheKnownOnes) {
  const auto violations = Check(kShellSchema, R"({"command": "x", "cmd": 1, "dir": "/"})");
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].kind, Kind::kUnknownKey);
  EXPECT_EQ(violations[0].key, "cmd");
  EXPECT_EQ(violations[1].key, "dir");
  EXPECT_EQ(violations[0].allowed, (std::vector<std::string>{"command", "cwd", "env"}));
}

TEST(ConfigSchemaTest, ReportsMissingRequiredKeysAtTheirObject) {
  const auto violations = Check(kExtractCsvSchema, R"({"path": "a", "columns": [{"name": "x"}]})");
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].kind, Kind::kMissingKey);
  EXPECT_EQ(violations[0].key, "type");
  EXPECT_EQ(violations[0].path, (JsonPath{"columns", "0"}));
}

TEST(ConfigSchemaTest, ReportsWrongTypesWithTheExpectedType) {
  const auto violations = Check(kExtractCsvSchema, R"({"path": 1, "header": "yes"})");
  ASSERT_EQ(violations.size(), 2u);
  for (const SchemaViolation& v : violations) EXPECT_EQ(v.kind, Kind::kWrongType);
  EXPECT_EQ(violations[0].allowed.at(0) == "string" ? violations[1].allowed.at(0)
                                                    : violations[0].allowed.at(0),
            "boolean");
}

TEST(ConfigSchemaTest, ReportsTooLongStringsWithTheLimit) {
  const auto violations = Check(kExportCsvSchema, R"({"path": "a", "delimiter": ";;"})");
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].kind, Kind::kTooLong);
  EXPECT_EQ(violations[0].limit, 1);
  EXPECT_EQ(violations[0].path, JsonPath{"delimiter"});
}

TEST(ConfigSchemaTest, ReportsEnumViolationsWithTheAllowedValues) {
  const auto violations =
      Check(R"({"type": "object", "properties": {"mode": {"enum": ["append", "replace"]}}})",
            R"({"mode": "apend"})");
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].kind, Kind::kNotInEnum);
  EXPECT_EQ(violations[0].allowed, (std::vector<std::string>{"append", "replace"}));
}

TEST(ConfigSchemaTest, KeepsTheValidatorsTextForOtherProblems) {
  const auto violations =
      Check(R"({"type": "object", "properties": {"n": {"type": "integer", "minimum": 1}}})", R"({"n": 0})");
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].kind, Kind::kOther);
  EXPECT_FALSE(violations[0].message.empty());
}

TEST(ConfigSchemaTest, PatternMismatchCarriesThePropertysDescriptionNotTheRegex) {
  const auto violations = Check(
      R"({"type": "object", "properties": {"t": {"type": "string", "pattern": "^a+$",
          "description": "one or more a's"}}})",
      R"({"t": "b"})");
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].kind, Kind::kNoMatch);
  EXPECT_EQ(violations[0].message, "one or more a's");
}

TEST(ConfigSchemaTest, AMalformedSchemaIsAnErrorNotACrash) {
  EXPECT_FALSE(ConfigSchema::Compile("not json").ok());
  EXPECT_FALSE(ConfigSchema::Compile(R"({"type": "object", "minLength": "x"})").ok());
}

TEST(ConfigSchemaTest, CompileCachedReturnsTheSameCompiledSchema) {
  const auto first = ConfigSchema::CompileCached(kShellSchema);
  const auto second = ConfigSchema::CompileCached(kShellSchema);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->get(), second->get());
}

}  // namespace
}  // namespace sluice
