// aggregate through its C entry point, against a brute-force oracle written here: std::map
// grouping (whose ordering of std::optional puts nulls first) and exact integer arithmetic.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"
#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::aggregate {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;
using Outcome = sdk::testing::PluginOutcome;
using Cell = std::optional<std::string>;
using Rows = std::vector<std::vector<std::string>>;

// Days since 1970-01-01 of a civil date, by the textbook algorithm (independent of the
// plugin's use of std::chrono).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

class AggregateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-aggregate-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    output_ = (dir_ / "out.sds").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes rows (cells as text: integers, unscaled decimals, days, micros; null = nullopt).
  void Write(const ds::Schema& schema, const std::vector<std::vector<Cell>>& rows, int64_t chunk_rows = 7) {
    input_ = (dir_ / "in.sds").string();
    ds::Writer writer(input_, schema, ds::WriterOptions{chunk_rows});
    for (const auto& row : rows) {
      for (size_t c = 0; c < row.size(); ++c) {
        if (!row[c]) {
          writer.AppendNull(c);
          continue;
        }
        switch (schema[c].type) {
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
  }

  Outcome Run(const nlohmann::json& config) {
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.output_path = output_;
    call.inputs = {{"with_month", input_}};
    call.task_id = "mensal";
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  std::vector<std::string> OutputTypes() {
    const ds::Reader reader(output_);
    std::vector<std::string> types;
    for (const ds::Column& c : reader.schema()) types.push_back(c.name + ":" + ds::TypeName(c));
    return types;
  }

  // Cells rendered independently: integers and unscaled decimals as integers, floats with
  // std::to_string, strings as themselves, null as "NULL".
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
            case ds::Type::kFloat64: row.push_back(std::to_string(v.Float64At(r))); break;
            case ds::Type::kBool: row.push_back(v.BoolAt(r) ? "true" : "false"); break;
            case ds::Type::kString: row.push_back(std::string(v.StringAt(r))); break;
          }
        }
        rows.push_back(std::move(row));
      }
    }
    return rows;
  }

  fs::path dir_;
  std::string input_, output_;
};

// ---------------------------------------------------------------------------------------------
// Random movements against the oracle.

const ds::Schema kMovements = {{"id_associado", ds::Type::kInt64},
                               {"tipo", ds::Type::kString},
                               {"data_movimento", ds::Type::kTimestamp},
                               {"vlr_transacao", ds::Type::kDecimal, 10, 2},
                               {"id_cartao", ds::Type::kInt64},
                               {"pontos", ds::Type::kInt64},
                               {"peso", ds::Type::kFloat64}};

struct Movement {
  std::optional<int64_t> associado;
  std::optional<std::string> tipo;
  std::optional<int64_t> month_start;  // the movement's month, as days (the oracle's bucket)
  int64_t micros = 0;
  std::optional<int64_t> cents;
  std::optional<int64_t> cartao;
  std::optional<int64_t> pontos;
  std::optional<double> peso;  // quarters: sums stay exact in binary
};

std::vector<Movement> RandomMovements(uint32_t seed, size_t count) {
  std::mt19937 rng(seed);
  const auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  std::vector<Movement> out;
  for (size_t i = 0; i < count; ++i) {
    Movement m;
    if (!chance(10)) m.associado = static_cast<int64_t>(rng() % 6);
    if (!chance(10)) m.tipo = chance(50) ? "CC" : "CP";
    if (!chance(8)) {
      const int64_t year = 1969 + static_cast<int64_t>(rng() % 3), month = 1 + static_cast<int64_t>(rng() % 12);
      const int64_t day = 1 + static_cast<int64_t>(rng() % 28), second = static_cast<int64_t>(rng() % 86400);
      m.micros = (DaysFromCivil(year, month, day) * 86400 + second) * 1'000'000;
      m.month_start = DaysFromCivil(year, month, 1);
    }
    if (!chance(15)) m.cents = static_cast<int64_t>(rng() % 20001) - 10000;
    if (!chance(10)) m.cartao = static_cast<int64_t>(rng() % 5);
    if (!chance(10)) m.pontos = static_cast<int64_t>(rng() % 2001) - 1000;
    if (!chance(10)) m.peso = static_cast<double>(static_cast<int>(rng() % 400) - 200) / 4.0;
    out.push_back(m);
  }
  return out;
}

