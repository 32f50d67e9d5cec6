// join through its C entry point, against a nested-loop oracle written here from the SQL
// definition of each join type.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"
#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::join {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;
using Outcome = sdk::testing::PluginOutcome;

// A test table: typed columns, cells as text or nullopt (null); ints and decimals are
// written as their integer text.
struct Table {
  ds::Schema schema;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

// Output cells rendered independently of the plugin: integers and unscaled decimals as
// integers, strings as themselves, null as "NULL".
using Rows = std::vector<std::vector<std::string>>;

class JoinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-join-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    output_ = (dir_ / "out.sds").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `table` as task `task`'s dataset in chunks of `chunk_rows`.
  void Write(const std::string& task, const Table& table, int64_t chunk_rows = 3) {
    const std::string path = (dir_ / (task + ".sds")).string();
    ds::Writer writer(path, table.schema, ds::WriterOptions{chunk_rows});
    for (const auto& row : table.rows) {
      for (size_t c = 0; c < row.size(); ++c) {
        if (!row[c]) {
          writer.AppendNull(c);
          continue;
        }
        switch (table.schema[c].type) {
          case ds::Type::kInt64: writer.AppendInt64(c, std::stoll(*row[c])); break;
          case ds::Type::kDecimal: writer.AppendDecimal(c, std::stoll(*row[c])); break;
          case ds::Type::kDate: writer.AppendDate(c, std::stoi(*row[c])); break;
          case ds::Type::kTimestamp: writer.AppendTimestamp(c, std::stoll(*row[c])); break;
          case ds::Type::kFloat64: writer.AppendFloat64(c, std::stod(*row[c])); break;
          case ds::Type::kBool: writer.AppendBool(c, *row[c] == "1"); break;
          case ds::Type::kString: writer.AppendString(c, *row[c]); break;
        }
      }
      writer.EndRow();
    }
    writer.Finish();
    inputs_.emplace_back(task, path);
  }

