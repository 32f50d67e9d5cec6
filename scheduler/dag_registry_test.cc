#include "scheduler/dag_registry.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "runtime/folder_watcher.h"
#include "scheduler/dag_folder.h"
#include "scheduler/fake_plugin_catalog_test_util.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using Ids = std::vector<std::string>;

// A valid DAG file: `id`, a schedule, and `tasks` tasks in a chain.
std::string DagText(const std::string& id, const std::string& description = "test") {
  return "dag: " + id + "\ndescription: " + description +
         "\nschedule: \"0 6 * * *\"\ntasks:\n"
         "  - id: extract\n    plugin: extract.csv\n    with: {path: /in.csv}\n"
         "  - id: load\n    plugin: export.csv\n    depends_on: extract\n"
         "    with: {path: /out.csv}\n";
}

// Loads, but fails validation: the plugin does not exist.
std::string BrokenDagText(const std::string& id) {
  return "dag: " + id + "\ntasks:\n  - id: a\n    plugin: no.such.plugin\n    with: {}\n";
}

class DagRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice-registry-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& rel) const { return (dir_ / rel).string(); }

  std::string Write(const std::string& rel, const std::string& text) {
    const std::string path = Path(rel);
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }

  std::string ErrorsOf(const DagRegistry& registry, const std::string& rel) {
    std::string out;
    if (auto file = registry.File(Path(rel))) {
      for (const Diagnostic& d : file->errors) out += d.ToString() + "\n";
    }
    return out;
  }

  fs::path dir_;
  FakePluginCatalog catalog_ = CorpusPluginCatalog();
};

TEST_F(DagRegistryTest, FirstRescanLoadsEveryFileSubfoldersIncluded) {
  Write("a.yaml", DagText("a"));
  Write("team/b.yml", DagText("b"));
  Write("c.yaml", BrokenDagText("c"));
  Write(".hidden/d.yaml", DagText("d"));
  DagRegistry registry(dir_.string(), catalog_);
  auto changes = registry.Rescan();
  ASSERT_TRUE(changes.ok()) << changes.message();
  EXPECT_EQ(changes->added, (Ids{"a", "b"}));
  EXPECT_EQ(changes->broken, Ids{"c"});
  EXPECT_EQ(changes->changed_files, (Ids{Path("a.yaml"), Path("c.yaml"), Path("team/b.yml")}));
  EXPECT_EQ(registry.DagIds(), (Ids{"a", "b"}));
  auto a = registry.Find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->spec.file, Path("a.yaml"));
  EXPECT_EQ(a->spec.tasks.size(), 2u);
  ASSERT_TRUE(a->schedule.has_value());
  EXPECT_EQ(a->schedule->expression(), "0 6 * * *");
  EXPECT_EQ(registry.Find("c"), nullptr);
  EXPECT_NE(ErrorsOf(registry, "c.yaml").find("no.such.plugin"), std::string::npos);
}

TEST_F(DagRegistryTest, ChangedFileIsReportedUpdatedAndOthersAreNotReloaded) {
  Write("a.yaml", DagText("a"));
  Write("b.yaml", DagText("b"));
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  const auto b = registry.Find("b");
  Write("a.yaml", DagText("a", "changed"));
  const DagRegistryChanges changes = registry.Apply({Path("a.yaml")});
  EXPECT_EQ(changes.updated, Ids{"a"});
  EXPECT_TRUE(changes.added.empty() && changes.removed.empty() && changes.broken.empty());
  EXPECT_EQ(changes.changed_files, Ids{Path("a.yaml")});
  EXPECT_EQ(registry.Find("a")->spec.description, "changed");
  EXPECT_EQ(registry.Find("b"), b);
}

TEST_F(DagRegistryTest, RewritingTheSameBytesIsANoOp) {
  Write("a.yaml", DagText("a"));
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  const auto a = registry.Find("a");
  const int validations = catalog_.validate_calls();
  Write("a.yaml", DagText("a"));
  EXPECT_TRUE(registry.Apply({Path("a.yaml")}).empty());
  EXPECT_EQ(registry.Find("a"), a);
  EXPECT_EQ(catalog_.validate_calls(), validations) << "the file was validated again";
}

