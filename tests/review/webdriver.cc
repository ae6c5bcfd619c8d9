#include "webdriver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace dbw::testing {
namespace {

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind failed");
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

std::string Dechunk(const std::string& body) {
  std::string out;
  size_t pos = 0;
  while (pos < body.size()) {
    auto eol = body.find("\r\n", pos);
    if (eol == std::string::npos) break;
    size_t n = std::stoul(body.substr(pos, eol - pos), nullptr, 16);
    if (n == 0) break;
    out += body.substr(eol + 2, n);
    pos = eol + 2 + n + 2;
  }
  return out;
}

// One HTTP/1.1 exchange with Connection: close; returns the body, or throws on a socket error.
std::string Http(int port, const std::string& method, const std::string& path, const std::string& body) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    throw std::runtime_error("cannot connect to chromedriver");
  }
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    "Content-Type: application/json; charset=utf-8\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body;
  for (size_t sent = 0; sent < req.size();) {
    ssize_t n = write(fd, req.data() + sent, req.size() - sent);
    if (n <= 0) {
      close(fd);
      throw std::runtime_error("write to chromedriver failed");
    }
    sent += static_cast<size_t>(n);
  }
  // Read until the body is complete: chromedriver may keep the connection open.
  std::string resp;
  char buf[65536];
  size_t split = std::string::npos, want = std::string::npos;
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) {
    resp.append(buf, static_cast<size_t>(n));
    if (split == std::string::npos && (split = resp.find("\r\n\r\n")) != std::string::npos) {
      std::string head = resp.substr(0, split);
      for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto cl = head.find("content-length:");
      if (cl != std::string::npos) want = split + 4 + std::stoul(head.substr(cl + 15));
    }
    if (want != std::string::npos && resp.size() >= want) break;
    if (split != std::string::npos && want == std::string::npos && resp.size() >= 5 &&
        resp.compare(resp.size() - 5, 5, "0\r\n\r\n") == 0)
      break;  // the last chunk of a chunked body
  }
  close(fd);
  if (split == std::string::npos) throw std::runtime_error("bad HTTP response from chromedriver");
  std::string head = resp.substr(0, split), payload = resp.substr(split + 4);
  if (head.find("chunked") != std::string::npos) payload = Dechunk(payload);
  return payload;
}

}  // namespace

bool HaveChromium() { return access("/usr/bin/chromium", X_OK) == 0 && access("/usr/bin/chromedriver", X_OK) == 0; }

WebDriver::WebDriver() {
  port_ = FreePort();
  pid_ = fork();
  if (pid_ == 0) {
    std::string port = "--port=" + std::to_string(port_);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl("/usr/bin/chromedriver", "chromedriver", port.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  bool ready = false;
  for (int i = 0; i < 300 && !ready; ++i) {
    try {
      ready = nlohmann::json::parse(Http(port_, "GET", "/status", ""))["value"].value("ready", false);
    } catch (const std::exception&) {
    }
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!ready) throw std::runtime_error("chromedriver did not become ready in 30 s");
  nlohmann::json caps = {
      {"capabilities",
       {{"alwaysMatch",
         {{"browserName", "chrome"},
          {"goog:chromeOptions",
           {{"binary", "/usr/bin/chromium"},
            {"args", {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                      "--allow-file-access-from-files", "--window-size=1400,1000"}}}},
          {"goog:loggingPrefs", {{"browser", "ALL"}}}}}}}};
  session_ = Call("POST", "/session", caps)["sessionId"].get<std::string>();
}

WebDriver::~WebDriver() {
  try {
    if (!session_.empty()) Http(port_, "DELETE", "/session/" + session_, "");
  } catch (const std::exception&) {
  }
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

nlohmann::json WebDriver::Call(const std::string& method, const std::string& path, const nlohmann::json& body) {
  auto text = Http(port_, method, path, body.is_null() ? "" : body.dump());
  auto j = nlohmann::json::parse(text);
  const auto& v = j["value"];
  if (v.is_object() && v.contains("error"))
    throw std::runtime_error("WebDriver " + path + ": " + v["error"].get<std::string>() + ": " + v.value("message", ""));
  return v;
}

void WebDriver::Navigate(const std::string& url) { Call("POST", "/session/" + session_ + "/url", {{"url", url}}); }

nlohmann::json WebDriver::Execute(const std::string& script) {
  return Call("POST", "/session/" + session_ + "/execute/sync", {{"script", script}, {"args", nlohmann::json::array()}});
}

nlohmann::json WebDriver::BrowserLog() { return Call("POST", "/session/" + session_ + "/se/log", {{"type", "browser"}}); }

void WebDriver::SetWindowSize(int width, int height) {
  Call("POST", "/session/" + session_ + "/window/rect", {{"width", width}, {"height", height}});
}

std::string WebDriver::Screenshot() {
  auto b64 = Call("GET", "/session/" + session_ + "/screenshot", nullptr).get<std::string>();
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : b64) {
    auto pos = kAlphabet.find(c);
    if (pos == std::string::npos) continue;  // '=' padding, newlines
    val = (val << 6) + static_cast<int>(pos);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

}  // namespace dbw::testing
