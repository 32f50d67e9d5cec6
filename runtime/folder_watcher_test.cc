#include "runtime/folder_watcher.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace sluice {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Clock = FolderWatcher::Clock;
using Paths = std::vector<std::string>;

constexpr milliseconds kSettle{100};
// Long enough that a report arriving sooner cannot have come from settling.
constexpr milliseconds kNeverSettles{60'000};

class InotifyFolderWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("sluice-watch-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_ / "dags");
    fs::create_directories(base_ / "outside");
  }
  void TearDown() override { fs::remove_all(base_); }

  std::unique_ptr<FolderWatcher> Watch(milliseconds settle = kSettle) {
    FolderWatcherOptions options;
    options.settle_time = settle;
    auto watcher = MakeInotifyFolderWatcher(Dags(), options);
    EXPECT_TRUE(watcher.ok()) << watcher.message();
    return watcher.ok() ? std::move(*watcher) : nullptr;
  }

  std::string Dags() const { return (base_ / "dags").string(); }
  std::string Dag(const std::string& rel) const { return (base_ / "dags" / rel).string(); }
  std::string Outside(const std::string& rel) const { return (base_ / "outside" / rel).string(); }

  static void Write(const std::string& path, const std::string& text = "dag: x\n") {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
  }

  // The watcher's next report, waiting at most `limit`: polls its descriptor until the
  // deadline it asks for, as the daemon's loop does. Empty when nothing came.
  static FolderChanges NextReport(FolderWatcher& watcher, milliseconds limit = milliseconds(2000)) {
    const Clock::time_point give_up = Clock::now() + limit;
    for (;;) {
      Clock::time_point wake = give_up;
      if (auto deadline = watcher.NextDeadline(); deadline && *deadline < wake) wake = *deadline;
      const auto wait = std::chrono::ceil<milliseconds>(wake - Clock::now());
      pollfd readable{watcher.fd(), POLLIN, 0};
      ::poll(&readable, 1, static_cast<int>(std::max<int64_t>(0, wait.count())));
      auto changes = watcher.ReadChanges();
      EXPECT_TRUE(changes.ok()) << changes.message();
      if (!changes.ok()) return {};
      if (!changes->paths.empty() || changes->rescan_needed || changes->folder_gone ||
          !changes->warnings.empty()) {
        return std::move(*changes);
      }
      if (Clock::now() >= give_up) return {};
    }
  }

  fs::path base_;
};

TEST(FolderWatcherTest, DagFileNamesAreYamlButNotHiddenFilesBackupsOrEditorTemporaries) {
  EXPECT_TRUE(IsDagFileName("sales.yaml"));
  EXPECT_TRUE(IsDagFileName("sales.v2.yml"));
  EXPECT_FALSE(IsDagFileName(".sales.yaml"));      // hidden
  EXPECT_FALSE(IsDagFileName(".#sales.yaml"));     // emacs lock
  EXPECT_FALSE(IsDagFileName(".sales.yaml.swp"));  // vim swap
  EXPECT_FALSE(IsDagFileName("sales.yaml~"));      // backup
  EXPECT_FALSE(IsDagFileName("#sales.yaml#"));     // emacs auto-save
  EXPECT_FALSE(IsDagFileName("sales.yaml.kate-swp"));
  EXPECT_FALSE(IsDagFileName("4913"));             // vim's test of the folder
  EXPECT_FALSE(IsDagFileName("yaml"));
  EXPECT_FALSE(IsDagFileName(""));
}

TEST_F(InotifyFolderWatcherTest, MissingFolderIsAnErrorNamingIt) {
  auto watcher = MakeInotifyFolderWatcher(Dag("nope"));
  ASSERT_FALSE(watcher.ok());
  EXPECT_NE(watcher.message().find(Dag("nope")), std::string::npos) << watcher.message();
}

TEST_F(InotifyFolderWatcherTest, ExistingFilesAreNotReportedAndNothingIsPending) {
  Write(Dag("old.yaml"));
  auto watcher = Watch();
  EXPECT_FALSE(watcher->NextDeadline().has_value());
  EXPECT_TRUE(NextReport(*watcher, milliseconds(50)).paths.empty());
}

TEST_F(InotifyFolderWatcherTest, NewFileIsReportedOnceWhenClosed) {
  auto watcher = Watch(kNeverSettles);
  Write(Dag("a.yaml"));
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("a.yaml")});
  EXPECT_FALSE(watcher->NextDeadline().has_value()) << "closed files need no settling";
  EXPECT_TRUE(NextReport(*watcher, milliseconds(50)).paths.empty());
}

