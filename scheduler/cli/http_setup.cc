#include "scheduler/cli/http_setup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>

#include "runtime/http_server.h"
#include "runtime/secret_file.h"
#include "runtime/time_format.h"
#include "runtime/ui_assets.h"
#include "scheduler/api/api_service.h"

namespace sluice::cli {
namespace {

Result<std::string> ReadTokenFile(const std::string& path) {
  std::optional<std::string> token = ReadSecretFile(path);
  if (!token) return Status::Error("cannot read the API token file " + path);
  if (token->empty()) return Status::Error("the API token file " + path + " is empty");
  return std::move(*token);
}

Result<std::string> RandomToken() {
  unsigned char bytes[32];
  std::ifstream random("/dev/urandom", std::ios::binary);
  if (!random.read(reinterpret_cast<char*>(bytes), sizeof bytes)) {
    return Status::Error("cannot read /dev/urandom for an API token");
  }
  static const char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  return token;
}

// Creates `path` holding a new random token, readable by its owner only; written beside and
// renamed, so a crash never leaves a half-written token.
Result<std::string> CreateTokenFile(const std::string& path) {
  Result<std::string> token = RandomToken();
  if (!token.ok()) return token;
  const std::string temporary = path + ".tmp";
  ::unlink(temporary.c_str());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error("cannot create the API token file " + path);
  const std::string line = *token + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return Status::Error("cannot write the API token file " + path);
  }
  return token;
}

class ServingFrontDoor : public HttpFrontDoor {
 public:
  ServingFrontDoor(std::unique_ptr<ApiService> api, std::unique_ptr<HttpServer> server)
      : api_(std::move(api)), server_(std::move(server)) {}
  ~ServingFrontDoor() override {
    api_->Shutdown();  // ends event streams and followed logs, so the server's threads end
    server_->Stop();
  }
  int port() const override { return server_->port(); }

 private:
  std::unique_ptr<ApiService> api_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace

Result<std::string> ResolveApiToken(const std::string& home, const std::string& token_file) {
  if (!token_file.empty()) return ReadTokenFile(token_file);
  if (const char* env = std::getenv("SLUICE_API_TOKEN"); env != nullptr) {
    std::string token = TrimWhitespace(env);
    if (token.empty()) return Status::Error("SLUICE_API_TOKEN is set but empty");
    return token;
  }
  const std::string path = home + "/api-token";
  if (::access(path.c_str(), F_OK) == 0) return ReadTokenFile(path);
  std::error_code error;
  std::filesystem::create_directories(home, error);  // a first start: the home is new
  if (error) return Status::Error("cannot create the home folder " + home + ": " + error.message());
  return CreateTokenFile(path);
}

Result<std::unique_ptr<HttpFrontDoor>> StartHttp(const HttpSetup& setup, std::ostream& log) {
  Result<std::pair<std::string, int>> address = ParseListenAddress(setup.listen);
  if (!address.ok()) return Status::Error("cannot listen: " + address.message());
  ApiSettings settings;
  settings.database_path = setup.database_path;
  settings.home = setup.home;
  settings.token = setup.token;
  settings.version = SLUICE_VERSION;
  settings.board = setup.board;
  const int wake_fd = setup.wake_fd;
  settings.state_changed = [wake_fd] {
    const uint64_t one = 1;
    if (::write(wake_fd, &one, sizeof one) < 0) {
      // The counter is saturated: a wake-up is pending anyway.
    }
  };
  if (const SchedulerMetrics* metrics = setup.metrics; metrics != nullptr) {
    settings.render_metrics = [metrics](StateStore& store) { return metrics->Render(store); };
  }
  settings.find_static_file = [](std::string_view path) -> std::optional<StaticFile> {
    const UiAsset* asset = FindUiAsset(path);
    if (asset == nullptr) return std::nullopt;
    return StaticFile{asset->body, asset->content_type, asset->immutable};
  };
  auto api = std::make_unique<ApiService>(std::move(settings));
  HttpServerOptions options;
  options.host = address->first;
  options.port = address->second;
  ApiService* raw = api.get();
  Result<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(options, [raw](const HttpRequest& request) { return raw->Handle(request); });
  if (!server.ok()) return server.status();
  const std::string shown_host = options.host.find(':') != std::string::npos
                                     ? "[" + options.host + "]"
                                     : options.host;
  log << FormatUtc(std::chrono::system_clock::now()) << " http: listening on http://"
      << shown_host << ":" << (*server)->port() << " (API, UI and /metrics)\n"
      << std::flush;
  return std::unique_ptr<HttpFrontDoor>(
      new ServingFrontDoor(std::move(api), std::move(server).value()));
}

}  // namespace sluice::cli
