// Each step on in-memory batches, planned from configuration as the plugin plans them.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline.h"
#include "sluice/plugin.hpp"
#include "transform_config.h"
#include "transform_test_support.h"

namespace sluice::transform {
namespace {

using testing::kNull;
using testing::TestTable;
using testing::TextAt;
using Texts_t = std::vector<std::optional<std::string>>;

// `steps` is the JSON of the `steps:` list.
Pipeline Plan(const std::string& steps, const dataset::Schema& schema) {
  nlohmann::json config = nlohmann::json::object();
  config["steps"] = nlohmann::json::parse(steps);
  return Pipeline(ParseTransformConfig(config).steps, schema);
}

std::vector<std::string> ColumnNames(const dataset::Schema& schema) {
  std::vector<std::string> names;
  for (const dataset::Column& c : schema) names.push_back(c.name + ":" + dataset::TypeName(c));
  return names;
}

Texts_t Column(const Batch& batch, size_t c) {
  Texts_t out;
  for (int64_t row = 0; row < batch.rows; ++row) out.push_back(TextAt(batch.columns[c], row));
  return out;
}

// The failure planning or applying raises: "pointer: message".
template <typename F>
std::string FailureOf(F&& f) {
  try {
    f();
  } catch (const sdk::Failure& failure) {
    return failure.config_path() + ": " + failure.what();
  }
  return "no failure";
}

TEST(PipelineTest, FilterKeepsOnlyRowsWhereTheConditionIsTrue) {
  const std::vector<std::optional<int64_t>> valor = {5, -1, kNull, 0, 8};
  const std::vector<std::optional<std::string>> status = {"A", "A", "B", kNull, "C"};
  TestTable t;
  t.Int64("valor", valor).String("status", status);
  Pipeline p = Plan(R"json([{"filter": "valor > 0 and (status in ('A', 'B') or status is null)"}])json", t.schema());
  p.Apply(t.batch());
  // Oracle: the same condition in C++, where null is "unknown" and only a true condition keeps.
  Texts_t expected;
  for (size_t i = 0; i < valor.size(); ++i) {
    const bool positive = valor[i] && *valor[i] > 0;
    const bool status_ok = !status[i] || *status[i] == "A" || *status[i] == "B";
    if (positive && status_ok) expected.push_back(std::to_string(*valor[i]));
  }
  EXPECT_EQ(Column(t.batch(), 0), expected);
  EXPECT_EQ(t.batch().row_numbers, (std::vector<int64_t>{1}));
}

TEST(PipelineTest, DeriveListEvaluatesInOrderAddingOrReplacingColumns) {
  TestTable t;
  t.Int64("qtd", {2, 3}).Decimal("preco", 8, 2, {"1.25", "10.00"}).String("nome", {"Ana", "Rui"});
  Pipeline p = Plan(R"json([{"derive": ["total = qtd * preco", "dobro = total * 2", "nome = upper(nome)"]}])json",
                    t.schema());
  EXPECT_EQ(ColumnNames(p.output_schema()),
            (std::vector<std::string>{"qtd:int64", "preco:decimal(8,2)", "nome:string",
                                      "total:decimal(18,2)", "dobro:decimal(18,2)"}));
  p.Apply(t.batch());
  EXPECT_EQ(Column(t.batch(), 2), (Texts_t{"ANA", "RUI"}));
  EXPECT_EQ(Column(t.batch(), 3), (Texts_t{"2.50", "30.00"}));  // 2 x 1.25, 3 x 10.00
  EXPECT_EQ(Column(t.batch(), 4), (Texts_t{"5.00", "60.00"}));
}

TEST(PipelineTest, SelectRenameDropReshapeColumns) {
  TestTable t;
  t.Int64("id", {1}).String("mes", {"2024-01"}).Int64("total", {9}).Int64("extra", {0});
  Pipeline p = Plan(R"json([{"select": ["total", "id", "mes"]}, {"rename": {"total": "valor_total"}},
                         {"drop": ["mes"]}])json",
                    t.schema());
  EXPECT_EQ(ColumnNames(p.output_schema()),
            (std::vector<std::string>{"valor_total:int64", "id:int64"}));
  p.Apply(t.batch());
  ASSERT_EQ(t.batch().columns.size(), 2u);
  EXPECT_EQ(Column(t.batch(), 0), (Texts_t{"9"}));
  EXPECT_EQ(Column(t.batch(), 1), (Texts_t{"1"}));
}