TEST_F(DagRegistryTest, DeletedFileIsRemoved) {
  Write("a.yaml", DagText("a"));
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  fs::remove(Path("a.yaml"));
  const DagRegistryChanges changes = registry.Apply({Path("a.yaml")});
  EXPECT_EQ(changes.removed, Ids{"a"});
  EXPECT_EQ(changes.removed_files, Ids{Path("a.yaml")});
  EXPECT_EQ(registry.Find("a"), nullptr);
  EXPECT_EQ(registry.file_count(), 0u);
}

TEST_F(DagRegistryTest, FileThatBreaksIsReportedBrokenThenFixedAndOthersAreUnaffected) {
  Write("a.yaml", DagText("a"));
  Write("b.yaml", DagText("b"));
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  const auto b = registry.Find("b");

  Write("a.yaml", "dag: a\ntasks: [unclosed\n");
  DagRegistryChanges changes = registry.Apply({Path("a.yaml")});
  EXPECT_EQ(changes.broken, Ids{"a"});
  EXPECT_EQ(registry.Find("a"), nullptr);
  EXPECT_NE(ErrorsOf(registry, "a.yaml").find("YAML syntax error"), std::string::npos);
  EXPECT_EQ(registry.Find("b"), b);
  EXPECT_EQ(registry.DagIds(), Ids{"b"});

  Write("a.yaml", DagText("a"));
  changes = registry.Apply({Path("a.yaml")});
  EXPECT_EQ(changes.fixed, Ids{"a"});
  EXPECT_TRUE(changes.added.empty() && changes.broken.empty());
  EXPECT_NE(registry.Find("a"), nullptr);
  EXPECT_EQ(ErrorsOf(registry, "a.yaml"), "");
}

TEST_F(DagRegistryTest, NewBrokenFileIsReportedBrokenAndRemovingItReportsRemoved) {
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  Write("c.yaml", BrokenDagText("c"));
  DagRegistryChanges changes = registry.Apply({Path("c.yaml")});
  EXPECT_EQ(changes.broken, Ids{"c"});
  EXPECT_EQ(changes.changed_files, Ids{Path("c.yaml")});
  fs::remove(Path("c.yaml"));
  changes = registry.Apply({Path("c.yaml")});
  EXPECT_EQ(changes.removed, Ids{"c"});
}

TEST_F(DagRegistryTest, FileThatChangesItsIdRemovesTheOldIdAndAddsTheNew) {
  Write("a.yaml", DagText("x"));
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  Write("a.yaml", DagText("y"));
  const DagRegistryChanges changes = registry.Apply({Path("a.yaml")});
  EXPECT_EQ(changes.removed, Ids{"x"});
  EXPECT_EQ(changes.added, Ids{"y"});
}

TEST_F(DagRegistryTest, DuplicateIdIsKeptByTheFirstPathAndPromotedWhenItGoes) {
  Write("a.yaml", DagText("x", "first"));
  Write("b.yaml", DagText("x", "second"));
  DagRegistry registry(dir_.string(), catalog_);
  auto loaded = registry.Rescan();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->added, Ids{"x"});
  EXPECT_EQ(registry.Find("x")->spec.file, Path("a.yaml"));
  const std::string errors = ErrorsOf(registry, "b.yaml");
  EXPECT_NE(errors.find("'x' is already declared by " + Path("a.yaml")), std::string::npos)
      << errors;
  EXPECT_EQ(registry.File(Path("b.yaml"))->dag, nullptr);
  EXPECT_EQ(ErrorsOf(registry, "a.yaml"), "");

  fs::remove(Path("a.yaml"));
  const DagRegistryChanges changes = registry.Apply({Path("a.yaml")});
  EXPECT_EQ(changes.updated, Ids{"x"});
  EXPECT_EQ(changes.removed_files, Ids{Path("a.yaml")});
  EXPECT_EQ(changes.changed_files, Ids{Path("b.yaml")}) << "b.yaml's row lost its error";
  EXPECT_EQ(registry.Find("x")->spec.description, "second");
  EXPECT_EQ(ErrorsOf(registry, "b.yaml"), "");
}