std::vector<std::vector<Cell>> AsRows(const std::vector<Movement>& movements) {
  const auto text = [](const std::optional<int64_t>& v) { return v ? Cell(std::to_string(*v)) : Cell(); };
  std::vector<std::vector<Cell>> rows;
  for (const Movement& m : movements) {
    rows.push_back({text(m.associado), m.tipo, m.month_start ? Cell(std::to_string(m.micros)) : Cell(),
                    text(m.cents), text(m.cartao), text(m.pontos),
                    m.peso ? Cell(std::to_string(*m.peso)) : Cell()});
  }
  return rows;
}

// Banker's rounding of numerator / denominator by floor division (the plugin truncates).
__int128 RoundHalfEvenByFloor(__int128 numerator, __int128 denominator) {
  __int128 q = numerator / denominator;
  if (numerator % denominator != 0 && numerator < 0) --q;  // floor
  const __int128 r = numerator - q * denominator;           // 0 <= r < denominator
  if (2 * r > denominator || (2 * r == denominator && q % 2 != 0)) ++q;
  return q;
}

std::string Text128(__int128 v) { return std::to_string(static_cast<long long>(v)); }  // fits in tests

struct OracleGroup {
  int64_t rows = 0, cents_count = 0, pontos_count = 0, peso_count = 0;
  __int128 cents_sum = 0;
  int64_t pontos_sum = 0;
  double peso_sum = 0;
  std::optional<int64_t> cents_min, cents_max;
  std::optional<std::string> tipo_max;
  std::set<int64_t> cartoes;
  std::set<std::string> tipos;
};

const nlohmann::json kAllFunctions = {"qtd = count(*)",
                                      "vlr_total = sum(vlr_transacao)",
                                      "vlr_medio = avg(vlr_transacao)",
                                      "vlr_min = min(vlr_transacao)",
                                      "vlr_max = max(vlr_transacao)",
                                      "n_cartoes = count_distinct(id_cartao)",
                                      "n_valores = count(vlr_transacao)",
                                      "pontos = sum(pontos)",
                                      "pontos_medio = avg(pontos)",
                                      "peso = sum(peso)",
                                      "peso_medio = avg(peso)",
                                      "tipo_max = max(tipo)",
                                      "n_tipos = count_distinct(tipo)"};

std::vector<std::string> RenderGroup(const OracleGroup& g) {
  const auto opt = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : std::string("NULL"); };
  return {std::to_string(g.rows),
          g.cents_count ? Text128(g.cents_sum) : "NULL",
          g.cents_count ? Text128(RoundHalfEvenByFloor(g.cents_sum * 100, g.cents_count)) : "NULL",
          opt(g.cents_min),
          opt(g.cents_max),
          std::to_string(g.cartoes.size()),
          std::to_string(g.cents_count),
          g.pontos_count ? std::to_string(g.pontos_sum) : "NULL",
          g.pontos_count ? std::to_string(static_cast<double>(g.pontos_sum) / static_cast<double>(g.pontos_count))
                         : "NULL",
          g.peso_count ? std::to_string(g.peso_sum) : "NULL",
          g.peso_count ? std::to_string(g.peso_sum / static_cast<double>(g.peso_count)) : "NULL",
          g.tipo_max ? *g.tipo_max : "NULL",
          std::to_string(g.tipos.size())};
}

void AddToGroup(OracleGroup& g, const Movement& m) {
  ++g.rows;
  if (m.cents) {
    ++g.cents_count;
    g.cents_sum += *m.cents;
    if (!g.cents_min || *m.cents < *g.cents_min) g.cents_min = m.cents;
    if (!g.cents_max || *m.cents > *g.cents_max) g.cents_max = m.cents;
  }
  if (m.pontos) {
    ++g.pontos_count;
    g.pontos_sum += *m.pontos;
  }
  if (m.peso) {
    ++g.peso_count;
    g.peso_sum += *m.peso;
  }
  if (m.tipo && (!g.tipo_max || *m.tipo > *g.tipo_max)) g.tipo_max = m.tipo;
  if (m.cartao) g.cartoes.insert(*m.cartao);
  if (m.tipo) g.tipos.insert(*m.tipo);
}