TEST_F(InotifyFolderWatcherTest, FileWrittenInTwoStepsIsReportedOnceWhenClosed) {
  auto watcher = Watch(kNeverSettles);
  const int fd = ::open(Dag("a.yaml").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "dag: a\n", 7), 7);
  EXPECT_TRUE(NextReport(*watcher, milliseconds(50)).paths.empty()) << "reported half-written";
  ASSERT_EQ(::write(fd, "tasks: []\n", 10), 10);
  ::close(fd);
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("a.yaml")});
  EXPECT_TRUE(NextReport(*watcher, milliseconds(50)).paths.empty());
}

TEST_F(InotifyFolderWatcherTest, FileKeptOpenIsReportedOnceAfterItSettles) {
  const milliseconds settle(250);  // far above the 30 ms between chunks, even on a busy machine
  auto watcher = Watch(settle);
  const int fd = ::open(Dag("a.yaml").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  // Chunks 30 ms apart, each one restarting the wait: nothing is due while they come.
  Clock::time_point last_write;
  for (int chunk = 0; chunk < 5; ++chunk) {
    last_write = Clock::now();
    ASSERT_EQ(::write(fd, "# chunk\n", 8), 8);
    EXPECT_TRUE(NextReport(*watcher, milliseconds(30)).paths.empty()) << "chunk " << chunk;
  }
  ASSERT_TRUE(watcher->NextDeadline().has_value());
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("a.yaml")});
  // The wait starts when the watcher reads the write's event, after the write.
  EXPECT_GE(Clock::now() - last_write, settle);
  EXPECT_FALSE(watcher->NextDeadline().has_value());
  EXPECT_TRUE(NextReport(*watcher, milliseconds(50)).paths.empty()) << "reported twice";
  ::close(fd);
}

TEST_F(InotifyFolderWatcherTest, FileModifiedInPlaceIsReported) {
  Write(Dag("sub/a.yaml"), "dag: a\n");
  auto watcher = Watch(kNeverSettles);
  std::ofstream(Dag("sub/a.yaml"), std::ios::app) << "description: more\n";
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("sub/a.yaml")});
}

TEST_F(InotifyFolderWatcherTest, DeletedFileIsReportedAtOnce) {
  Write(Dag("a.yaml"));
  auto watcher = Watch(kNeverSettles);
  fs::remove(Dag("a.yaml"));
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("a.yaml")});
}

TEST_F(InotifyFolderWatcherTest, FilesRenamedInOutAndAcrossAreReportedAtOnce) {
  Write(Outside("in.yaml"));
  Write(Dag("out.yaml"));
  Write(Dag("old.yaml"));
  auto watcher = Watch(kNeverSettles);
  fs::rename(Outside("in.yaml"), Dag("in.yaml"));
  fs::rename(Dag("out.yaml"), Outside("out.yaml"));
  fs::rename(Dag("old.yaml"), Dag("new.yaml"));
  EXPECT_EQ(NextReport(*watcher).paths,
            (Paths{Dag("in.yaml"), Dag("new.yaml"), Dag("old.yaml"), Dag("out.yaml")}));
}

// vim's default save: the old file becomes the backup, the new one is written and closed.
TEST_F(InotifyFolderWatcherTest, EditorSaveThroughABackupIsReportedOnceWhenTheNewFileIsClosed) {
  Write(Dag("a.yaml"), "dag: a\n");
  auto watcher = Watch(kNeverSettles);
  Write(Dag("4913"), "");
  fs::remove(Dag("4913"));
  fs::rename(Dag("a.yaml"), Dag("a.yaml~"));
  Write(Dag("a.yaml"), "dag: a\ndescription: saved\n");
  fs::remove(Dag("a.yaml~"));
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("a.yaml")});
  EXPECT_TRUE(NextReport(*watcher, milliseconds(50)).paths.empty());
}

TEST_F(InotifyFolderWatcherTest, HiddenBackupAndTemporaryFilesAreIgnored) {
  auto watcher = Watch();
  for (const char* name : {".a.yaml", ".#a.yaml", ".a.yaml.swp", "a.yaml~", "#a.yaml#",
                           "a.yaml.kate-swp", "notes.txt", ".git/x.yaml", ".hidden/deep/y.yml"}) {
    Write(Dag(name));
  }
  // Queued after all of the above, so the first report would hold any of them.
  Write(Dag("z.yaml"));
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("z.yaml")});
  EXPECT_TRUE(NextReport(*watcher, kSettle + milliseconds(50)).paths.empty());
}

TEST_F(InotifyFolderWatcherTest, SubfolderCreatedLaterIsWatched) {
  auto watcher = Watch();
  fs::create_directories(Dag("team/etl"));
  Write(Dag("team/etl/a.yaml"));  // possibly before the watch exists: found by the walk
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("team/etl/a.yaml")});
  Write(Dag("team/etl/b.yaml"));
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("team/etl/b.yaml")});
}

