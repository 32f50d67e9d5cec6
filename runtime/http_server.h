// A small HTTP/1.1 server for the scheduler's API, UI and /metrics: it accepts connections on
// a pool of threads and hands every request to one handler. cpp-httplib does the protocol;
// its header stays inside http_server.cc so that the rest of sluice compiles without it.
//
// The handler runs on a pool thread, never on the scheduler's event loop: a slow client or a
// long stream (Server-Sent Events, a followed log) holds only its own thread.
#ifndef SLUICE_RUNTIME_HTTP_SERVER_H_
#define SLUICE_RUNTIME_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/status.h"

namespace sluice {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded, without the query string
  std::map<std::string, std::string> query;    // decoded; the first value of a repeated name
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string remote_address;

  /// The query parameter `name`, or "" when absent.
  std::string Query(const std::string& name) const;
  /// The header `name` (any case), or "" when absent.
  std::string Header(std::string name) const;
};

/// Writes one piece of a streamed body; false once the client has gone away.
using HttpStreamWriter = std::function<bool(std::string_view data)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  /// When set, the body is streamed instead (chunked): called again and again with a writer
  /// until it returns false. It may block between pieces, but must return within a second or
  /// so of the server stopping (see HttpServer::Stop).
  std::function<bool(const HttpStreamWriter& write)> stream;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (HttpServer::port() tells which)
  size_t threads = 32;  // long streams hold one each
  size_t max_body_bytes = 1 << 20;
};

class HttpServer {
 public:
  /// Binds `options.host:port` and serves on threads of its own until Stop. Fails at once,
  /// with a message naming the address, when it cannot bind (in use, not an address here).
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   HttpHandler handler);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  /// Stops accepting, lets requests in progress finish and waits for the threads. Handlers
  /// with streams must be told to end first (their owner's job).
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Splits "HOST:PORT" ("127.0.0.1:8080", "[::1]:8080", ":8080" = all addresses); an error
/// says what is wrong with `text` (the caller says where it came from and how to fix it).
Result<std::pair<std::string, int>> ParseListenAddress(const std::string& text);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_HTTP_SERVER_H_
