// The transform plugin through its C entry points, as the host calls it, on datasets written
// by dataset::Writer; expected outputs are computed by plain C++ over the same input rows.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"
#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::transform {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;

using Outcome = sdk::testing::PluginOutcome;

// One row of the bronze dataset the tests transform.
struct Movement {
  int64_t id;
  std::optional<int64_t> valor_cents;  // decimal(10,2)
  std::optional<std::string> status;
  std::optional<bool> cancelado;
  int64_t data_movimento;  // timestamp, microseconds
  int64_t qtd;
  int64_t preco_cents;  // decimal(10,2)
  std::string nome, sobrenome;
};

const ds::Schema kBronzeSchema = {
    {"id", ds::Type::kInt64},         {"valor", ds::Type::kDecimal, 10, 2},
    {"status", ds::Type::kString},    {"cancelado", ds::Type::kBool},
    {"data_movimento", ds::Type::kTimestamp}, {"qtd", ds::Type::kInt64},
    {"preco", ds::Type::kDecimal, 10, 2}, {"nome", ds::Type::kString},
    {"sobrenome", ds::Type::kString}};

// Deterministic rows covering nulls, negatives, every status, month and year ends, and
// repeated rows for dedupe.
std::vector<Movement> MakeMovements(int count) {
  std::vector<Movement> rows;
  const char* statuses[] = {"A", "B", "C", nullptr};
  const char* names[] = {"Ana", "João", "Zé"};
  for (int i = 0; i < count; ++i) {
    Movement m;
    m.id = i / 2;  // rows 2k and 2k+1 share an id; every 6th pair is an exact repeat
    m.valor_cents = i % 11 == 0 ? std::nullopt : std::optional<int64_t>((i % 7 - 2) * 1234 + i);
    m.status = statuses[i % 4] ? std::optional<std::string>(statuses[i % 4]) : std::nullopt;
    m.cancelado = i % 13 == 5 ? std::nullopt : std::optional<bool>(i % 5 == 0);
    // From 2023-12-30 23:00:00 UTC, 17 hours apart: crosses the year and month ends.
    m.data_movimento = (1703977200LL + int64_t{i} * 17 * 3600) * 1000000;
    m.qtd = i % 4 + 1;
    m.preco_cents = 1999 + i * 3;
    m.nome = names[i % 3];
    m.sobrenome = "Silva";
    if (i % 12 == 1) {
      rows.push_back(rows.back());  // an exact repeat of the previous row
      rows.back().id = m.id;
      continue;
    }
    rows.push_back(m);
  }
  return rows;
}

class TransformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-transform-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    output_ = (dir_ / "out.sds").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string WriteBronze(const std::vector<Movement>& rows, const std::string& name = "bronze.sds",
                          int64_t chunk_rows = 7) {
    const std::string path = (dir_ / name).string();
    ds::Writer writer(path, kBronzeSchema, ds::WriterOptions{chunk_rows});
    for (const Movement& m : rows) {
      writer.AppendInt64(0, m.id);
      m.valor_cents ? writer.AppendDecimal(1, *m.valor_cents) : writer.AppendNull(1);
      m.status ? writer.AppendString(2, *m.status) : writer.AppendNull(2);
      m.cancelado ? writer.AppendBool(3, *m.cancelado) : writer.AppendNull(3);
      writer.AppendTimestamp(4, m.data_movimento);
      writer.AppendInt64(5, m.qtd);
      writer.AppendDecimal(6, m.preco_cents);
      writer.AppendString(7, m.nome);
      writer.AppendString(8, m.sobrenome);
      writer.EndRow();
    }
    writer.Finish();
    return path;
  }

  Outcome Run(const nlohmann::json& config,
              const std::vector<std::pair<std::string, std::string>>& inputs) {
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.output_path = output_;
    call.inputs = inputs;
    call.task_id = "silver";
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  std::vector<std::string> Validate(const nlohmann::json& config) {
    return sdk::testing::ValidatePlugin(*sluice_plugin_entry(), config.dump()).errors;
  }

  fs::path dir_;
  std::string output_;
};

// The configuration of the task's example, with {{ ds }} as the host renders it.
nlohmann::json SilverConfig(const std::string& ds_date) {
  std::string text = R"json({
    "input": "bronze",
    "steps": [
      {"filter": "valor > 0 and (status in ('A', 'B') or status is null) and not cancelado"},
      {"derive": "mes = format_date(data_movimento, '%Y-%m')"},
      {"derive": ["total = qtd * preco", "nome_completo = nome || ' ' || sobrenome",
                  "data_processamento = date('DS')"]},
      {"select": ["id", "mes", "total", "nome_completo", "data_processamento"]},
      {"rename": {"total": "valor_total"}},
      {"drop": ["mes"]},
      {"cast": {"valor_total": "decimal(12,2)", "id": "string"}},
      {"dedupe": true}
    ]})json";
  text.replace(text.find("DS"), 2, ds_date);
  return nlohmann::json::parse(text);
}

using OutputRow = std::tuple<std::string, std::string, std::string, std::string>;

