// examples/condo-reports.yaml against a real PostgreSQL (started by ctest,
// tests/servers/postgres.sh): reports read back from Parquet by DuckDB and the staging table
// checked against SQL computed by PostgreSQL itself (tests/oracles/condo_check.py).
#include "tests/servers/test_servers.h"
#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

class CondoReportsTest : public SluiceCliTest {
 protected:
  void SetUp() override {
    SluiceCliTest::SetUp();
    db_ = RequireServer("postgres");
    ASSERT_FALSE(db_.missing()) << db_.problem;
    libpq_env_ = "PGHOST=127.0.0.1 PGPORT=" + std::to_string(db_.port) + " PGUSER=" + db_.user +
                 " PGPASSWORD=" + ShellQuote(db_.password);
  }

  std::string WithLibpqEnv(const std::string& command) { return "env " + libpq_env_ + " " + command; }

  ServerEndpoint db_;
  std::string libpq_env_;
};

TEST_F(CondoReportsTest, ReportsAndStagingTableMatchWhatPostgresComputes) {
  const std::string generate =
      CaptureCommand(WithLibpqEnv("psql -X -q -v condominios=12 -f " + std::string(SLUICE_SOURCE_DIR) +
                                  "/examples/condo/generate-postgres.sql " + db_.database));
  ASSERT_EQ(generate, "");
  CommandResult r = Sluice(std::string("run ") + SLUICE_SOURCE_DIR + "/examples/condo-reports.yaml -q" +
                               " --param pg_url=postgresql://" + db_.user + "@127.0.0.1:" +
                               std::to_string(db_.port) + "/" + db_.database +
                               " --param output_dir=reports",
                           "CONDO_PG_PASSWORD=" + ShellQuote(db_.password));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string verdict = CaptureCommand(
      WithLibpqEnv("/usr/bin/python3 " + std::string(SLUICE_SOURCE_DIR) + "/tests/oracles/condo_check.py " +
                   ShellQuote((dir_ / "reports").string()) + " " + db_.database));
  ASSERT_EQ(verdict.substr(0, 3), "ok ") << verdict;
  EXPECT_EQ(verdict.find(" 0"), std::string::npos) << "every report has rows: " << verdict;
}

}  // namespace
}  // namespace sluice::testing
