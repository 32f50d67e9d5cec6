// extract.postgres streams: a child process extracting a result far larger than memory should
// need stays far below the result's size at its peak (ru_maxrss of the waited-for child).
// Built and run without sanitizers (a MEASURED test, cmake/SluiceTest.cmake).
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
#include "tests/servers/test_servers.h"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::postgres {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAddressSanitizer = true;
#else
constexpr bool kUnderAddressSanitizer = false;
#endif

constexpr const char* kPasswordVariable = "SLUICE_TEST_PG_MEMORY_PASSWORD";

TEST(ExtractPostgresMemoryTest, MemoryStaysFlatOnAResultMuchLargerThanIt) {
  if (kUnderAddressSanitizer) {
    GTEST_SKIP() << "AddressSanitizer's shadow memory and quarantine make RSS meaningless";
  }
  const sluice::testing::ServerEndpoint server = sluice::testing::RequireServer("postgres");
  if (server.missing()) GTEST_FAIL() << server.problem;
  ::setenv(kPasswordVariable, server.password.c_str(), 1);
  std::string pattern = (fs::temp_directory_path() / "sluice-pgmemory-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const fs::path dir = pattern;

  // Each payload is an md5 in hex (32 characters) repeated 8 times: 256 bytes a row, so the
  // result holds 400,000 x 256 = 102 MB of text.
  constexpr int kRows = 400000;
  constexpr int64_t kDataBytes = int64_t{kRows} * 256;
  const nlohmann::json config = {
      {"connection", "postgresql://" + server.user + "@" + server.host + ":" +
                         std::to_string(server.port) + "/" + server.database},
      {"password_env", kPasswordVariable},
      {"query", "SELECT g AS id, repeat(md5(g::text), 8) AS payload "
                "FROM generate_series(1, " + std::to_string(kRows) + ") g"}};
  const std::string output = (dir / "out.sds").string();

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir.string();
    call.output_path = output;
    call.task_id = "extract";
    ::_exit(sdk::testing::RunPlugin(*sluice_plugin_entry(), call).rc == 0 ? 0 : 1);
  }
  int status = 0;
  rusage usage{};
  ASSERT_EQ(::wait4(child, &status, 0, &usage), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the extract failed";
  const int64_t peak_bytes = int64_t{usage.ru_maxrss} * 1024;
  RecordProperty("peak_rss_bytes", std::to_string(peak_bytes));
  EXPECT_LT(peak_bytes, kDataBytes / 3)
      << "peak RSS " << peak_bytes << " for " << kDataBytes << " bytes of data";
  {
    ds::Reader reader(output);
    EXPECT_EQ(reader.row_count(), kRows);
    // The text columns hold the whole payload: the extract did not truncate to stay small.
    EXPECT_GE(static_cast<int64_t>(fs::file_size(output)), kDataBytes);
  }
  fs::remove_all(dir);
  ::unsetenv(kPasswordVariable);
}

}  // namespace
}  // namespace sluice::postgres
