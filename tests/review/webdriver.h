// A minimal WebDriver client for the browser test: starts Debian's chromedriver on a free local
// port, opens one headless Chromium session (--no-sandbox: CI runs as root), and speaks the W3C
// protocol as JSON over plain HTTP/1.1 on 127.0.0.1.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace dbw::testing {

class WebDriver {
 public:
  // Throws std::runtime_error when chromedriver or chromium cannot be started.
  WebDriver();
  ~WebDriver();
  WebDriver(const WebDriver&) = delete;
  WebDriver& operator=(const WebDriver&) = delete;

  void Navigate(const std::string& url);
  // Runs script (a function body) in the page and returns its value.
  nlohmann::json Execute(const std::string& script);
  // Console messages since the last call: [{"level": "SEVERE", "message": ...}, ...].
  nlohmann::json BrowserLog();
  // The viewport as PNG bytes.
  std::string Screenshot();
  void SetWindowSize(int width, int height);

 private:
  nlohmann::json Call(const std::string& method, const std::string& path, const nlohmann::json& body);
  int port_ = 0;
  int pid_ = -1;
  std::string session_;
};

// True when chromium and chromedriver are installed.
bool HaveChromium();

}  // namespace dbw::testing