TEST_F(InotifyFolderWatcherTest, SubfolderMovedInIsReportedWithItsFilesAtOnce) {
  Write(Outside("team/a.yaml"));
  Write(Outside("team/deep/b.yml"));
  Write(Outside("team/.hidden/c.yaml"));
  auto watcher = Watch(kNeverSettles);
  fs::rename(Outside("team"), Dag("team"));
  EXPECT_EQ(NextReport(*watcher).paths, (Paths{Dag("team/a.yaml"), Dag("team/deep/b.yml")}));
  Write(Dag("team/deep/d.yaml"));
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("team/deep/d.yaml")});
}

TEST_F(InotifyFolderWatcherTest, SubfolderMovedOutReportsItsFilesAndIsNoLongerWatched) {
  Write(Dag("team/a.yaml"));
  Write(Dag("team/deep/b.yaml"));
  auto watcher = Watch(kNeverSettles);
  fs::rename(Dag("team"), Outside("team"));
  EXPECT_EQ(NextReport(*watcher).paths, (Paths{Dag("team/a.yaml"), Dag("team/deep/b.yaml")}));
  Write(Outside("team/deep/c.yaml"));
  Write(Dag("z.yaml"));
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("z.yaml")});
}

TEST_F(InotifyFolderWatcherTest, SubfolderRenamedInsideReportsOldAndNewPaths) {
  Write(Dag("team/a.yaml"));
  auto watcher = Watch(kNeverSettles);
  fs::rename(Dag("team"), Dag("crew"));
  EXPECT_EQ(NextReport(*watcher).paths, (Paths{Dag("crew/a.yaml"), Dag("team/a.yaml")}));
  Write(Dag("crew/b.yaml"));
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("crew/b.yaml")});
}

TEST_F(InotifyFolderWatcherTest, SubfolderDeletedAndRecreatedIsWatchedAgain) {
  Write(Dag("team/a.yaml"));
  auto watcher = Watch();
  fs::remove_all(Dag("team"));
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("team/a.yaml")});
  fs::create_directories(Dag("team"));
  EXPECT_TRUE(NextReport(*watcher, milliseconds(20)).paths.empty());
  Write(Dag("team/b.yaml"));
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("team/b.yaml")});
}

TEST_F(InotifyFolderWatcherTest, QueueOverflowAsksForARescanAndWatchesNewSubfoldersAnyway) {
  auto watcher = Watch();
  int queue_limit = 16384;
  std::ifstream("/proc/sys/fs/inotify/max_queued_events") >> queue_limit;
  // Alternating writes to two files: the kernel merges only repeats of the last event.
  const int one = ::open(Dag("one.txt").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  const int two = ::open(Dag("two.txt").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(one, 0);
  ASSERT_GE(two, 0);
  for (int i = 0; i <= queue_limit / 2 + 1; ++i) {
    ASSERT_EQ(::write(one, "x", 1), 1);
    ASSERT_EQ(::write(two, "x", 1), 1);
  }
  ::close(one);
  ::close(two);
  fs::create_directories(Dag("team"));  // its event is lost with the others
  const FolderChanges changes = NextReport(*watcher);
  EXPECT_TRUE(changes.rescan_needed);
  Write(Dag("team/a.yaml"));
  EXPECT_EQ(NextReport(*watcher).paths, Paths{Dag("team/a.yaml")});
}

TEST_F(InotifyFolderWatcherTest, DeletedFolderIsReportedGone) {
  Write(Dag("a.yaml"));
  auto watcher = Watch();
  fs::remove_all(Dag(""));
  FolderChanges changes = NextReport(*watcher);
  // rm -r deletes the files first, so they are reported with the folder's end.
  EXPECT_EQ(changes.paths, Paths{Dag("a.yaml")});
  EXPECT_TRUE(changes.folder_gone);
  ASSERT_FALSE(changes.warnings.empty());
  EXPECT_NE(changes.warnings[0].find(Dags()), std::string::npos) << changes.warnings[0];
}

TEST_F(InotifyFolderWatcherTest, FolderMovedAwayIsReportedGoneAndLeavesNothingToRead) {
  Write(Dag("team/a.yaml"));
  auto watcher = Watch();
  fs::rename(Dags(), base_ / "elsewhere");
  EXPECT_TRUE(NextReport(*watcher).folder_gone);
  // The watches dropped with the folder queue their last events: drained, not left to keep
  // the descriptor readable and spin the caller's loop.
  ASSERT_TRUE(watcher->ReadChanges().ok());
  pollfd readable{watcher->fd(), POLLIN, 0};
  EXPECT_EQ(::poll(&readable, 1, 0), 0);
  EXPECT_FALSE(watcher->NextDeadline().has_value());
}

}  // namespace
}  // namespace sluice
