#include "scheduler/yaml_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace sluice {
namespace {

nlohmann::json Convert(const std::string& yaml) { return YamlToJson(YAML::Load(yaml)); }

TEST(YamlJsonTest, QuotedScalarsStayStrings) {
  EXPECT_EQ(Convert("a: '3'\nb: \"true\"\nc: 'null'"),
            nlohmann::json({{"a", "3"}, {"b", "true"}, {"c", "null"}}));
}

TEST(YamlJsonTest, PlainScalarsFollowTheYaml12CoreSchema) {
  const nlohmann::json json = Convert(
      "n1: ~\nn2: null\nn3:\nt: true\nf: False\nyes_is_text: yes\nint: -42\nhex: 0x1F\n"
      "octal: 0o17\nfloat: 1.5e3\ntext: hello world\nversion: 1.2.3");
  EXPECT_TRUE(json["n1"].is_null());
  EXPECT_TRUE(json["n2"].is_null());
  EXPECT_TRUE(json["n3"].is_null());
  EXPECT_EQ(json["t"], true);
  EXPECT_EQ(json["f"], false);
  EXPECT_EQ(json["yes_is_text"], "yes");
  EXPECT_EQ(json["int"], -42);
  EXPECT_TRUE(json["int"].is_number_integer());
  EXPECT_EQ(json["hex"], 31);
  EXPECT_EQ(json["octal"], 15);
  EXPECT_DOUBLE_EQ(json["float"].get<double>(), 1500.0);
  EXPECT_EQ(json["text"], "hello world");
  EXPECT_EQ(json["version"], "1.2.3");
}

TEST(YamlJsonTest, BlockScalarsAreStrings) {
  EXPECT_EQ(Convert("a: |\n  42\n")["a"], "42\n");
}

TEST(YamlJsonTest, ConvertsNestedListsAndMappings) {
  EXPECT_EQ(Convert("a: [1, {b: x}]"), nlohmann::json::parse(R"({"a": [1, {"b": "x"}]})"));
}

TEST(YamlJsonTest, ParsesJsonPointersWithEscapes) {
  EXPECT_EQ(ParseJsonPointer("/columns/0/a~1b~0c"), (JsonPath{"columns", "0", "a/b~c"}));
  EXPECT_EQ(ParseJsonPointer(""), JsonPath{});
}

TEST(YamlJsonTest, DisplaysPathsAsUsersWriteThem) {
  EXPECT_EQ(DisplayPath({"columns", "0", "name"}), "columns[0].name");
  EXPECT_EQ(DisplayPath({"env", "HOME"}), "env.HOME");
}

TEST(YamlJsonTest, LocatesValuesKeysAndMissingChildren) {
  const YAML::Node root = YAML::Load("path: x\ncolumns:\n  - name: a\n  - {name: b}\nempty:\n");
  EXPECT_EQ(LocateInYaml(root, {}, {"columns", "1", "name"}, false).position.line, 4);
  EXPECT_EQ(LocateInYaml(root, {}, {"columns", "1", "name"}, false).position.column, 12);
  EXPECT_EQ(LocateInYaml(root, {}, {"columns", "1", "name"}, true).position.column, 6);
  EXPECT_EQ(LocateInYaml(root, {}, {"columns", "1", "name"}, false).description, "'b'");
  // A missing child falls back to its parent; a null value to its key.
  EXPECT_EQ(LocateInYaml(root, {}, {"columns", "0", "type"}, false).position.line, 3);
  EXPECT_EQ(LocateInYaml(root, {}, {"empty"}, false).position.line, 5);
  EXPECT_EQ(LocateInYaml(root, {}, {"empty"}, false).position.column, 1);
}

TEST(YamlJsonTest, LocatingDoesNotChangeTheDocument) {
  const YAML::Node root = YAML::Load("a: {b: 1}\nc: 2\n");
  LocateInYaml(root, {}, {"a", "b"}, false);
  LocateInYaml(root, {}, {"c"}, false);
  EXPECT_EQ(YamlToJson(root), nlohmann::json::parse(R"({"a": {"b": 1}, "c": 2})"));
}

}  // namespace
}  // namespace sluice
