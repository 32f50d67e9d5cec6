// A third party builds a plugin against the installed SDK alone (DESIGN.md decision 1):
// installs this build into a fresh prefix, builds examples/plugin-hello against it with
// cmake, and loads and runs the result the way `sluice task-exec` does.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/plugin_host.h"
#include "sluice/plugin.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

bool CmakeOnPath() {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "";
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const fs::path candidate = fs::path(rest.substr(0, colon)) / "cmake";
    if (access(candidate.c_str(), X_OK) == 0) return true;
    rest = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
  }
  return false;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `command_line` with its output in `log`, which a failure shows in full.
::testing::AssertionResult RunLogged(const std::string& command_line, const fs::path& log) {
  const int status = std::system((command_line + " > '" + log.string() + "' 2>&1").c_str());
  if (status == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << command_line << "\nfailed with wait status " << status
                                       << ":\n" << ReadFile(log);
}

struct HostLog {
  std::vector<std::string> lines;
  static void Log(void* host, int /*level*/, const char* message) {
    static_cast<HostLog*>(host)->lines.emplace_back(message);
  }
};

struct Reported {
  std::vector<std::string> errors;
  static void Collect(void* user, const char* /*config_path*/, const char* message) {
    static_cast<Reported*>(user)->errors.emplace_back(message);
  }
};

// Points file descriptor 1 at a file while alive, so what a plugin prints can be checked.
class StdoutToFile {
 public:
  explicit StdoutToFile(const fs::path& file) {
    std::fflush(stdout);
    saved_ = dup(STDOUT_FILENO);
    FILE* target = std::fopen(file.c_str(), "w");
    if (target != nullptr) {
      dup2(fileno(target), STDOUT_FILENO);
      std::fclose(target);
    }
  }
  ~StdoutToFile() {
    std::fflush(stdout);
    dup2(saved_, STDOUT_FILENO);
    close(saved_);
  }
  StdoutToFile(const StdoutToFile&) = delete;
  StdoutToFile& operator=(const StdoutToFile&) = delete;

 private:
  int saved_ = -1;
};

class PluginHelloBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CmakeOnPath()) GTEST_SKIP() << "cmake is not on PATH; cannot build the example";
    work_ = fs::temp_directory_path() / ("sluice-plugin-hello-" + std::to_string(getpid()));
    fs::remove_all(work_);
    fs::create_directories(work_);
  }
  void TearDown() override {
    if (!work_.empty()) fs::remove_all(work_);
  }

  fs::path work_;
};

TEST_F(PluginHelloBuildTest, ExampleBuildsAgainstInstalledSdkAndRuns) {
  const fs::path prefix = work_ / "prefix";
  const fs::path build = work_ / "build";
  ASSERT_TRUE(RunLogged("cmake --install '" SLUICE_BINARY_DIR "' --prefix '" + prefix.string() + "'",
                        work_ / "install.log"));
  ASSERT_TRUE(fs::exists(prefix / "include" / "sluice" / "plugin.hpp"));
  // The installed binary finds the installed plugins (PREFIX/lib/sluice/plugins) by itself.
  ASSERT_TRUE(RunLogged("SLUICE_PLUGIN_PATH= '" + (prefix / "bin" / "sluice").string() +
                            "' plugins list",
                        work_ / "installed-plugins.log"));
  EXPECT_NE(ReadFile(work_ / "installed-plugins.log")
                .find((prefix / "lib" / "sluice" / "plugins" / "libsluice_extract_csv.so").string()),
            std::string::npos)
      << ReadFile(work_ / "installed-plugins.log");
  ASSERT_TRUE(RunLogged("cmake -S '" SLUICE_SOURCE_DIR "/examples/plugin-hello' -B '" +
                            build.string() + "' -DCMAKE_PREFIX_PATH='" + prefix.string() + "'",
                        work_ / "configure.log"));
  ASSERT_TRUE(RunLogged("cmake --build '" + build.string() + "'", work_ / "build.log"));

  Result<std::unique_ptr<LoadedPlugin>> plugin =
      LoadPluginFile((build / "libsluice_hello.so").string());
  ASSERT_TRUE(plugin.ok()) << plugin.message();
  const PluginInfo& info = (*plugin)->info();
  EXPECT_EQ(info.name, "hello");
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_EQ(info.kind, "other");
  EXPECT_EQ(info.abi_version, SLUICE_PLUGIN_ABI_VERSION);

  HostLog log;
  const sluice_host_api host{sizeof(sluice_host_api), &log, &HostLog::Log, nullptr, nullptr};
  const std::string config = R"({"greeting": "Hello", "name": "sluice"})";
  sluice_run_context context{};
  context.struct_size = sizeof context;
  context.dag_id = "example";
  context.run_id = "run-1";
  context.task_id = "greet";
  context.attempt = 1;
  context.config_json = config.c_str();
  context.host = &host;
  Reported reported;
  int rc = -1;
  {
    StdoutToFile capture(work_ / "stdout.txt");
    rc = (*plugin)->descriptor().run(&context, &Reported::Collect, &reported);
  }
  EXPECT_EQ(rc, 0);
  EXPECT_TRUE(reported.errors.empty()) << reported.errors.front();
  EXPECT_EQ(log.lines, std::vector<std::string>{"Hello, sluice!"});
  EXPECT_EQ(ReadFile(work_ / "stdout.txt"), "Hello, sluice!\n");

  // And as a user would run it: a DAG task, found through SLUICE_PLUGIN_PATH.
  const fs::path dag = work_ / "hello.yaml";
  std::ofstream(dag) << "tasks:\n  - {id: greet, plugin: hello, with: {greeting: Hi, name: DAG}}\n";
  ASSERT_TRUE(RunLogged("cd '" + work_.string() + "' && SLUICE_HOME=home SLUICE_PLUGIN_PATH='" +
                            build.string() + "' '" SLUICE_BINARY "' run hello.yaml --quiet",
                        work_ / "run.log"));
  bool found = false;
  for (const auto& entry : fs::recursive_directory_iterator(work_ / "home" / "logs")) {
    if (entry.path().filename() == "greet.1.log") {
      found = ReadFile(entry.path()).find("Hi, DAG!") != std::string::npos;
    }
  }
  EXPECT_TRUE(found) << "the task's log holds the plugin's greeting";
}

}  // namespace
}  // namespace sluice