TEST(PipelineTest, CastStepConvertsInPlace) {
  TestTable t;
  t.Int64("id", {7, kNull}).String("valor", {"12.5", "0.10"});
  Pipeline p = Plan(R"json([{"cast": {"valor": "decimal(12,2)", "id": "string"}}])json", t.schema());
  EXPECT_EQ(ColumnNames(p.output_schema()),
            (std::vector<std::string>{"id:string", "valor:decimal(12,2)"}));
  p.Apply(t.batch());
  EXPECT_EQ(Column(t.batch(), 0), (Texts_t{"7", kNull}));
  EXPECT_EQ(Column(t.batch(), 1), (Texts_t{"12.50", "0.10"}));
}

TEST(PipelineTest, CastStepFailureNamesColumnRowAndValue) {
  TestTable t;
  t.String("valor", {"1", "2", "abc"});
  Pipeline p = Plan(R"json([{"cast": {"valor": "int64"}}])json", t.schema());
  EXPECT_EQ(FailureOf([&] { p.Apply(t.batch()); }),
            "/steps/0/cast/valor: column 'valor', row 3: cannot cast to int64: 'abc' is not a "
            "whole number");
}

TEST(PipelineTest, RowErrorsNameTheInputRowEvenAfterAFilter) {
  TestTable t;
  t.Int64("x", {0, 1, INT64_MAX});
  Pipeline p = Plan(R"json([{"filter": "x <> 1"}, {"derive": ["keep = x", "y = x + 1"]}])json", t.schema());
  const std::string failure = FailureOf([&] { p.Apply(t.batch()); });
  EXPECT_EQ(failure,
            "/steps/1/derive/1: row 3: int64 overflow: 9223372036854775807 + 1 does not fit int64; "
            "cast an operand to decimal(18,0) or float64 first\n"
            "  y = x + 1\n"
            "      ^^^^^");
}

TEST(PipelineTest, PlanningErrorsPointAtTheStepWithACaret) {
  TestTable t;
  t.Decimal("valor", 10, 2, {"1.00"});
  EXPECT_EQ(FailureOf([&] { Plan(R"json([{"derive": ["a = valor", "b = valr * 2"]}])json", t.schema()); }),
            "/steps/0/derive/1: unknown column 'valr'; did you mean 'valor'?\n"
            "  b = valr * 2\n"
            "      ^^^^");
  EXPECT_EQ(FailureOf([&] { Plan(R"json([{"select": ["valor", "vlaor"]}])json", t.schema()); }),
            "/steps/0/select/1: unknown column 'vlaor'; did you mean 'valor'?");
  EXPECT_EQ(FailureOf([&] { Plan(R"json([{"filter": "valor * 2"}])json", t.schema()); }).substr(0, 73),
            "/steps/0/filter: a filter needs a condition (true/false), but this is dec");
  EXPECT_EQ(FailureOf([&] { Plan(R"json([{"drop": ["valor"]}])json", t.schema()); }),
            "/steps/0/drop: drop would remove every column; a dataset needs at least one");
}

TEST(PipelineTest, RenameOntoAnExistingNameIsRefused) {
  TestTable t;
  t.Int64("a", {1}).Int64("b", {2});
  EXPECT_NE(FailureOf([&] { Plan(R"json([{"rename": {"a": "b"}}])json", t.schema()); })
                .find("two columns would be named 'b'"),
            std::string::npos);
  // Swapping two names in one step is fine.
  Pipeline p = Plan(R"json([{"rename": {"a": "b", "b": "a"}}])json", t.schema());
  EXPECT_EQ(ColumnNames(p.output_schema()), (std::vector<std::string>{"b:int64", "a:int64"}));
}

