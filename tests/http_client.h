// A small HTTP client for tests of the scheduler's HTTP API, UI and /metrics, on cpp-httplib's
// client (the server side is ours, runtime/http_server.cc; the client side is the library's).
#ifndef SLUICE_TESTS_HTTP_CLIENT_H_
#define SLUICE_TESTS_HTTP_CLIENT_H_

#include <map>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace sluice::testing {

struct HttpReply {
  int status = 0;  // 0: no answer (connection refused, timeout)
  std::string body;
  std::multimap<std::string, std::string> headers;

  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string Header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
      if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
    }
    return "";
  }
};

class HttpClient {
 public:
  explicit HttpClient(int port, std::string token = "")
      : client_("127.0.0.1", port), token_(std::move(token)) {
    client_.set_connection_timeout(5);
    client_.set_read_timeout(30);
  }

  HttpReply Get(const std::string& path) { return Reply(client_.Get(path, AuthHeaders())); }

  /// POST with a JSON body ("" sends none, with Content-Length: 0).
  HttpReply Post(const std::string& path, const std::string& json_body = "") {
    return Reply(client_.Post(path, AuthHeaders(), json_body, "application/json"));
  }

  HttpReply Send(const std::string& method, const std::string& path) {
    httplib::Request request;
    request.method = method;
    request.path = path;
    request.headers = AuthHeaders();
    return Reply(client_.send(request));
  }

  /// GET that reads a streamed answer until `enough` says so (or the stream ends); returns
  /// what arrived.
  std::string Stream(const std::string& path, const std::function<bool(const std::string&)>& enough) {
    std::string received;
    httplib::Headers headers = AuthHeaders();
    headers.emplace("Accept-Encoding", "gzip, deflate, br");  // as browsers send
    client_.Get(path, headers, [&](const char* data, size_t size) {
      received.append(data, size);
      return !enough(received);
    });
    return received;
  }

 private:
  httplib::Headers AuthHeaders() const {
    httplib::Headers headers;
    if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
    return headers;
  }
  static HttpReply Reply(const httplib::Result& result) {
    HttpReply reply;
    if (!result) return reply;
    reply.status = result->status;
    reply.body = result->body;
    for (const auto& [k, v] : result->headers) reply.headers.emplace(k, v);
    return reply;
  }

  httplib::Client client_;
  std::string token_;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_HTTP_CLIENT_H_
