// Messages between the engine and its attempt server: one SOCK_SEQPACKET datagram each, a
// one-letter kind then text, optionally carrying file descriptors (SCM_RIGHTS).
//
//   engine -> server  'R' + attempt spec      fds: [log, report channel write end]
//   server -> engine  'P' + pid               the attempt's process started
//                     'F' + message           it could not be started
//                     'X' + "pid status rss"  it ended: wait status, peak RSS in KiB
#ifndef SLUICE_RUNTIME_ATTEMPT_SERVER_WIRE_H_
#define SLUICE_RUNTIME_ATTEMPT_SERVER_WIRE_H_

#include <optional>
#include <string>
#include <vector>

namespace sluice::attempt_wire {

/// Largest message; an attempt spec longer than this is refused with a clear error.
constexpr size_t kMaxMessage = 1 << 20;

struct Message {
  char kind = 0;
  std::string text;
  std::vector<int> fds;  // received descriptors, owned by the receiver
};

/// Sends one message. Returns false with errno set on failure.
bool Send(int socket_fd, char kind, const std::string& text, const std::vector<int>& fds = {});

/// Receives one message; nullopt at end of file or on error (errno tells which: 0 at EOF).
std::optional<Message> Receive(int socket_fd);

}  // namespace sluice::attempt_wire

#endif  // SLUICE_RUNTIME_ATTEMPT_SERVER_WIRE_H_