TEST_F(DagRegistryTest, DuplicateAddedBeforeTheOwnerInPathOrderTakesTheId) {
  Write("b.yaml", DagText("x", "old owner"));
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  Write("a.yaml", DagText("x", "new owner"));
  const DagRegistryChanges changes = registry.Apply({Path("a.yaml")});
  EXPECT_EQ(changes.updated, Ids{"x"});
  EXPECT_EQ(changes.changed_files, (Ids{Path("a.yaml"), Path("b.yaml")}));
  EXPECT_EQ(registry.Find("x")->spec.description, "new owner");
  EXPECT_NE(ErrorsOf(registry, "b.yaml").find("already declared by " + Path("a.yaml")),
            std::string::npos);
}

TEST_F(DagRegistryTest, BrokenFileDoesNotTakeAnIdFromAFileThatLoads) {
  Write("a.yaml", BrokenDagText("x"));
  Write("b.yaml", DagText("x"));
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  ASSERT_NE(registry.Find("x"), nullptr);
  EXPECT_EQ(registry.Find("x")->spec.file, Path("b.yaml"));
  EXPECT_EQ(ErrorsOf(registry, "b.yaml"), "");
}

TEST_F(DagRegistryTest, PathsThatAreNotDagFilesAreIgnored) {
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  const std::vector<std::string> paths = {Write("notes.txt", DagText("n")),
                                          Write(".hidden/h.yaml", DagText("h")),
                                          Write("a.yaml~", DagText("a"))};
  EXPECT_TRUE(registry.Apply(paths).empty());
  EXPECT_TRUE(registry.Apply({"/elsewhere/x.yaml"}).empty());
  EXPECT_EQ(registry.file_count(), 0u);
}

TEST_F(DagRegistryTest, RescanFindsChangesTheWatcherMissed) {
  Write("a.yaml", DagText("a"));
  Write("b.yaml", DagText("b"));
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  Write("a.yaml", DagText("a", "edited behind the watcher's back"));
  fs::remove(Path("b.yaml"));
  Write("team/c.yaml", DagText("c"));
  auto changes = registry.Rescan();
  ASSERT_TRUE(changes.ok()) << changes.message();
  EXPECT_EQ(changes->updated, Ids{"a"});
  EXPECT_EQ(changes->removed, Ids{"b"});
  EXPECT_EQ(changes->added, Ids{"c"});
  EXPECT_EQ(registry.Find("a")->spec.description, "edited behind the watcher's back");
}

TEST_F(DagRegistryTest, RescanOfAnUnchangedFolderReloadsNothing) {
  Write("a.yaml", DagText("a"));
  Write("b.yaml", DagText("b"));
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  const auto a = registry.Find("a");
  const int validations = catalog_.validate_calls();
  auto changes = registry.Rescan();
  ASSERT_TRUE(changes.ok());
  EXPECT_TRUE(changes->empty());
  EXPECT_EQ(catalog_.validate_calls(), validations);
  EXPECT_EQ(registry.Find("a"), a);
}

// `cp -p` over a file: same size, the old modification time; only its ctime tells.
TEST_F(DagRegistryTest, RescanNoticesARewriteThatKeptTheSizeAndModificationTime) {
  Write("a.yaml", DagText("a", "one"));
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  const fs::file_time_type mtime = fs::last_write_time(Path("a.yaml"));
  Write("a.yaml", DagText("a", "two"));
  fs::last_write_time(Path("a.yaml"), mtime);
  auto changes = registry.Rescan();
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->updated, Ids{"a"});
  EXPECT_EQ(registry.Find("a")->spec.description, "two");
}

TEST_F(DagRegistryTest, RescanOfAMissingFolderFailsAndKeepsWhatItHolds) {
  Write("a.yaml", DagText("a"));
  DagRegistry registry(dir_.string(), catalog_);
  ASSERT_TRUE(registry.Rescan().ok());
  fs::rename(dir_, dir_.string() + ".moved");
  auto changes = registry.Rescan();
  fs::rename(dir_.string() + ".moved", dir_);
  ASSERT_FALSE(changes.ok());
  EXPECT_NE(changes.message().find(dir_.string()), std::string::npos) << changes.message();
  EXPECT_NE(registry.Find("a"), nullptr);
}

