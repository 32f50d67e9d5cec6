#include "runtime/instance_lock.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace sluice {
namespace {

namespace fs = std::filesystem;

class InstanceLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-lock-test-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    path_ = (dir_ / "home" / "scheduler.lock").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string path_;
};

TEST_F(InstanceLockTest, SecondHolderIsRefusedWithTheFirstOnesPid) {
  // Another process holds it: flock locks belong to open files, so a child must take it.
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Result<InstanceLock> lock = InstanceLock::Acquire(path_, "sluice scheduler");
    const char c = lock.ok() ? 'y' : 'n';
    if (write(ready[1], &c, 1) != 1) _exit(2);
    pause();
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  EXPECT_EQ(InstanceLock::Holder(path_), child);
  Result<InstanceLock> second = InstanceLock::Acquire(path_, "sluice scheduler");
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.message().find("pid " + std::to_string(child)), std::string::npos)
      << second.message();
  EXPECT_NE(second.message().find("another sluice scheduler"), std::string::npos);

  // Killed without a chance to clean up: the lock is free at once.
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_EQ(InstanceLock::Holder(path_), 0);
  Result<InstanceLock> third = InstanceLock::Acquire(path_, "sluice scheduler");
  EXPECT_TRUE(third.ok()) << third.message();
  close(ready[0]);
  close(ready[1]);
}

TEST_F(InstanceLockTest, ReleasedWhenTheHolderIsDestroyed) {
  {
    Result<InstanceLock> lock = InstanceLock::Acquire(path_, "sluice scheduler");
    ASSERT_TRUE(lock.ok()) << lock.message();
  }
  EXPECT_EQ(InstanceLock::Holder(path_), 0);
  EXPECT_TRUE(InstanceLock::Acquire(path_, "sluice scheduler").ok());
}

}  // namespace
}  // namespace sluice
