#include "runtime/webhook_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <mutex>
#include <string_view>

namespace sluice {
namespace {

constexpr size_t kBodyExcerptBytes = 300;

void GlobalInitOnce() {
  static std::once_flag once;
  // Not thread-safe in older libcurl: once per process, before the first handle.
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Exchange {
  std::string retry_after;
  std::string body;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t bytes = size * count;
  if (exchange->body.size() < kBodyExcerptBytes) {
    exchange->body.append(data, std::min(bytes, kBodyExcerptBytes - exchange->body.size()));
  }
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t bytes = size * count;
  std::string line(data, bytes);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string name = line.substr(0, kName.size());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == kName) {
      std::string value = line.substr(kName.size());
      while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
      const size_t begin = value.find_first_not_of(' ');
      exchange->retry_after = begin == std::string::npos ? "" : value.substr(begin);
    }
  }
  return bytes;
}

// What went wrong, in words that hold no URL or host name (libcurl's own error buffer
// names the host, which may be part of the secret).
std::string DescribeCurlError(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return "timed out";
    case CURLE_COULDNT_CONNECT:
      return "connection refused or unreachable";
    case CURLE_COULDNT_RESOLVE_HOST:
      return "cannot resolve the webhook's host name";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
      return std::string("TLS error: ") + curl_easy_strerror(code);
    case CURLE_GOT_NOTHING:
      return "the receiver closed the connection without an answer";
    default:
      return curl_easy_strerror(code);
  }
}

class CurlWebhookSender final : public WebhookSender {
 public:
  CurlWebhookSender() {
    GlobalInitOnce();
    multi_ = curl_multi_init();
  }
  ~CurlWebhookSender() override { curl_multi_cleanup(multi_); }
  CurlWebhookSender(const CurlWebhookSender&) = delete;
  CurlWebhookSender& operator=(const CurlWebhookSender&) = delete;

  WebhookResponse Post(const WebhookRequest& request) override {
    WebhookResponse response;
    if (interrupted_.load()) {
      response.interrupted = true;
      return response;
    }
    CURL* easy = curl_easy_init();
    if (easy == nullptr || multi_ == nullptr) {
      if (easy != nullptr) curl_easy_cleanup(easy);
      response.error = "cannot initialise libcurl";
      return response;
    }
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    for (const std::string& h : request.headers) headers = curl_slist_append(headers, h.c_str());
    Exchange exchange;
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // a thread of a multithreaded process
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "sluice");
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &exchange);

    CURLcode result = CURLE_OK;
    curl_multi_add_handle(multi_, easy);
    for (;;) {
      int running = 0;
      if (curl_multi_perform(multi_, &running) != CURLM_OK) {
        result = CURLE_FAILED_INIT;
        break;
      }
      if (running == 0) {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
          if (msg->msg == CURLMSG_DONE) result = msg->data.result;
        }
        break;
      }
      if (interrupted_.load()) break;
      // Sleeps until the socket is ready, a libcurl timer is due, or Interrupt() wakes it.
      curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
      if (interrupted_.load()) break;
    }
    if (interrupted_.load()) {
      response.interrupted = true;
    } else if (result == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      response.status = static_cast<int>(status);
      response.retry_after = exchange.retry_after;
      response.body_excerpt = exchange.body;
    } else {
      response.error = DescribeCurlError(result);
    }
    curl_multi_remove_handle(multi_, easy);
    curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
    return response;
  }

  void Interrupt() override {
    interrupted_.store(true);
    curl_multi_wakeup(multi_);
  }

 private:
  CURLM* multi_ = nullptr;
  std::atomic<bool> interrupted_{false};
};

}  // namespace

std::unique_ptr<WebhookSender> MakeCurlWebhookSender() {
  return std::make_unique<CurlWebhookSender>();
}

}  // namespace sluice
