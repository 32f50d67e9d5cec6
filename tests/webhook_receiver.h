// A real HTTP/1.1 webhook receiver on 127.0.0.1, started by a test: it records every request
// and answers each as scripted — a status (200, 500, 429 with Retry-After, 404), or no
// answer at all (a receiver that hangs). ClosedPort() gives a port nobody listens on.
// Written by hand (sockets + poll, one thread) so it can also misbehave on purpose.
#ifndef SLUICE_TESTS_WEBHOOK_RECEIVER_H_
#define SLUICE_TESTS_WEBHOOK_RECEIVER_H_

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sluice::testing {

/// How the receiver answers one request.
struct WebhookAnswer {
  WebhookAnswer(int status_code = 200, std::string retry_after_header = "", bool hang_up = false)  // NOLINT
      : status(status_code), retry_after(std::move(retry_after_header)), hang(hang_up) {}
  int status = 200;
  std::string retry_after;  // sent as Retry-After when not empty
  bool hang = false;        // read the request, never answer (until the receiver stops)
};

class WebhookReceiver {
 public:
  using Answer = WebhookAnswer;
  struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::chrono::steady_clock::time_point at;
    int answered = 0;  // the status sent; 0 when it hung
    std::string Header(const std::string& name) const {
      auto it = headers.find(name);
      return it == headers.end() ? "" : it->second;
    }
  };

  WebhookReceiver() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 64) != 0) {
      std::abort();
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (::pipe2(wake_, O_CLOEXEC) != 0) std::abort();
    thread_ = std::thread([this] { Serve(); });
  }
  ~WebhookReceiver() {
    const char byte = 'x';
    (void)!::write(wake_[1], &byte, 1);
    thread_.join();
    for (int fd : hung_) ::close(fd);
    ::close(listen_fd_);
    ::close(wake_[0]);
    ::close(wake_[1]);
  }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  /// The answers to the next requests, in order; after them, `otherwise` (200 by default).
  void Script(std::vector<Answer> answers) { Script(std::move(answers), Answer{}); }
  void Script(std::vector<Answer> answers, Answer otherwise) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.assign(answers.begin(), answers.end());
    otherwise_ = otherwise;
  }

  std::vector<Request> Requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  /// Waits until at least `n` requests arrived; false on timeout.
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }

  /// A loopback port with no listener: connections to it are refused.
  static int ClosedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
  }

 private:
  void Serve() {
    for (;;) {
      pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) continue;
      if (fds[1].revents != 0) return;
      if (fds[0].revents == 0) continue;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      Handle(fd);
    }
  }

  // Reads one request (headers, then Content-Length bytes of body) and answers it.
  void Handle(int fd) {
    std::string data;
    char buffer[4096];
    size_t header_end = std::string::npos;
    size_t body_length = 0;
    for (;;) {
      pollfd p = {fd, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) break;
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end != std::string::npos) body_length = ContentLength(data.substr(0, header_end));
      }
      if (header_end != std::string::npos && data.size() >= header_end + 4 + body_length) break;
    }
    if (header_end == std::string::npos) {
      ::close(fd);
      return;
    }
    Request request = Parse(data.substr(0, header_end));
    request.body = data.substr(header_end + 4, body_length);
    request.at = std::chrono::steady_clock::now();
    Answer answer;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!script_.empty()) {
        answer = script_.front();
        script_.pop_front();
      } else {
        answer = otherwise_;
      }
      request.answered = answer.hang ? 0 : answer.status;
      requests_.push_back(request);
    }
    arrived_.notify_all();
    if (answer.hang) {
      hung_.push_back(fd);  // closed when the receiver stops
      return;
    }
    std::string response = "HTTP/1.1 " + std::to_string(answer.status) + " Scripted\r\n";
    if (!answer.retry_after.empty()) response += "Retry-After: " + answer.retry_after + "\r\n";
    const std::string body = answer.status < 300 ? "ok" : "scripted failure";
    response += "Content-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\nConnection: close\r\n\r\n" + body;
    (void)!::write(fd, response.data(), response.size());
    ::close(fd);
  }

  static size_t ContentLength(const std::string& head) {
    Request r = Parse(head);
    const std::string value = r.Header("content-length");
    return value.empty() ? 0 : static_cast<size_t>(std::stoul(value));
  }

  static Request Parse(const std::string& head) {
    Request r;
    size_t line_end = head.find("\r\n");
    const std::string first = head.substr(0, line_end);
    const size_t space = first.find(' ');
    r.method = first.substr(0, space);
    r.path = first.substr(space + 1, first.find(' ', space + 1) - space - 1);
    while (line_end != std::string::npos) {
      const size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line = head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.headers[name] = value;
    }
    return r;
  }

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  int port_ = 0;
  std::thread thread_;
  std::vector<int> hung_;  // only the server thread touches it until the destructor
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::deque<Answer> script_;
  Answer otherwise_;
  std::vector<Request> requests_;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_WEBHOOK_RECEIVER_H_