TEST_F(AggregateTest, RandomMovementsMatchBruteForceGroupingWithMonthBuckets) {
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::vector<Movement> movements = RandomMovements(seed, 500);
    Write(kMovements, AsRows(movements));
    const Outcome outcome = Run({{"input", "with_month"},
                                 {"group_by",
                                  {"id_associado", "tipo",
                                   {{"column", "data_movimento"}, {"bucket", "month"}, {"as", "mes_inicio"}}}},
                                 {"aggregates", kAllFunctions}});
    ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
    std::map<std::tuple<std::optional<int64_t>, std::optional<std::string>, std::optional<int64_t>>, OracleGroup>
        groups;
    for (const Movement& m : movements) AddToGroup(groups[{m.associado, m.tipo, m.month_start}], m);
    Rows expected;
    const auto opt = [](const auto& v) -> std::string {
      if (!v) return "NULL";
      if constexpr (std::is_same_v<std::decay_t<decltype(*v)>, std::string>) {
        return *v;
      } else {
        return std::to_string(*v);
      }
    };
    for (const auto& [key, group] : groups) {
      std::vector<std::string> row = {opt(std::get<0>(key)), opt(std::get<1>(key)), opt(std::get<2>(key))};
      for (std::string& cell : RenderGroup(group)) row.push_back(std::move(cell));
      expected.push_back(std::move(row));
    }
    EXPECT_EQ(OutputRows(), expected);
  }
}