  Outcome Run(const nlohmann::json& config) {
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.output_path = output_;
    call.inputs = inputs_;
    call.task_id = "flat";
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  std::vector<std::string> OutputNames() {
    std::vector<std::string> names;
    const ds::Reader reader(output_);
    for (const ds::Column& c : reader.schema()) names.push_back(c.name);
    return names;
  }

  Rows OutputRows() {
    const ds::Reader reader(output_);
    Rows rows;
    for (size_t c = 0; c < reader.chunk_count(); ++c) {
      const ds::ChunkView chunk = reader.chunk(c);
      for (int64_t r = 0; r < chunk.row_count(); ++r) {
        std::vector<std::string> row;
        for (size_t col = 0; col < chunk.column_count(); ++col) {
          const ds::ColumnView& v = chunk.column(col);
          if (v.IsNull(r)) {
            row.push_back("NULL");
            continue;
          }
          switch (v.column().type) {
            case ds::Type::kInt64: row.push_back(std::to_string(v.Int64At(r))); break;
            case ds::Type::kDecimal: row.push_back(std::to_string(v.DecimalAt(r))); break;
            case ds::Type::kDate: row.push_back(std::to_string(v.DateAt(r))); break;
            case ds::Type::kTimestamp: row.push_back(std::to_string(v.TimestampAt(r))); break;
            case ds::Type::kString: row.push_back(std::string(v.StringAt(r))); break;
            default: row.push_back("?"); break;
          }
        }
        rows.push_back(std::move(row));
      }
    }
    return rows;
  }

  fs::path dir_;
  std::string output_;
  std::vector<std::pair<std::string, std::string>> inputs_;
};

// ---------------------------------------------------------------------------------------------
// The oracle: SQL's definition, one join at a time, by nested loops over the rows.

// One equality of an `on`: column `probe_column` of earlier input `probe_input` equals column
// `build_column` of the joined input.
struct OracleKey {
  size_t probe_input, probe_column, build_column;
};
struct OracleJoin {
  std::string type;
  std::vector<OracleKey> keys;
};

// Tuples of row indices (-1: null) over the inputs, in the documented order.
std::vector<std::vector<int>> NestedLoopJoin(const std::vector<Table>& tables, const std::vector<OracleJoin>& joins) {
  std::vector<std::vector<int>> result;
  for (size_t r = 0; r < tables[0].rows.size(); ++r) {
    std::vector<int> tuple(tables.size(), -1);
    tuple[0] = static_cast<int>(r);
    result.push_back(tuple);
  }
  for (size_t s = 1; s < tables.size(); ++s) {
    const OracleJoin& join = joins[s - 1];
    std::vector<std::vector<int>> next;
    std::vector<bool> right_matched(tables[s].rows.size(), false);
    for (const auto& tuple : result) {
      bool any = false;
      for (size_t b = 0; b < tables[s].rows.size(); ++b) {
        bool equal = true;
        for (const OracleKey& k : join.keys) {
          const int p = tuple[k.probe_input];
          const auto& left = p < 0 ? std::optional<std::string>() : tables[k.probe_input].rows[p][k.probe_column];
          const auto& right = tables[s].rows[b][k.build_column];
          equal = equal && left && right && *left == *right;  // null never equals
        }
        if (!equal) continue;
        any = true;
        right_matched[b] = true;
        auto joined = tuple;
        joined[s] = static_cast<int>(b);
        next.push_back(joined);
      }
      if (!any && (join.type == "left" || join.type == "full")) next.push_back(tuple);
    }
    // SQL's right/full rows come after, in the joined input's order, nulls on the left.
    if (join.type == "right" || join.type == "full") {
      for (size_t b = 0; b < tables[s].rows.size(); ++b) {
        if (right_matched[b]) continue;
        std::vector<int> tuple(tables.size(), -1);
        tuple[s] = static_cast<int>(b);
        next.push_back(tuple);
      }
    }
    result = std::move(next);
  }
  return result;
}

// Every column of every input, in order, as the oracle's tuples select them.
Rows Render(const std::vector<Table>& tables, const std::vector<std::vector<int>>& tuples) {
  Rows rows;
  for (const auto& tuple : tuples) {
    std::vector<std::string> row;
    for (size_t t = 0; t < tables.size(); ++t) {
      for (size_t c = 0; c < tables[t].schema.size(); ++c) {
        const auto& cell = tuple[t] < 0 ? std::optional<std::string>() : tables[t].rows[tuple[t]][c];
        row.push_back(cell ? *cell : "NULL");
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<std::string> MaybeNull(std::mt19937& rng, std::string value, int null_percent) {
  if (static_cast<int>(rng() % 100) < null_percent) return std::nullopt;
  return value;
}

// Three random tables with small key domains (duplicates), keys outside the other side's
// domain (no match) and nulls in keys.
std::vector<Table> RandomTables(uint32_t seed, size_t rows_a, size_t rows_b, size_t rows_c) {
  std::mt19937 rng(seed);
  Table a{{{"a_id", ds::Type::kInt64}, {"a_key", ds::Type::kInt64}, {"a_tag", ds::Type::kString}}, {}};
  for (size_t i = 0; i < rows_a; ++i) {
    a.rows.push_back({std::to_string(i), MaybeNull(rng, std::to_string(rng() % 8), 15),
                      MaybeNull(rng, std::string(1, static_cast<char>('x' + rng() % 2)), 10)});
  }
  Table b{{{"b_key", ds::Type::kInt64}, {"b_tag", ds::Type::kString}, {"b_val", ds::Type::kDecimal, 10, 2}}, {}};
  for (size_t i = 0; i < rows_b; ++i) {
    b.rows.push_back({MaybeNull(rng, std::to_string(3 + rng() % 8), 15),
                      MaybeNull(rng, std::string(1, static_cast<char>('x' + rng() % 3)), 10),
                      MaybeNull(rng, std::to_string(static_cast<int>(rng() % 20000) - 10000), 20)});
  }
  Table c{{{"c_ref", ds::Type::kInt64}, {"c_name", ds::Type::kString}}, {}};
  for (size_t i = 0; i < rows_c; ++i) {
    c.rows.push_back({MaybeNull(rng, std::to_string(rng() % 14), 10), "n" + std::to_string(i)});
  }
  return {a, b, c};
}

nlohmann::json ThreeWayConfig(const std::string& type_b, const std::string& type_c) {
  return {{"from", {{"input", "ta"}, {"as", "a"}}},
          {"join",
           {{{"input", "tb"}, {"as", "b"}, {"type", type_b}, {"on", "a.a_key = b.b_key and b.b_tag = a.a_tag"}},
            {{"input", "tc"}, {"as", "c"}, {"type", type_c}, {"on", "c.c_ref = b.b_key"}}}}};
}

std::vector<OracleJoin> ThreeWayOracle(const std::string& type_b, const std::string& type_c) {
  return {{type_b, {{0, 1, 0}, {0, 2, 1}}}, {type_c, {{1, 0, 0}}}};
}

const char* const kTypes[] = {"inner", "left", "right", "full"};

// Joins random inputs with `type_b` for the second input and every type for the third,
// and compares with the oracle row for row, in the documented order (which implies the same
// multiset).
class RandomJoinTest : public JoinTest {
 protected:
  void CheckAgainstOracle(const std::string& type_b) {
    for (uint32_t seed = 1; seed <= 3; ++seed) {
      const std::vector<Table> tables = RandomTables(seed, 40, 25, 12);
      inputs_.clear();
      Write("ta", tables[0], 4);
      Write("tb", tables[1], 3);
      Write("tc", tables[2], 5);
      for (const char* type_c : kTypes) {
        SCOPED_TRACE("seed " + std::to_string(seed) + " " + type_b + "/" + type_c);
        const Outcome outcome = Run(ThreeWayConfig(type_b, type_c));
        ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
        const Rows expected = Render(tables, NestedLoopJoin(tables, ThreeWayOracle(type_b, type_c)));
        ASSERT_FALSE(expected.empty());
        EXPECT_EQ(OutputRows(), expected);
      }
    }
  }
};

TEST_F(RandomJoinTest, InnerThenEachTypeMatchesNestedLoopOracle) { CheckAgainstOracle("inner"); }
TEST_F(RandomJoinTest, LeftThenEachTypeMatchesNestedLoopOracle) { CheckAgainstOracle("left"); }
TEST_F(RandomJoinTest, RightThenEachTypeMatchesNestedLoopOracle) { CheckAgainstOracle("right"); }
TEST_F(RandomJoinTest, FullThenEachTypeMatchesNestedLoopOracle) { CheckAgainstOracle("full"); }

// Build sides whose keys are unique and dense (ids, with gaps and a null) take the one-read
// lookup path; every join type, the composite key included, must still give the oracle's rows.
TEST_F(RandomJoinTest, UniqueDenseKeysMatchTheOracleForEveryJoinType) {
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    std::vector<Table> tables = RandomTables(seed, 40, 25, 12);
    std::mt19937 rng(seed);
    for (auto& row : tables[0].rows) row[1] = MaybeNull(rng, std::to_string(rng() % 45), 10);
    const auto distinct_keys = [&](Table& table, int domain) {
      std::vector<int> keys(static_cast<size_t>(domain));
      std::iota(keys.begin(), keys.end(), 0);
      std::shuffle(keys.begin(), keys.end(), rng);
      for (size_t i = 0; i < table.rows.size(); ++i) {
        table.rows[i][0] = i == 3 ? std::nullopt : std::optional<std::string>(std::to_string(keys[i]));
      }
    };
    distinct_keys(tables[1], 40);  // 25 of 0..39
    distinct_keys(tables[2], 30);  // 12 of 0..29
    inputs_.clear();
    Write("ta", tables[0], 4);
    Write("tb", tables[1], 3);
    Write("tc", tables[2], 5);
    for (const char* type_b : kTypes) {
      for (const char* type_c : kTypes) {
        SCOPED_TRACE("seed " + std::to_string(seed) + " " + type_b + "/" + type_c);
        const Outcome outcome = Run(ThreeWayConfig(type_b, type_c));
        ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
        const Rows expected = Render(tables, NestedLoopJoin(tables, ThreeWayOracle(type_b, type_c)));
        EXPECT_EQ(OutputRows(), expected);
      }
    }
  }
}

TEST_F(RandomJoinTest, SparseIntegerKeysGoThroughTheHashTableAndMatchTheOracle) {
  // Keys spread far apart (and negative) cannot use the dense array; the third join then
  // has a one-column key in a hash table, the second a two-column one.
  std::vector<Table> tables = RandomTables(5, 40, 25, 12);
  const auto spread = [](Table& table, size_t column) {
    for (auto& row : table.rows) {
      if (row[column]) row[column] = std::to_string(std::stoll(*row[column]) * 1'000'000'007LL - 5'000'000'000'000'000LL);
    }
  };
  spread(tables[0], 1);
  spread(tables[1], 0);
  spread(tables[2], 0);
  Write("ta", tables[0], 4);
  Write("tb", tables[1], 3);
  Write("tc", tables[2], 5);
  for (const char* type_c : kTypes) {
    SCOPED_TRACE(type_c);
    const Outcome outcome = Run(ThreeWayConfig("left", type_c));
    ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
    EXPECT_EQ(OutputRows(), Render(tables, NestedLoopJoin(tables, ThreeWayOracle("left", type_c))));
  }
}

TEST_F(JoinTest, EmptyInputsGiveWhatSqlGivesForEveryJoinType) {
  const std::vector<Table> full = RandomTables(7, 10, 8, 6);
  for (int empty = 0; empty < 3; ++empty) {
    std::vector<Table> tables = full;
    tables[empty].rows.clear();
    inputs_.clear();
    Write("ta", tables[0]);
    Write("tb", tables[1]);
    Write("tc", tables[2]);
    for (const char* type_b : kTypes) {
      for (const char* type_c : kTypes) {
        SCOPED_TRACE(std::string("empty input ") + std::to_string(empty) + " " + type_b + "/" + type_c);
        const Outcome outcome = Run(ThreeWayConfig(type_b, type_c));
        ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
        EXPECT_EQ(OutputRows(), Render(tables, NestedLoopJoin(tables, ThreeWayOracle(type_b, type_c))));
      }
    }
  }
}

TEST_F(JoinTest, NullKeysNeverMatchEvenEachOther) {
  Write("l", {{{"k", ds::Type::kString}}, {{std::nullopt}, {"a"}}});
  Write("r", {{{"k2", ds::Type::kString}}, {{std::nullopt}, {"a"}, {"b"}}});
  ASSERT_EQ(Run({{"from", {{"input", "l"}}}, {"join", {{{"input", "r"}, {"type", "full"}, {"on", "l.k = r.k2"}}}}}).rc, 0);
  // Hand-derived: 'a' matches; the left null row and the right null and 'b' rows stay alone.
  EXPECT_EQ(OutputRows(), (Rows{{"NULL", "NULL"}, {"a", "a"}, {"NULL", "NULL"}, {"NULL", "b"}}));
}

TEST_F(JoinTest, SiCooperativeFlatJoinSelectsRenamesAndExpandsStar) {
  Write("extract_associado", {{{"id", ds::Type::kInt64}, {"nome", ds::Type::kString}},
                              {{"1", "Ana"}, {"2", "Bruno"}, {"3", "Caio"}}});
  Write("extract_conta", {{{"id", ds::Type::kInt64}, {"tipo", ds::Type::kString}, {"id_associado", ds::Type::kInt64}},
                          {{"10", "CC", "1"}, {"20", "CP", "2"}, {"30", "CC", "3"}}});
  Write("extract_cartao",
        {{{"id", ds::Type::kInt64}, {"num_cartao", ds::Type::kInt64}, {"id_conta", ds::Type::kInt64},
          {"id_associado", ds::Type::kInt64}},
         {{"100", "5555", "10", "1"}, {"200", "6666", "20", "2"}, {"300", "7777", "30", "1"}}});  // 300: conta of 3
  Write("extract_movimento",
        {{{"id", ds::Type::kInt64}, {"vlr_transacao", ds::Type::kDecimal, 10, 2}, {"id_cartao", ds::Type::kInt64}},
         {{"1", "1050", "100"}, {"2", "-99", "200"}, {"3", "700", "300"}, {"4", "1", "999"}, {"5", "250", "100"}}});
  const nlohmann::json config = nlohmann::json::parse(R"({
    "from": {"input": "extract_movimento", "as": "m"},
    "join": [
      {"input": "extract_cartao", "as": "c", "on": "m.id_cartao = c.id"},
      {"input": "extract_conta", "as": "co", "type": "inner", "on": "c.id_conta = co.id"},
      {"input": "extract_associado", "as": "a", "on": "co.id_associado = a.id and c.id_associado = a.id"}
    ],
    "select": ["a.id as id_associado", "a.nome as nome_associado", "m.vlr_transacao as vlr_transacao_movimento",
               "co.tipo", "c.*"]})");
  const Outcome outcome = Run(config);
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  // c.* keeps c's names except id_associado, taken by the first item: it becomes c_id_associado.
  EXPECT_EQ(OutputNames(), (std::vector<std::string>{"id_associado", "nome_associado", "vlr_transacao_movimento",
                                                     "tipo", "id", "num_cartao", "id_conta", "c_id_associado"}));
  // Movement 3's card 300 belongs to associado 1 but its conta to associado 3: the second
  // equality drops it; movement 4's card does not exist.
  EXPECT_EQ(OutputRows(), (Rows{{"1", "Ana", "1050", "CC", "100", "5555", "10", "1"},
                                {"2", "Bruno", "-99", "CP", "200", "6666", "20", "2"},
                                {"1", "Ana", "250", "CC", "100", "5555", "10", "1"}}));
}
TEST_F(JoinTest, WithoutSelectLaterDuplicateNamesBecomeAliasUnderscoreName) {
  Write("l", {{{"id", ds::Type::kInt64}, {"name", ds::Type::kString}}, {{"1", "x"}}});
  Write("r", {{{"id", ds::Type::kInt64}, {"name", ds::Type::kString}, {"extra", ds::Type::kString}}, {{"1", "y", "z"}}});
  ASSERT_EQ(Run({{"from", {{"input", "l"}}}, {"join", {{{"input", "r"}, {"on", "l.id = r.id"}}}}}).rc, 0);
  EXPECT_EQ(OutputNames(), (std::vector<std::string>{"id", "name", "r_id", "r_name", "extra"}));
  EXPECT_EQ(OutputRows(), (Rows{{"1", "x", "1", "y", "z"}}));
}

TEST_F(JoinTest, DefaultNameStillTakenAfterRenamingIsAnErrorAskingForSelect) {
  Write("l", {{{"id", ds::Type::kInt64}, {"r_id", ds::Type::kInt64}}, {{"1", "2"}}});
  Write("r", {{{"id", ds::Type::kInt64}}, {{"1"}}});
  const Outcome outcome = Run({{"from", {{"input", "l"}}}, {"join", {{{"input", "r"}, {"on", "l.id = r.id"}}}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_NE(outcome.errors[0].find("output column 'r_id' would come from both l.r_id and r.id; rename one with `as`"),
            std::string::npos)
      << outcome.errors[0];
  EXPECT_FALSE(fs::exists(output_));
}

TEST_F(JoinTest, SelectedNameClashingWithAnotherIsAnError) {
  Write("l", {{{"id", ds::Type::kInt64}}, {{"1"}}});
  Write("r", {{{"id", ds::Type::kInt64}, {"v", ds::Type::kInt64}}, {{"1", "2"}}});
  const Outcome outcome = Run({{"from", {{"input", "l"}}},
                               {"join", {{{"input", "r"}, {"on", "l.id = r.id"}}}},
                               {"select", {"r.*", "l.id"}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_EQ(outcome.errors[0].rfind("/select/1: output column 'id' would come from both r.id and l.id", 0), 0u)
      << outcome.errors[0];
}

TEST_F(JoinTest, UnknownColumnListsTheAliasColumns) {
  Write("l", {{{"id", ds::Type::kInt64}}, {{"1"}}});
  Write("cards", {{{"id", ds::Type::kInt64}, {"num", ds::Type::kInt64}}, {{"1", "2"}}});
  Outcome outcome = Run({{"from", {{"input", "l"}}}, {"join", {{{"input", "cards"}, {"as", "c"}, {"on", "l.id = c.idd"}}}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_EQ(outcome.errors[0], "/join/0/on: column 'idd' is not in c (cards); its columns are: id, num");
  outcome = Run({{"from", {{"input", "l"}}},
                 {"join", {{{"input", "cards"}, {"as", "c"}, {"on", "l.id = c.id"}}}},
                 {"select", {"c.nume"}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_EQ(outcome.errors[0], "/select/0: column 'nume' is not in c (cards); its columns are: id, num");
}

TEST_F(JoinTest, MismatchedKeyTypesNameBothColumnsAndSayToCast) {
  Write("l", {{{"id", ds::Type::kString}, {"amount", ds::Type::kDecimal, 10, 2}}, {{"1", "100"}}});
  Write("r", {{{"id", ds::Type::kInt64}, {"amount", ds::Type::kDecimal, 12, 3}}, {{"1", "1000"}}});
  Outcome outcome = Run({{"from", {{"input", "l"}}}, {"join", {{{"input", "r"}, {"on", "l.id = r.id"}}}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_EQ(outcome.errors[0], "/join/0/on: cannot join l.id (string) with r.id (int64): key types must match; "
                               "cast one of them in a `transform` task first");
  outcome = Run({{"from", {{"input", "l"}}}, {"join", {{{"input", "r"}, {"on", "l.amount = r.amount"}}}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_NE(outcome.errors[0].find("cannot join l.amount (decimal(10,2)) with r.amount (decimal(12,3))"),
            std::string::npos)
      << outcome.errors[0];
}

TEST_F(JoinTest, Int64JoinsDecimalOfScaleZeroAndDatesJoinDates) {
  Write("l", {{{"id", ds::Type::kInt64}, {"day", ds::Type::kDate}}, {{"7", "19000"}, {"8", "19001"}}});
  Write("r", {{{"code", ds::Type::kDecimal, 18, 0}, {"d", ds::Type::kDate}}, {{"8", "19001"}, {"7", "19001"}}});
  ASSERT_EQ(Run({{"from", {{"input", "l"}}}, {"join", {{{"input", "r"}, {"on", "l.id = r.code and l.day = r.d"}}}}}).rc, 0);
  EXPECT_EQ(OutputRows(), (Rows{{"8", "19001", "8", "19001"}}));
}

TEST_F(JoinTest, StringKeysCompareByBytesAcrossChunks) {
  Write("l", {{{"k", ds::Type::kString}}, {{"S\xC3\xA3o"}, {"sao"}, {""}, {"S\xC3\xA3o"}}}, 1);
  Write("r", {{{"k", ds::Type::kString}, {"n", ds::Type::kInt64}}, {{"", "0"}, {"S\xC3\xA3o", "1"}, {"S\xC3\xA3o", "2"}}},
        2);
  ASSERT_EQ(Run({{"from", {{"input", "l"}}}, {"join", {{{"input", "r"}, {"type", "left"}, {"on", "l.k = r.k"}}}}}).rc, 0);
  EXPECT_EQ(OutputRows(), (Rows{{"S\xC3\xA3o", "S\xC3\xA3o", "1"},
                                {"S\xC3\xA3o", "S\xC3\xA3o", "2"},
                                {"sao", "NULL", "NULL"},
                                {"", "", "0"},
                                {"S\xC3\xA3o", "S\xC3\xA3o", "1"},
                                {"S\xC3\xA3o", "S\xC3\xA3o", "2"}}));
}

TEST_F(JoinTest, FloatKeysAreRefusedWithAFix) {
  Write("l", {{{"x", ds::Type::kFloat64}}, {{"1.5"}}});
  Write("r", {{{"x", ds::Type::kFloat64}}, {{"1.5"}}});
  const Outcome outcome = Run({{"from", {{"input", "l"}}}, {"join", {{{"input", "r"}, {"on", "l.x = r.x"}}}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_NE(outcome.errors[0].find("cast the column to decimal or int64"), std::string::npos) << outcome.errors[0];
}

TEST_F(JoinTest, InputMissingFromDependsOnIsReportedAtItsEntry) {
  Write("l", {{{"id", ds::Type::kInt64}}, {{"1"}}});
  const Outcome outcome = Run({{"from", {{"input", "l"}}}, {"join", {{{"input", "nowhere"}, {"on", "l.id = nowhere.id"}}}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_EQ(outcome.errors[0].rfind("/join/0/input: input 'nowhere' is not an upstream task", 0), 0u) << outcome.errors[0];
}

TEST_F(JoinTest, SameDatasetCanBeJoinedToItselfUnderTwoAliases) {
  Write("people", {{{"id", ds::Type::kInt64}, {"boss", ds::Type::kInt64}}, {{"1", std::nullopt}, {"2", "1"}, {"3", "1"}}});
  ASSERT_EQ(Run({{"from", {{"input", "people"}, {"as", "p"}}},
                 {"join", {{{"input", "people"}, {"as", "b"}, {"on", "p.boss = b.id"}}}},
                 {"select", {"p.id", "b.id as boss_id"}}})
                .rc,
            0);
  EXPECT_EQ(OutputRows(), (Rows{{"2", "1"}, {"3", "1"}}));
}

TEST_F(JoinTest, ReportsRowsInOutAndBytes) {
  const std::vector<Table> tables = RandomTables(11, 30, 20, 10);
  Write("ta", tables[0]);
  Write("tb", tables[1]);
  Write("tc", tables[2]);
  const Outcome outcome = Run(ThreeWayConfig("left", "inner"));
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  const auto expected_rows = NestedLoopJoin(tables, ThreeWayOracle("left", "inner")).size();
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_IN), 60);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), static_cast<int64_t>(expected_rows));
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_BYTES_OUT), static_cast<int64_t>(fs::file_size(output_)));
}

TEST_F(JoinTest, ManyMatchesPerKeyFlowThroughInBatches) {
  // 300 x 300 rows on one key: 90,000 output rows, more than one internal batch.
  Table l{{{"k", ds::Type::kInt64}, {"i", ds::Type::kInt64}}, {}};
  Table r{{{"k", ds::Type::kInt64}, {"j", ds::Type::kInt64}}, {}};
  for (int i = 0; i < 300; ++i) {
    l.rows.push_back({"5", std::to_string(i)});
    r.rows.push_back({"5", std::to_string(i)});
  }
  Write("l", l, 64);
  Write("r", r, 64);
  ASSERT_EQ(Run({{"from", {{"input", "l"}}}, {"join", {{{"input", "r"}, {"on", "l.k = r.k"}}}}, {"select", {"l.i", "r.j"}}}).rc, 0);
  const Rows rows = OutputRows();
  ASSERT_EQ(rows.size(), 90000u);
  for (size_t n = 0; n < rows.size(); n += 997) {
    EXPECT_EQ(rows[n], (std::vector<std::string>{std::to_string(n / 300), std::to_string(n % 300)}));
  }
}

}  // namespace
}  // namespace sluice::join