std::vector<OutputRow> ReadOutput(const std::string& path) {
  std::vector<OutputRow> rows;
  ds::Reader reader(path);
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const ds::ChunkView chunk = reader.chunk(c);
    for (int64_t r = 0; r < chunk.row_count(); ++r) {
      std::string cells[4];
      for (size_t col = 0; col < 4; ++col) {
        if (chunk.column(col).IsNull(r)) cells[col] = "NULL";
        else ds::AppendValueText(&cells[col], chunk.column(col), r);
      }
      rows.emplace_back(cells[0], cells[1], cells[2], cells[3]);
    }
  }
  return rows;
}

TEST_F(TransformTest, SilverExampleMatchesAPlainCppOracle) {
  const std::vector<Movement> input = MakeMovements(60);
  const std::string bronze = WriteBronze(input);
  const Outcome outcome = Run(SilverConfig("2024-05-01"), {{"bronze", bronze}});
  ASSERT_EQ(outcome.rc, 0) << (outcome.errors.empty() ? "" : outcome.errors[0]);

  // Oracle: the same steps as plain C++ on the rows.
  std::vector<OutputRow> expected;
  std::set<OutputRow> seen;
  for (const Movement& m : input) {
    const bool valor_positive = m.valor_cents && *m.valor_cents > 0;
    const bool status_ok = !m.status || *m.status == "A" || *m.status == "B";
    const bool not_cancelled = m.cancelado && !*m.cancelado;  // not null is null: dropped
    if (!(valor_positive && status_ok && not_cancelled)) continue;
    const OutputRow row{std::to_string(m.id), ds::FormatDecimal(m.qtd * m.preco_cents, 2),
                        m.nome + " " + m.sobrenome, "2024-05-01"};
    if (seen.insert(row).second) expected.push_back(row);
  }
  ASSERT_GT(expected.size(), 5u);
  EXPECT_EQ(ReadOutput(output_), expected);

  ds::Reader reader(output_);
  std::vector<std::string> schema;
  for (const ds::Column& c : reader.schema()) schema.push_back(c.name + ":" + ds::TypeName(c));
  EXPECT_EQ(schema, (std::vector<std::string>{"id:string", "valor_total:decimal(12,2)",
                                              "nome_completo:string", "data_processamento:date"}));
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_IN), static_cast<int64_t>(input.size()));
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), static_cast<int64_t>(expected.size()));
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_BYTES_OUT), static_cast<int64_t>(fs::file_size(output_)));
}

TEST_F(TransformTest, MonthsAreFormattedAcrossTheYearEnd) {
  const std::vector<Movement> input = MakeMovements(12);
  const std::string bronze = WriteBronze(input);
  const nlohmann::json config = nlohmann::json::parse(R"json({"steps": [
      {"derive": "mes = format_date(data_movimento, '%Y-%m')"}, {"select": ["mes"]}]})json");
  ASSERT_EQ(Run(config, {{"bronze", bronze}}).rc, 0);
  ds::Reader reader(output_);
  std::vector<std::string> months, expected;
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    for (int64_t r = 0; r < reader.chunk(c).row_count(); ++r) {
      months.emplace_back(reader.chunk(c).column(0).StringAt(r));
    }
  }
  for (const Movement& m : input) {
    // Civil date by hand: days since the epoch -> year and month (Howard Hinnant's algorithm
    // is what the plugin uses through <chrono>; here a plain loop over months).
    int64_t days = m.data_movimento / 1000000 / 86400;
    int year = 1970, month = 1;
    auto month_days = [](int y, int mo) {
      static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
      return mo == 2 && leap ? 29 : kDays[mo - 1];
    };
    while (days >= month_days(year, month)) {
      days -= month_days(year, month);
      if (++month == 13) {
        month = 1;
        ++year;
      }
    }
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d", year, month);
    expected.emplace_back(text);
  }
  EXPECT_EQ(months, expected);
  EXPECT_EQ(expected.front(), "2023-12");
  EXPECT_EQ(expected.back(), "2024-01");
}

TEST_F(TransformTest, ValidateAcceptsTheExampleWithItsTemplateUnrendered) {
  nlohmann::json config = SilverConfig("{{ ds }}");
  EXPECT_EQ(Validate(config), std::vector<std::string>{});
}

TEST_F(TransformTest, ValidateReportsEveryBadStepWithItsPointerAndCaret) {
  const nlohmann::json config = nlohmann::json::parse(R"json({"steps": [
      {"filter": "valor > 0 and"},
      {"derive": ["ok = 1", "total = qtd ** 2"]},
      {"explode": ["x"]},
      {"cast": {"valor": "money"}},
      {"select": ["a", "a"]}]})json");
  const std::vector<std::string> errors = Validate(config);
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors[0],
            "/steps/0/filter: expected a value, a column name or '(', found the end of the expression\n"
            "  valor > 0 and\n"
            "               ^");
  EXPECT_EQ(errors[1],
            "/steps/1/derive/1: expected a value, a column name or '(', found '*'\n"
            "  total = qtd ** 2\n"
            "               ^");
  EXPECT_EQ(errors[2].rfind("/steps/2/explode: unknown step 'explode'", 0), 0u) << errors[2];
  EXPECT_EQ(errors[3].rfind("/steps/3/cast/valor: unknown type 'money'", 0), 0u) << errors[3];
  EXPECT_EQ(errors[4], "/steps/4/select/1: column 'a' is listed twice; list it once");
}

TEST_F(TransformTest, TypeErrorsFailBeforeAnyOutputIsWritten) {
  const std::string bronze = WriteBronze(MakeMovements(10));
  const nlohmann::json config = nlohmann::json::parse(R"json({"steps": [
      {"derive": "total = nome * 2"}]})json");
  const Outcome outcome = Run(config, {{"bronze", bronze}});
  EXPECT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0],
            "/steps/0/derive: '*' needs numbers, but this is string; cast(x as decimal(12,2)) reads a number\n"
            "  total = nome * 2\n"
            "          ^^^^");
  EXPECT_FALSE(fs::exists(output_));
}

TEST_F(TransformTest, ARowErrorInALaterChunkLeavesNoOutput) {
  std::vector<Movement> input = MakeMovements(30);
  input[25].status = "not a number";
  const std::string bronze = WriteBronze(input);
  const nlohmann::json config = nlohmann::json::parse(R"json({"steps": [
      {"derive": "n = cast(status as int64)"}]})json");
  const Outcome outcome = Run(config, {{"bronze", bronze}});
  EXPECT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  // Rows 1..25 hold "A"/"B"/"C" or null; the first non-null one fails: row 1.
  EXPECT_NE(outcome.errors[0].find("row 1: cannot cast to int64: 'A' is not a whole number"),
            std::string::npos)
      << outcome.errors[0];
  EXPECT_FALSE(fs::exists(output_));
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

TEST_F(TransformTest, InputNamesOneOfSeveralUpstreams) {
  const std::string a = WriteBronze(MakeMovements(4), "a.sds");
  const std::string b = WriteBronze(MakeMovements(9), "b.sds");
  const nlohmann::json pick_b = nlohmann::json::parse(R"json({"input": "b", "steps": []})json");
  const Outcome picked = Run(pick_b, {{"a", a}, {"b", b}});
  ASSERT_EQ(picked.rc, 0);
  EXPECT_EQ(ds::Reader(output_).row_count(), ds::Reader(b).row_count());

  const Outcome ambiguous = Run(nlohmann::json::parse(R"json({"steps": []})json"), {{"a", a}, {"b", b}});
  EXPECT_NE(ambiguous.rc, 0);
  EXPECT_NE(ambiguous.errors.at(0).find("name one with `input:`"), std::string::npos);
}

TEST_F(TransformTest, EmptyInputGivesAnEmptyDatasetWithThePlannedSchema) {
  const std::string bronze = WriteBronze({});
  const nlohmann::json config = nlohmann::json::parse(R"json({"steps": [
      {"derive": "total = qtd * preco"}, {"select": ["total"]}]})json");
  ASSERT_EQ(Run(config, {{"bronze", bronze}}).rc, 0);
  ds::Reader reader(output_);
  EXPECT_EQ(reader.row_count(), 0);
  ASSERT_EQ(reader.schema().size(), 1u);
  EXPECT_EQ(ds::TypeName(reader.schema()[0]), "decimal(18,2)");
}

// A measurement, not an assertion: 1M rows through a filter and two derives. Run with
// --gtest_also_run_disabled_tests --gtest_filter='*Benchmark*'.
TEST_F(TransformTest, DISABLED_BenchmarkMillionRowsFilterAndTwoDerives) {
  const int64_t kRows = 1'000'000;
  const std::string path = (dir_ / "big.sds").string();
  {
    ds::Writer writer(path, {{"id", ds::Type::kInt64}, {"valor", ds::Type::kDecimal, 10, 2},
                             {"qtd", ds::Type::kInt64}, {"status", ds::Type::kString},
                             {"data", ds::Type::kTimestamp}});
    for (int64_t i = 0; i < kRows; ++i) {
      writer.AppendInt64(0, i);
      writer.AppendDecimal(1, (i % 1000) - 100);
      writer.AppendInt64(2, i % 7);
      writer.AppendString(3, i % 3 == 0 ? "A" : "B");
      writer.AppendTimestamp(4, 1700000000000000 + i * 1000000);
      writer.EndRow();
    }
    writer.Finish();
  }
  const nlohmann::json config = nlohmann::json::parse(R"json({"steps": [
      {"filter": "valor > 0 and status in ('A', 'B')"},
      {"derive": ["total = qtd * valor", "mes = format_date(data, '%Y-%m')"]}]})json");
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  const Outcome outcome = Run(config, {{"bronze", path}});
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(outcome.rc, 0);
  // CPU time as well as wall time: on a shared machine the wall clock includes waiting.
  std::printf("transform: %lld rows in, %lld out, %.3f s wall, %.3f s cpu\n",
              static_cast<long long>(outcome.counters.at(SLUICE_COUNTER_ROWS_IN)),
              static_cast<long long>(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT)), seconds, cpu);
}

}  // namespace
}  // namespace sluice::transform