TEST_F(AggregateTest, WithoutGroupByOneRowSummarisesEverything) {
  const std::vector<Movement> movements = RandomMovements(9, 300);
  Write(kMovements, AsRows(movements), 16);
  const Outcome outcome = Run({{"aggregates", kAllFunctions}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  OracleGroup all;
  for (const Movement& m : movements) AddToGroup(all, m);
  EXPECT_EQ(OutputRows(), (Rows{RenderGroup(all)}));
}

TEST_F(AggregateTest, EmptyInputWithoutGroupByGivesCountsZeroAndNullSums) {
  Write(kMovements, {});
  ASSERT_EQ(Run({{"aggregates", kAllFunctions}}).rc, 0);
  EXPECT_EQ(OutputRows(), (Rows{{"0", "NULL", "NULL", "NULL", "NULL", "0", "0", "NULL", "NULL", "NULL", "NULL", "NULL", "0"}}));
}

TEST_F(AggregateTest, EmptyInputWithGroupByGivesNoRows) {
  Write(kMovements, {});
  ASSERT_EQ(Run({{"group_by", {"tipo"}}, {"aggregates", {"n = count(*)"}}}).rc, 0);
  EXPECT_TRUE(OutputRows().empty());
  EXPECT_EQ(OutputTypes(), (std::vector<std::string>{"tipo:string", "n:int64"}));
}

TEST_F(AggregateTest, OutputTypesFollowTheFunctions) {
  Write(kMovements, AsRows(RandomMovements(2, 10)));
  ASSERT_EQ(Run({{"group_by", {{{"column", "data_movimento"}, {"bucket", "year"}}}}, {"aggregates", kAllFunctions}}).rc, 0);
  EXPECT_EQ(OutputTypes(),
            (std::vector<std::string>{"data_movimento:date", "qtd:int64", "vlr_total:decimal(18,2)",
                                      "vlr_medio:decimal(18,4)", "vlr_min:decimal(10,2)", "vlr_max:decimal(10,2)",
                                      "n_cartoes:int64", "n_valores:int64", "pontos:int64", "pontos_medio:float64",
                                      "peso:float64", "peso_medio:float64", "tipo_max:string", "n_tipos:int64"}));
}

// ---------------------------------------------------------------------------------------------
// Exact decimal averages, worked by hand at scale 2 -> 4.

TEST_F(AggregateTest, DecimalAveragesRoundHalfToEvenExactly) {
  const ds::Schema schema = {{"g", ds::Type::kString}, {"v", ds::Type::kDecimal, 10, 2}};
  std::vector<std::vector<Cell>> rows = {
      {"a", "2"}, {"a", "3"},               // 0.05 / 2 = 0.025 -> 0.0250 exactly
      {"b", "1"}, {"b", "0"}, {"b", "0"},  // 0.01 / 3 = 0.00333.. -> 0.0033
      {"c", "-1"}, {"c", "0"}, {"c", "0"},  // -0.00333.. -> -0.0033
  };
  // 0.01 over 8 rows = 0.00125: a tie at four digits -> 0.0012 (2 is even); 0.03 / 8 =
  // 0.00375 -> 0.0038 (8 is even); negatives mirror them.
  for (const auto& [group, first] : std::vector<std::pair<std::string, std::string>>{{"d", "1"}, {"e", "3"}, {"f", "-1"}, {"g", "-3"}}) {
    rows.push_back({group, first});
    for (int i = 0; i < 7; ++i) rows.push_back({group, "0"});
  }
  rows.push_back({"h", "2"});  // 0.02 / 8 = 0.0025 exactly
  for (int i = 0; i < 7; ++i) rows.push_back({"h", "0"});
  rows.push_back({"i", std::nullopt});  // only nulls: avg and sum are null, count 0
  Write(schema, rows, 3);
  ASSERT_EQ(Run({{"group_by", {"g"}}, {"aggregates", {"s = sum(v)", "m = avg(v)", "n = count(v)"}}}).rc, 0);
  EXPECT_EQ(OutputRows(), (Rows{{"a", "5", "250", "2"},
                                {"b", "1", "33", "3"},
                                {"c", "-1", "-33", "3"},
                                {"d", "1", "12", "8"},
                                {"e", "3", "38", "8"},
                                {"f", "-1", "-12", "8"},
                                {"g", "-3", "-38", "8"},
                                {"h", "2", "25", "8"},
                                {"i", "NULL", "NULL", "0"}}));
}

TEST_F(AggregateTest, NullKeysFormTheirOwnGroupSortedFirst) {
  const ds::Schema schema = {{"k", ds::Type::kInt64}, {"v", ds::Type::kInt64}};
  Write(schema, {{"5", "1"}, {std::nullopt, "2"}, {"-3", "4"}, {std::nullopt, std::nullopt}, {"5", "8"}});
  ASSERT_EQ(Run({{"group_by", {"k"}}, {"aggregates", {"n = count(*)", "s = sum(v)", "lo = min(v)"}}}).rc, 0);
  EXPECT_EQ(OutputRows(), (Rows{{"NULL", "2", "2", "2"}, {"-3", "1", "4", "4"}, {"5", "2", "9", "1"}}));
}

TEST_F(AggregateTest, DayAndYearBucketsOfDatesAndTimestampsBeforeAndAfter1970) {
  const ds::Schema schema = {{"d", ds::Type::kDate}, {"t", ds::Type::kTimestamp}};
  const int64_t before = (DaysFromCivil(1969, 12, 31) * 86400 + 86399) * 1'000'000;  // 23:59:59
  const int64_t after = (DaysFromCivil(2024, 2, 29) * 86400 + 1) * 1'000'000;
  Write(schema, {{std::to_string(DaysFromCivil(1969, 12, 31)), std::to_string(before)},
                 {std::to_string(DaysFromCivil(2024, 2, 29)), std::to_string(after)}});
  ASSERT_EQ(Run({{"group_by",
                  {{{"column", "t"}, {"bucket", "day"}, {"as", "dia"}},
                   {{"column", "d"}, {"bucket", "year"}, {"as", "ano"}},
                   {{"column", "t"}, {"bucket", "month"}, {"as", "mes"}}}},
                 {"aggregates", {"n = count(*)"}}})
                .rc,
            0);
  EXPECT_EQ(OutputRows(),
            (Rows{{std::to_string(DaysFromCivil(1969, 12, 31)), std::to_string(DaysFromCivil(1969, 1, 1)),
                   std::to_string(DaysFromCivil(1969, 12, 1)), "1"},
                  {std::to_string(DaysFromCivil(2024, 2, 29)), std::to_string(DaysFromCivil(2024, 1, 1)),
                   std::to_string(DaysFromCivil(2024, 2, 1)), "1"}}));
}

TEST_F(AggregateTest, StringKeysSortByBytesAndMinMaxKeepTheType) {
  const ds::Schema schema = {{"s", ds::Type::kString}, {"d", ds::Type::kDate}, {"b", ds::Type::kBool}};
  Write(schema, {{"b", "10", "1"}, {"a", "30", "0"}, {"\xC3\xA9", "20", "1"}, {"a", "5", "1"}, {"B", "1", "0"}});
  ASSERT_EQ(Run({{"group_by", {"s"}}, {"aggregates", {"first = min(d)", "last = max(d)", "any = max(b)"}}}).rc, 0);
  EXPECT_EQ(OutputTypes(), (std::vector<std::string>{"s:string", "first:date", "last:date", "any:bool"}));
  EXPECT_EQ(OutputRows(), (Rows{{"B", "1", "1", "false"},
                                {"a", "5", "30", "true"},
                                {"b", "10", "10", "true"},
                                {"\xC3\xA9", "20", "20", "true"}}));
}

// Each group gets a distinct count, so the counts column spells out the order of the keys.
// The keys tie on their first bytes (long strings), mix signs (floats, int64 extremes) and
// include null, empty and -0.0 (which groups with 0.0).
TEST_F(AggregateTest, KeysSortByFullValueEvenWhenTheirFirstBytesTie) {
  const auto counts_in_output_order = [&]() {
    std::vector<std::string> counts;
    for (const std::vector<std::string>& row : OutputRows()) counts.push_back(row.back());
    return counts;
  };
  const auto repeat = [](std::vector<std::vector<Cell>>* rows, Cell value, int times) {
    for (int i = 0; i < times; ++i) rows->push_back({value});
  };
  std::vector<std::vector<Cell>> strings;
  repeat(&strings, "identical-prefix-b", 1);
  repeat(&strings, "identical-prefix-a", 2);
  repeat(&strings, "identical", 3);
  repeat(&strings, "", 4);
  repeat(&strings, std::nullopt, 5);
  repeat(&strings, "identical-prefix-ab", 6);
  Write({{"k", ds::Type::kString}}, strings);
  ASSERT_EQ(Run({{"group_by", {"k"}}, {"aggregates", {"n = count(*)"}}}).rc, 0);
  EXPECT_EQ(counts_in_output_order(), (std::vector<std::string>{"5", "4", "3", "2", "6", "1"}));

  std::vector<std::vector<Cell>> ints;
  repeat(&ints, "9223372036854775807", 1);
  repeat(&ints, "-9223372036854775808", 2);
  repeat(&ints, "0", 3);
  repeat(&ints, "-1", 4);
  repeat(&ints, std::nullopt, 5);
  Write({{"k", ds::Type::kInt64}}, ints);
  ASSERT_EQ(Run({{"group_by", {"k"}}, {"aggregates", {"n = count(*)"}}}).rc, 0);
  EXPECT_EQ(counts_in_output_order(), (std::vector<std::string>{"5", "2", "4", "3", "1"}));

  std::vector<std::vector<Cell>> floats;
  repeat(&floats, "2.5", 1);
  repeat(&floats, "-10", 2);
  repeat(&floats, "0", 2);
  repeat(&floats, "-0.0", 2);  // the same group as 0: 4 rows
  repeat(&floats, "1e300", 5);
  repeat(&floats, "-0.5", 6);
  repeat(&floats, std::nullopt, 7);
  Write({{"k", ds::Type::kFloat64}}, floats);
  ASSERT_EQ(Run({{"group_by", {"k"}}, {"aggregates", {"n = count(*)"}}}).rc, 0);
  EXPECT_EQ(counts_in_output_order(), (std::vector<std::string>{"7", "2", "6", "4", "1", "5"}));
}

// ---------------------------------------------------------------------------------------------
// Errors.

TEST_F(AggregateTest, Int64SumOverflowIsAnError) {
  Write({{"v", ds::Type::kInt64}}, {{"9223372036854775807"}, {"1"}});
  const Outcome outcome = Run({{"aggregates", {"s = sum(v)"}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_EQ(outcome.errors[0].rfind("/aggregates/0: sum(v) of one group is 9223372036854775808, which does not fit int64", 0), 0u)
      << outcome.errors[0];
  EXPECT_FALSE(fs::exists(output_));
}

TEST_F(AggregateTest, DecimalSumBeyondEighteenDigitsIsAnErrorSayingSo) {
  Write({{"v", ds::Type::kDecimal, 18, 2}}, {{"999999999999999999"}, {"1"}});
  const Outcome outcome = Run({{"aggregates", {"s = sum(v)"}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_NE(outcome.errors[0].find("1000000000000000000 (unscaled), which does not fit decimal(18,2): the result has "
                                   "more than 18 digits"),
            std::string::npos)
      << outcome.errors[0];
  // Their average (5e17 at scale 4: 5e19 unscaled, 20 digits) does not fit either.
  const Outcome avg = Run({{"aggregates", {"m = avg(v)"}}});
  ASSERT_NE(avg.rc, 0);
  EXPECT_NE(avg.errors[0].find("avg(v) of one group is 50000000000000000000 (unscaled)"), std::string::npos)
      << avg.errors[0];
}

TEST_F(AggregateTest, SumsStayExactBeyondSixtyFourBitsUntilTheResult) {
  // The running sum passes 2^63 and comes back: 128-bit accumulation gives the exact total.
  Write({{"v", ds::Type::kDecimal, 18, 0}},
        {{"999999999999999999"}, {"999999999999999999"}, {"999999999999999999"}, {"-999999999999999999"},
         {"-999999999999999999"}, {"-999999999999999990"}});
  ASSERT_EQ(Run({{"aggregates", {"s = sum(v)", "m = avg(v)"}}}).rc, 0);
  EXPECT_EQ(OutputRows(), (Rows{{"9", "150"}}));  // 9 / 6 = 1.5 -> 1.50 at scale 2
}

TEST_F(AggregateTest, WrongTypesAndUnknownColumnsAreReportedWithTheFix) {
  Write({{"nome", ds::Type::kString}, {"v", ds::Type::kDecimal, 18, 17}, {"n", ds::Type::kInt64}}, {{"x", "1", "2"}});
  Outcome outcome = Run({{"aggregates", {"s = sum(nome)"}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_EQ(outcome.errors[0], "/aggregates/0: sum(nome): column 'nome' is string; sum needs int64, decimal or "
                               "float64 (count, min and max work on any type)");
  outcome = Run({{"aggregates", {"n = count(*)", "m = avg(v)"}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_NE(outcome.errors[0].find("/aggregates/1: avg(v): the average of decimal(18,17) has scale 19"),
            std::string::npos)
      << outcome.errors[0];
  outcome = Run({{"aggregates", {"m = max(valor)"}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_EQ(outcome.errors[0], "/aggregates/0: column 'valor' is not in the input; its columns are: nome, v, n");
  outcome = Run({{"group_by", {{{"column", "n"}, {"bucket", "month"}}}}, {"aggregates", {"c = count(*)"}}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_EQ(outcome.errors[0], "/group_by/0: column 'n' is int64; a bucket needs a date or timestamp column (drop "
                               "`bucket` to group by its values)");
}

TEST_F(AggregateTest, ReportsRowsInGroupsOutAndBytes) {
  Write({{"k", ds::Type::kInt64}}, {{"1"}, {"2"}, {"1"}, {"3"}, {"2"}});
  const Outcome outcome = Run({{"group_by", {"k"}}, {"aggregates", {"n = count(*)"}}});
  ASSERT_EQ(outcome.rc, 0);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_IN), 5);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), 3);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_BYTES_OUT), static_cast<int64_t>(fs::file_size(output_)));
}

}  // namespace
}  // namespace sluice::aggregate
