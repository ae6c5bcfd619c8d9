// `dbwright sandbox start|stop|status|url`: a throwaway server kept for the user.
#include <signal.h>
#include <unistd.h>

#include <iostream>

#include "cli/command.h"
#include "core/status.h"
#include "pg/connection.h"
#include "pg/sandbox.h"

namespace dbw::cli {
namespace {

std::string DefaultDir() {
  const char* runtime = getenv("XDG_RUNTIME_DIR");
  std::string base = runtime && *runtime ? runtime : "/tmp";
  return base + "/dbwright-sandbox-" + std::to_string(getuid());
}

bool Running(pg::Sandbox& s) {
  try {
    pg::Connection::Open(s.Conninfo() + " connect_timeout=2");
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

void RegisterSandbox(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("sandbox", "a throwaway PostgreSQL server for you or your tests");
  group->require_subcommand(1);
  static std::string dir;
  static bool tcp = false, foreground = false;
  static int port = 0;
  static std::vector<std::string> settings;

  auto* start = group->add_subcommand("start", "start a sandbox that keeps running; prints its URI");
  start->add_option("--dir", dir, "where to keep it (default $XDG_RUNTIME_DIR or /tmp)");
  start->add_flag("--tcp", tcp, "also listen on 127.0.0.1");
  start->add_option("--port", port, "port (default: a free one with --tcp, 5432 on the socket)");
  start->add_option("--set", settings, "extra server setting NAME=VALUE (repeatable)");
  start->add_flag("--foreground", foreground,
                  "stay in the foreground; the sandbox is removed when this process ends");
  start->callback([&ctx] {
    pg::SandboxOptions o;
    o.pg_bin = ctx.pg_bin;
    o.tcp = tcp;
    o.port = port;
    for (const auto& kv : settings) {
      auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0)
        throw Error(ErrorKind::kUsage, "--set takes NAME=VALUE, not '" + kv + "'");
      o.extra_conf += kv.substr(0, eq) + " = '" + kv.substr(eq + 1) + "'\n";
    }
    if (!foreground) {
      o.dir = dir.empty() ? DefaultDir() : dir;
      o.persistent = true;
    } else if (!dir.empty()) {
      o.dir = dir;
    }
    auto s = pg::Sandbox::Start(o);
    std::cout << s->Uri() << std::endl;
    if (foreground) {
      std::cerr << "sandbox running in " << s->dir() << "; press Ctrl-C to stop and remove it\n";
      for (;;) pause();
    }
  });

  auto* stop = group->add_subcommand("stop", "stop the sandbox and remove its files");
  stop->add_option("--dir", dir, "the sandbox's directory");
  stop->callback([] {
    auto s = pg::Sandbox::Attach(dir.empty() ? DefaultDir() : dir);
    s->Stop();
    std::cout << "stopped\n";
  });

  auto* status = group->add_subcommand("status", "say whether the sandbox is running");
  status->add_option("--dir", dir, "the sandbox's directory");
  status->callback([&ctx] {
    std::string d = dir.empty() ? DefaultDir() : dir;
    std::unique_ptr<pg::Sandbox> s;
    try {
      s = pg::Sandbox::Attach(d);
    } catch (const Error&) {
      std::cout << "not running (no sandbox in " << d << ")\n";
      ctx.exit_code = 1;
      return;
    }
    bool up = Running(*s);
    std::cout << (up ? "running" : "stopped") << " in " << s->dir() << " (pid "
              << s->server_pid() << ")\n";
    ctx.exit_code = up ? 0 : 1;
  });

  auto* url = group->add_subcommand("url", "print the sandbox's connection URI");
  url->add_option("--dir", dir, "the sandbox's directory");
  url->callback([] {
    auto s = pg::Sandbox::Attach(dir.empty() ? DefaultDir() : dir);
    std::cout << s->Uri() << "\n";
  });
}

}  // namespace dbw::cli
