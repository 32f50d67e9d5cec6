#include "runtime/child_io.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

extern char** environ;

namespace sluice {

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    reset();
    fd_ = o.release();
  }
  return *this;
}

int Fd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void Fd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string ErrnoMessage(const std::string& what) { return what + ": " + ::strerror(errno); }

Result<Fd> OpenLogForAppend(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  Fd log(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (log.get() < 0) return Status::Error(ErrnoMessage("cannot open log file " + path));
  return log;
}

ReportChannel::ReportChannel(Fd read_end) : fd_(std::move(read_end)) {
  ::fcntl(fd_.get(), F_SETFL, O_NONBLOCK);
}

void ReportChannel::Drain(std::vector<std::string>& lines) {
  char buf[8192];
  while (fd_.get() >= 0) {
    const ssize_t n = ::read(fd_.get(), buf, sizeof buf);
    if (n > 0) {
      partial_.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    fd_.reset();  // end of file, or an error that ends the channel all the same
  }
  size_t start = 0;
  for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(partial_.substr(start, nl - start));
  }
  partial_.erase(0, start);
}

void ReportChannel::DrainFinal(std::vector<std::string>& lines) {
  Drain(lines);
  if (!partial_.empty()) lines.push_back(std::move(partial_));
  partial_.clear();
}

namespace {

// This process's environment with `overrides` ("NAME=value") added or replacing.
std::vector<std::string> MergedEnvironment(const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    bool replaced = false;
    for (const std::string& o : overrides) replaced |= name_of(o) == name_of(entry);
    if (!replaced) env.push_back(entry);
  }
  env.insert(env.end(), overrides.begin(), overrides.end());
  return env;
}

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

Result<int64_t> SpawnInOwnGroup(const std::vector<std::string>& argv,
                                const std::vector<std::pair<int, int>>& fd_map,
                                const SpawnOptions& options) {
  if (argv.empty()) return Status::Error("cannot start a process without a command");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (const auto& [from, to] : fd_map) posix_spawn_file_actions_adddup2(&actions, from, to);
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGCHLD, SIGHUP}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETSIGMASK);
  std::vector<std::string> env_strings;
  if (!options.env.empty()) env_strings = MergedEnvironment(options.env);
  std::vector<char*> args = CStrings(argv);
  std::vector<char*> envp = CStrings(env_strings);
  char** env = options.env.empty() ? environ : envp.data();
  pid_t pid = 0;
  const bool search = argv[0].find('/') == std::string::npos;
  const int rc = search ? ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), env)
                        : ::posix_spawn(&pid, args[0], &actions, &attr, args.data(), env);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    std::error_code ec;
    if (!options.cwd.empty() && !std::filesystem::is_directory(options.cwd, ec)) {
      return Status::Error("cannot run the command in folder '" + options.cwd + "': " +
                           ::strerror(rc) + " — create the folder or fix the task's settings");
    }
    return Status::Error("cannot start " + argv[0] + ": " + ::strerror(rc));
  }
  return static_cast<int64_t>(pid);
}

}  // namespace sluice
