#include "runtime/http_server.h"

#include <strings.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <thread>

#include <httplib.h>
#include <zlib.h>

namespace sluice {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

HttpRequest FromLibrary(const httplib::Request& req) {
  HttpRequest out;
  out.method = req.method;
  out.path = req.path;
  for (const auto& [name, value] : req.params) out.query.emplace(name, value);  // first wins
  for (const auto& [name, value] : req.headers) out.headers.emplace(Lower(name), value);
  out.body = req.body;
  out.remote_address = req.remote_addr;
  return out;
}

// Compression is ours, not cpp-httplib's: Debian builds it with brotli, which it runs at
// quality 11 on every text and JSON answer — about 6 s for the 2 MB DAG list of 1,000 DAGs.
// Taking Accept-Encoding out of the request before the library answers turns that off (the
// request object is the library's own, not const; only its handler signature is), and
// answers worth compressing are gzipped here at a fast level instead.
bool TakeAcceptsGzip(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Request&>(req).headers;
  bool gzip = false;
  for (auto it = headers.begin(); it != headers.end();) {
    if (strcasecmp(it->first.c_str(), "Accept-Encoding") == 0) {
      gzip = gzip || it->second.find("gzip") != std::string::npos;
      it = headers.erase(it);
    } else {
      ++it;
    }
  }
  return gzip;
}

// `body` gzipped (RFC 1952) at a level that favours speed; nullopt if zlib fails.
std::optional<std::string> Gzip(const std::string& body) {
  z_stream z{};
  constexpr int kGzipWindow = 15 + 16;  // 2^15 window, gzip header and trailer
  if (deflateInit2(&z, 3, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  std::string out(deflateBound(&z, static_cast<uLong>(body.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (result != Z_STREAM_END) return std::nullopt;
  return out;
}

void ToLibrary(HttpResponse response, httplib::Response& res, bool accepts_gzip) {
  res.status = response.status;
  for (const auto& [name, value] : response.headers) res.set_header(name, value);
  if (!response.stream) {
    constexpr size_t kWorthCompressing = 1024;
    if (accepts_gzip && response.body.size() >= kWorthCompressing) {
      if (std::optional<std::string> zipped = Gzip(response.body)) {
        res.set_header("Content-Encoding", "gzip");
        res.set_header("Vary", "Accept-Encoding");
        res.set_content(std::move(*zipped), response.content_type);
        return;
      }
    }
    res.set_content(response.body, response.content_type);
    return;
  }
  auto stream = std::make_shared<std::function<bool(const HttpStreamWriter&)>>(
      std::move(response.stream));
  res.set_chunked_content_provider(
      response.content_type, [stream](size_t /*offset*/, httplib::DataSink& sink) {
        bool client_gone = false;
        const HttpStreamWriter write = [&](std::string_view data) {
          if (client_gone) return false;
          if (data.empty()) return true;
          if (!sink.is_writable() || !sink.write(data.data(), data.size())) client_gone = true;
          return !client_gone;
        };
        const bool more = (*stream)(write);
        if (client_gone) return false;  // drops the connection
        if (!more) sink.done();
        return true;
      });
}

}  // namespace

std::string HttpRequest::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

std::string HttpRequest::Header(std::string name) const {
  auto it = headers.find(Lower(std::move(name)));
  return it == headers.end() ? "" : it->second;
}

struct HttpServer::Impl {
  httplib::Server server;
  int port = 0;
  std::thread thread;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  impl_->server.stop();
  impl_->thread.join();
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      HttpHandler handler) {
  auto impl = std::make_unique<Impl>();
  httplib::Server& server = impl->server;
  const size_t threads = std::max<size_t>(2, options.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options.max_body_bytes);
  // SO_REUSEADDR only: the library's default adds SO_REUSEPORT, with which a second scheduler
  // (another home, the same --listen) would bind the same port and get half the requests.
  server.set_socket_options([](int sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.set_read_timeout(std::chrono::seconds(10));
  server.set_write_timeout(std::chrono::seconds(10));
  auto shared = std::make_shared<HttpHandler>(std::move(handler));
  const auto serve = [shared](const httplib::Request& req, httplib::Response& res) {
    const bool accepts_gzip = TakeAcceptsGzip(req);
    ToLibrary((*shared)(FromLibrary(req)), res, accepts_gzip);
  };
  // A POST without Content-Length has an empty body (RFC 9112 6.3), but cpp-httplib 0.11
  // answers it 400 before any handler — and `curl -X POST URL` sends just that.
  server.set_pre_routing_handler([serve](const httplib::Request& req, httplib::Response& res) {
    const bool may_have_body = req.method == "POST" || req.method == "PUT" ||
                               req.method == "PATCH" || req.method == "DELETE";
    if (!may_have_body || req.has_header("Content-Length") ||
        req.has_header("Transfer-Encoding")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    serve(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  // Every path and method goes to the one handler, which routes (and answers 404 and 405).
  const std::string any = "/.*";
  server.Get(any, serve);
  server.Post(any, serve);
  server.Put(any, serve);
  server.Patch(any, serve);
  server.Delete(any, serve);
  server.Options(any, serve);
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        std::string what = "internal error";
        try {
          if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        res.status = 500;
        res.set_content(R"({"error":{"status":500,"message":"internal error: )" + what +
                            "\"}}",
                        "application/json");
      });

  const std::string where = options.host + ":" + std::to_string(options.port);
  if (options.port == 0) {
    impl->port = server.bind_to_any_port(options.host);
    if (impl->port <= 0) {
      return Status::Error("cannot listen on " + options.host +
                           " (any port): is it an address of this machine?");
    }
  } else {
    if (!server.bind_to_port(options.host, options.port)) {
      return Status::Error("cannot listen on " + where +
                           ": the port is in use or the address is not one of this machine's — "
                           "pick another with --listen HOST:PORT");
    }
    impl->port = options.port;
  }
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->server.listen_after_bind(); });
  // Stop() is a no-op until the server runs: wait for it, so that a Stop right after Start
  // cannot be lost (and the thread left listening forever).
  for (int i = 0; i < 5000 && !server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

Result<std::pair<std::string, int>> ParseListenAddress(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) return Status::Error("'" + text + "' is not HOST:PORT: it has no port");
  std::string host = text.substr(0, colon);
  const std::string port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  int port = -1;
  if (!port_text.empty() && port_text.size() <= 5 &&
      std::all_of(port_text.begin(), port_text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    port = std::stoi(port_text);
  }
  if (port < 0 || port > 65535) {
    return Status::Error("'" + text + "' is not HOST:PORT: '" + port_text +
                         "' is not a port (0-65535)");
  }
  return std::make_pair(host, port);
}

}  // namespace sluice