// The watcher reports paths spelled as ListDagFiles spells them, so Apply and Rescan key the
// same file the same way; and it reports exactly the names ListDagFiles lists.
TEST_F(DagRegistryTest, WatcherReportsTheFilesListDagFilesListsSpelledAlike) {
  const fs::path staging = dir_.string() + ".staging";
  fs::remove_all(staging);
  for (const char* name : {"a.yaml", "b.yml", "team/c.yaml", "team/deep/d.yaml", ".e.yaml",
                           "f.yaml~", ".#g.yaml", "h.txt", ".git/i.yaml", "team/.j/k.yaml"}) {
    fs::create_directories((staging / name).parent_path());
    std::ofstream(staging / name) << "dag: x\n";
  }
  const std::string dags = (dir_ / "dags").string() + "/";  // a trailing slash, as users type
  fs::create_directories(dags);
  auto watcher = MakeInotifyFolderWatcher(dags);
  ASSERT_TRUE(watcher.ok()) << watcher.message();
  fs::rename(staging / "team", fs::path(dags) / "team");
  for (const char* name : {"a.yaml", "b.yml", ".e.yaml", "f.yaml~", ".#g.yaml", "h.txt", ".git"}) {
    fs::rename(staging / name, fs::path(dags) / name);
  }
  fs::remove_all(staging);
  std::vector<std::string> reported;
  for (int i = 0; i < 20 && reported.size() < 4; ++i) {
    pollfd readable{(*watcher)->fd(), POLLIN, 0};
    ::poll(&readable, 1, 100);
    auto changes = (*watcher)->ReadChanges();
    ASSERT_TRUE(changes.ok());
    reported.insert(reported.end(), changes->paths.begin(), changes->paths.end());
  }
  std::sort(reported.begin(), reported.end());
  auto listed = ListDagFiles(dags);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(reported, *listed);
}

TEST_F(DagRegistryTest, NewPoolsFixOrBreakTheDagsNamingThemAndLeaveTheOthersAlone) {
  Write("pooled.yaml", "dag: pooled\ntasks:\n  - {id: a, plugin: extract.csv, pool: warehouse, "
                       "with: {path: /in.csv}}\n");
  Write("plain.yaml", DagText("plain"));
  Write("broken.yaml", BrokenDagText("broken"));
  DagRegistry registry(dir_.string(), catalog_, std::set<std::string>{});
  ASSERT_TRUE(registry.Rescan().ok());
  EXPECT_EQ(registry.DagIds(), (Ids{"plain"}));
  EXPECT_NE(ErrorsOf(registry, "pooled.yaml").find("pool 'warehouse'"), std::string::npos);
  const auto plain_before = registry.Find("plain");

  DagRegistryChanges declared = registry.SetDeclaredPools({"warehouse"});
  EXPECT_EQ(declared.fixed, (Ids{"pooled"}));
  EXPECT_TRUE(declared.updated.empty() && declared.broken.empty() && declared.added.empty());
  EXPECT_EQ(declared.changed_files, (Ids{Path("pooled.yaml")})) << "the broken file is as it was";
  EXPECT_EQ(registry.DagIds(), (Ids{"plain", "pooled"}));
  EXPECT_EQ(registry.Find("plain"), plain_before) << "a DAG without pools is not reloaded";

  DagRegistryChanges same = registry.SetDeclaredPools({"warehouse", "other"});
  EXPECT_TRUE(same.empty() && same.updated.empty()) << "the pooled DAG comes out the same";

  DagRegistryChanges removed = registry.SetDeclaredPools({"other"});
  EXPECT_EQ(removed.broken, (Ids{"pooled"}));
  EXPECT_EQ(registry.DagIds(), (Ids{"plain"}));
  EXPECT_NE(ErrorsOf(registry, "pooled.yaml").find("is not declared in the scheduler config"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice
