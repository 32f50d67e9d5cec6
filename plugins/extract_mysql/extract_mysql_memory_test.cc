// extract.mysql streams: a child process extracting a table far larger than memory should
// need stays far below the table's size at its peak (ru_maxrss of the waited-for child).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"
#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"
#include "test_database.h"
#include "tests/servers/test_servers.h"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::mysql {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAddressSanitizer = true;
#else
constexpr bool kUnderAddressSanitizer = false;
#endif

// Runs the plugin in a forked child and returns the child's peak RSS in bytes, or -1 when
// the extract failed. wait4 reports the usage of this one child only.
int64_t PeakBytesOfExtractInChild(const nlohmann::json& config, const fs::path& dir,
                                  const std::string& output) {
  const pid_t child = ::fork();
  if (child < 0) return -1;
  if (child == 0) {
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir.string();
    call.output_path = output;
    const sdk::testing::PluginOutcome outcome =
        sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
    ::_exit(outcome.rc == 0 ? 0 : 1);
  }
  int status = 0;
  struct rusage usage {};
  if (::wait4(child, &status, 0, &usage) != child) return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

TEST(ExtractMysqlMemoryTest, TablesAndBoundQueriesStreamInMemoryFarBelowTheTableSize) {
  if (kUnderAddressSanitizer) {
    GTEST_SKIP() << "AddressSanitizer's shadow memory and quarantine make RSS meaningless";
  }
  const sluice::testing::ServerEndpoint endpoint = sluice::testing::RequireServer("mariadb");
  if (endpoint.missing()) GTEST_FAIL() << endpoint.problem;
  testing::TestDatabase db(endpoint);
  // 300k rows of about 400 bytes: about 120 MB that a buffered result would hold at once.
  db.Execute(
      "DROP TABLE IF EXISTS t_memory;\n"
      "CREATE TABLE t_memory (id INT PRIMARY KEY, vlr DECIMAL(12,2), des VARCHAR(500)) "
      "CHARACTER SET utf8mb4;\n"
      "INSERT INTO t_memory SELECT seq, seq / 100, CONCAT(seq, ' ', REPEAT('movimento ', 40)) "
      "FROM seq_1_to_300000");
  const int64_t table_bytes =
      std::stoll(db.Scalar("SELECT SUM(LENGTH(des)) + COUNT(*) * 16 FROM t_memory"));
  ASSERT_GT(table_bytes, 100'000'000);

  std::string pattern = (fs::temp_directory_path() / "sluice-mysql-mem-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const fs::path dir = pattern;
  const std::string output = (dir / "out.sds").string();
  ::setenv("SLUICE_TEST_MYSQL_PASSWORD", endpoint.password.c_str(), 1);
  const nlohmann::json config = {
      {"connection", "mysql://" + endpoint.user + "@" + endpoint.host + ":" +
                         std::to_string(endpoint.port) + "/" + endpoint.database},
      {"password_env", "SLUICE_TEST_MYSQL_PASSWORD"},
      {"table", "t_memory"}};

  // The whole table, and the same rows through a query with a bound parameter (which goes
  // through PREPARE/EXECUTE): both must stream.
  nlohmann::json bound = config;
  bound.erase("table");
  bound["query"] = "SELECT * FROM t_memory WHERE id > ?";
  bound["params"] = {0};
  for (const nlohmann::json& run : {config, bound}) {
    const int64_t peak_bytes = PeakBytesOfExtractInChild(run, dir, output);
    ASSERT_GT(peak_bytes, 0) << "the extract failed: " << run.dump();
    // A buffered result alone would need more than the table's size. What a streaming
    // extract holds is one row from the server plus one dataset chunk (65536 rows, about
    // 26 MB here, while its string buffer grows), so the bound is half the table.
    EXPECT_LT(peak_bytes, table_bytes / 2)
        << "peak RSS " << peak_bytes / 1'000'000 << " MB for a " << table_bytes / 1'000'000
        << " MB table: the result is being buffered, not streamed (" << run.dump() << ")";
  }

  // And every row arrived: the count and the sum agree with the server's.
  ds::Reader reader(output);
  EXPECT_EQ(std::to_string(reader.row_count()), db.Scalar("SELECT COUNT(*) FROM t_memory"));
  int64_t cents = 0;
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const ds::ChunkView chunk = reader.chunk(c);
    for (int64_t r = 0; r < chunk.row_count(); ++r) cents += chunk.column(1).DecimalAt(r);
  }
  EXPECT_EQ(ds::FormatDecimal(cents, 2), db.Scalar("SELECT SUM(vlr) FROM t_memory"));
  db.Execute("DROP TABLE t_memory");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice::mysql