// Dedupe over two batches, as over two chunks: the first occurrence in the whole input wins.
// Columns that no step reads and a select or drop removes are never loaded; everything a
// step reads is, even when its result is dropped later (it may still fail a row).
TEST(PipelineTest, OnlyColumnsReadOrKeptAreNeededFromTheInput) {
  const dataset::Schema input = {{"a", dataset::Type::kInt64},
                                 {"b", dataset::Type::kString},
                                 {"c", dataset::Type::kInt64},
                                 {"d", dataset::Type::kString},
                                 {"e", dataset::Type::kInt64}};
  using Flags = std::vector<uint8_t>;
  EXPECT_EQ(Plan(R"json([{"derive": "x = a + 1"}, {"select": ["x", "b"]}])json", input).InputColumnsNeeded(),
            (Flags{1, 1, 0, 0, 0}));
  EXPECT_EQ(Plan(R"json([{"filter": "e > 0"}, {"drop": ["b", "c", "e"]}])json", input).InputColumnsNeeded(),
            (Flags{1, 0, 0, 1, 1}));
  // c is replaced before anything reads it; the derive whose result is dropped still reads d.
  EXPECT_EQ(Plan(R"json([{"derive": ["c = 7", "y = length(d)"]}, {"select": ["a", "c"]}])json", input).InputColumnsNeeded(),
            (Flags{1, 0, 0, 1, 0}));
  EXPECT_EQ(Plan(R"json([{"rename": {"e": "f"}}, {"cast": {"c": "string"}}, {"select": ["f"]}])json", input)
                .InputColumnsNeeded(),
            (Flags{0, 0, 1, 0, 1}));
  EXPECT_EQ(Plan(R"json([{"dedupe": ["b"]}, {"select": ["a"]}])json", input).InputColumnsNeeded(), (Flags{1, 1, 0, 0, 0}));
  EXPECT_EQ(Plan(R"json([{"select": ["e", "a"]}, {"dedupe": true}])json", input).InputColumnsNeeded(), (Flags{1, 0, 0, 0, 1}));
  EXPECT_EQ(Plan(R"json([{"filter": "a > 0"}])json", input).InputColumnsNeeded(), (Flags{1, 1, 1, 1, 1}));
}

TEST(PipelineTest, DedupeOnWholeRowsKeepsFirstOccurrencesAcrossChunks) {
  const std::vector<std::optional<int64_t>> ids1 = {1, 1, 2, kNull, kNull}, ids2 = {2, 3, kNull, 1};
  const std::vector<std::optional<std::string>> s1 = {"a", "a", "b", "x", "x"}, s2 = {"b", "c", "x", "z"};
  TestTable first, second;
  first.Int64("id", ids1).String("s", s1);
  second.Int64("id", ids2).String("s", s2);
  Pipeline p = Plan(R"json([{"dedupe": true}])json", first.schema());
  p.Apply(first.batch());
  p.Apply(second.batch());
  // Oracle: a set of (id, s) pairs seen so far, nulls equal to each other.
  std::set<std::pair<std::optional<int64_t>, std::optional<std::string>>> seen;
  Texts_t expected_first, expected_second;
  for (size_t i = 0; i < ids1.size(); ++i) {
    if (seen.insert({ids1[i], s1[i]}).second) expected_first.push_back(s1[i]);
  }
  for (size_t i = 0; i < ids2.size(); ++i) {
    if (seen.insert({ids2[i], s2[i]}).second) expected_second.push_back(s2[i]);
  }
  EXPECT_EQ(Column(first.batch(), 1), expected_first);
  EXPECT_EQ(Column(second.batch(), 1), expected_second);
}

TEST(PipelineTest, DedupeOnAKeyKeepsTheFirstRowOfEachKey) {
  const std::vector<std::optional<std::string>> conta = {"CC", "CP", "CC", kNull, "CP", kNull};
  const std::vector<std::optional<int64_t>> valor = {10, 20, 30, 40, 50, 60};
  TestTable t;
  t.String("conta", conta).Int64("valor", valor);
  Pipeline p = Plan(R"json([{"dedupe": ["conta"]}])json", t.schema());
  p.Apply(t.batch());
  std::set<std::optional<std::string>> seen;
  Texts_t expected;
  for (size_t i = 0; i < conta.size(); ++i) {
    if (seen.insert(conta[i]).second) expected.push_back(std::to_string(*valor[i]));
  }
  EXPECT_EQ(Column(t.batch(), 1), expected);
}

TEST(PipelineTest, DedupeTellsStringsApartByLengthNotJustBytes) {
  TestTable t;
  t.String("a", {"ab", "a"}).String("b", {"c", "bc"});
  Pipeline p = Plan(R"json([{"dedupe": true}])json", t.schema());
  p.Apply(t.batch());
  EXPECT_EQ(t.batch().rows, 2);  // "ab"+"c" and "a"+"bc" are different rows
}

}  // namespace
}  // namespace sluice::transform
