#include "pg/sandbox.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "pg/connection.h"
#include "pg/process.h"

namespace fs = std::filesystem;

namespace dbw::pg {

struct Sandbox::Impl {
  std::string dir, data_dir, bin_dir;
  int port = 5432;
  bool tcp = false;
  bool owned = true;       // we remove it on Stop()
  int server_pid = -1;
  bool server_is_child = false;
  int watchdog_pid = -1;
  int watchdog_fd = -1;    // write end; closing it tells the watchdog we are gone
};

namespace {

bool IsExecutable(const fs::path& p) { return access(p.c_str(), X_OK) == 0; }

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

int FreeTcpPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) close(fd);
    throw Error(ErrorKind::kEnvironment, "cannot find a free TCP port on 127.0.0.1");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

bool TcpPortInUse(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bool in_use = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0;
  close(fd);
  return in_use;
}

// One sentence for a failed initdb or server start, from what the log says.
std::string Explain(const std::string& what, const std::string& log, const Sandbox::Impl& s) {
  std::string tail = TailOf(log, 4);
  if (tail.find("No space left on device") != std::string::npos)
    return what + " failed because the disk holding " + s.dir +
           " is full: free some space or point TMPDIR (or --dir) at another disk.";
  if (tail.find("Address already in use") != std::string::npos)
    return "port " + std::to_string(s.port) +
           " is already in use on 127.0.0.1: stop what uses it or choose another with --port.";
  if (tail.find("Permission denied") != std::string::npos)
    return what + " failed: the server's OS user cannot write to " + s.dir +
           "; choose a directory it can reach (" + tail + ")";
  if (tail.find("pg_stat_statements") != std::string::npos)
    return what + " failed: pg_stat_statements is missing from " + s.bin_dir +
           "; install postgresql-15 (contrib is part of it).";
  return what + " failed: " + (tail.empty() ? "no output (see " + log + ")" : tail);
}

// A forked /bin/sh that waits for its stdin (our pipe) to close, then stops the server and
// removes the directory: cleanup that also happens when dbwright is killed with SIGKILL.
void StartWatchdog(Sandbox::Impl& s) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw Error(ErrorKind::kEnvironment, std::string("pipe failed: ") + std::strerror(errno));
  static const char* kScript =
      "trap '' INT TERM HUP; cat >/dev/null; "
      "pidfile=\"$1/data/postmaster.pid\"; "
      "if [ -f \"$pidfile\" ]; then pid=$(head -n 1 \"$pidfile\"); "
      "  kill -QUIT \"$pid\" 2>/dev/null; i=0; "
      "  while kill -0 \"$pid\" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; "
      "  kill -KILL \"$pid\" 2>/dev/null; fi; "
      "rm -rf \"$1\"";
  pid_t pid = fork();
  if (pid < 0) throw Error(ErrorKind::kEnvironment, "fork failed for the sandbox watchdog");
  if (pid == 0) {
    setsid();
    dup2(fds[0], 0);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      dup2(devnull, 1);
      dup2(devnull, 2);
    }
    // Close every other descriptor so no inherited pipe keeps our caller's readers waiting.
    for (int fd = 3; fd < 1024; ++fd) close(fd);
    execl("/bin/sh", "sh", "-c", kScript, "dbwright-sandbox-watchdog", s.dir.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[0]);
  s.watchdog_pid = pid;
  s.watchdog_fd = fds[1];
}

void WriteConf(const Sandbox::Impl& s, const std::string& extra) {
  std::ofstream conf(s.data_dir + "/postgresql.auto.conf", std::ios::app);
  conf << "# dbwright sandbox: throwaway, tuned for speed\n"
       << "listen_addresses = '" << (s.tcp ? "127.0.0.1" : "") << "'\n"
       << "port = " << s.port << "\n"
       << "unix_socket_directories = '" << s.dir << "'\n"
       << "unix_socket_permissions = 0700\n"
       << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
       << "shared_buffers = 256MB\nmaintenance_work_mem = 256MB\nmax_wal_size = 4GB\n"
       << "checkpoint_timeout = 30min\nmax_connections = 100\n"
       // whole-schema DDL scripts and pg_dump of 10,000-table schemas lock every table at once
       << "max_locks_per_transaction = 1024\n"
       << "shared_preload_libraries = 'pg_stat_statements'\n"
       << "pg_stat_statements.track = all\ntrack_io_timing = on\n"
       << "logging_collector = off\nlog_min_messages = warning\n"
       << extra << "\n";
  if (!conf) throw Error(ErrorKind::kEnvironment, "cannot write the sandbox configuration in " + s.data_dir);
}

void WaitReady(Sandbox::Impl& s, const std::string& log) {
  std::string conninfo = "host='" + s.dir + "' port=" + std::to_string(s.port) +
                         " user=postgres dbname=postgres connect_timeout=5";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (PQping(conninfo.c_str()) == PQPING_OK) return;
    int status;
    if (waitpid(s.server_pid, &status, WNOHANG) == s.server_pid) {
      s.server_pid = -1;
      throw Error(ErrorKind::kEnvironment, Explain("starting the sandbox server", log, s));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  throw Error(ErrorKind::kEnvironment,
              "the sandbox server did not become ready within 60 s: " + TailOf(log));
}

void SaveState(const Sandbox::Impl& s) {
  nlohmann::json j = {{"port", s.port}, {"tcp", s.tcp}, {"bin_dir", s.bin_dir},
                      {"server_pid", s.server_pid}};
  std::ofstream(s.dir + "/sandbox.json") << j.dump(2) << "\n";
}

std::vector<std::string> InitdbArgs(const std::string& bin_dir, const std::string& data_dir) {
  return {bin_dir + "/initdb", "-D", data_dir, "-U", "postgres", "-A", "trust", "-E", "UTF8",
          "--locale=C", "--no-sync", "--no-instructions"};
}

// initdb dominates start-up (about a second), and its output depends only on the binaries:
// keep one pristine cluster per server build and copy it. The cache lives where only we (or,
// as root, the postgres user) can write, and is replaced atomically by rename.
std::string TemplateCacheDir(const std::string& bin_dir) {
  struct stat st;
  std::string initdb = bin_dir + "/initdb";
  if (stat(initdb.c_str(), &st) != 0) return {};
  std::string base;
  if (NeedsServerUser()) {
    base = "/var/tmp/dbwright-cache";
  } else {
    const char* xdg = getenv("XDG_CACHE_HOME");
    const char* home = getenv("HOME");
    if (xdg && *xdg) base = std::string(xdg) + "/dbwright";
    else if (home && *home) base = std::string(home) + "/.cache/dbwright";
    else return {};
  }
  std::error_code ec;
  fs::create_directories(base, ec);
  if (ec) return {};
  chmod(base.c_str(), 0700);
  ChownToServerUser(base);
  struct stat bst;
  if (stat(base.c_str(), &bst) != 0 || (bst.st_mode & 022) != 0) return {};
  std::string key = std::to_string(std::hash<std::string>{}(bin_dir)) + "-" +
                    std::to_string(static_cast<long long>(st.st_mtime)) + "-" +
                    std::to_string(static_cast<long long>(st.st_size));
  return base + "/template-" + key;
}

void InitDataDir(Sandbox::Impl& s) {
  std::string log = s.dir + "/initdb.log";
  std::string cache = TemplateCacheDir(s.bin_dir);
  if (!cache.empty() && !fs::exists(cache + "/PG_VERSION")) {
    std::string tmp = cache + ".tmp-" + std::to_string(getpid());
    if (Run(InitdbArgs(s.bin_dir, tmp), {.log_file = log, .cwd = s.dir}) == 0) {
      std::error_code ec;
      fs::rename(tmp, cache, ec);
      if (ec) fs::remove_all(tmp, ec);  // another process won the race: use theirs
    } else {
      std::error_code ec;
      fs::remove_all(tmp, ec);
      cache.clear();
    }
  }
  if (!cache.empty() && fs::exists(cache + "/PG_VERSION") &&
      Run({"/bin/cp", "-a", cache, s.data_dir}, {.log_file = log, .cwd = s.dir}) == 0)
    return;
  std::error_code ec;
  fs::remove_all(s.data_dir, ec);  // a partial copy (e.g. disk full) before initdb tries
  int rc = Run(InitdbArgs(s.bin_dir, s.data_dir), {.log_file = log, .cwd = s.dir});
  if (rc != 0) throw Error(ErrorKind::kEnvironment, Explain("initdb", log, s));
}

}  // namespace

std::string FindPgBin(const std::string& explicit_dir) {
  auto has_server = [](const fs::path& d) {
    return IsExecutable(d / "initdb") && IsExecutable(d / "postgres");
  };
  if (!explicit_dir.empty()) {
    if (has_server(explicit_dir)) return explicit_dir;
    throw Error(ErrorKind::kEnvironment,
                "--pg-bin " + explicit_dir + " has no initdb and postgres: point it at the "
                "server's bin directory (e.g. /usr/lib/postgresql/15/bin)");
  }
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/usr/local/pgsql/bin"}) {
    fs::path pg_config = fs::path(dir) / "pg_config";
    if (!IsExecutable(pg_config)) continue;
    try {
      std::string bindir = Trim(Capture({pg_config.string(), "--bindir"}, {.as_server_user = false}));
      if (has_server(bindir)) return bindir;
    } catch (const Error&) {
    }
  }
  std::vector<fs::path> candidates;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec))
    if (has_server(e.path() / "bin")) candidates.push_back(e.path() / "bin");
  if (!candidates.empty()) {
    std::sort(candidates.begin(), candidates.end(), [](const fs::path& a, const fs::path& b) {
      return std::stoi(a.parent_path().filename().string()) <
             std::stoi(b.parent_path().filename().string());
    });
    return candidates.back().string();
  }
  throw Error(ErrorKind::kEnvironment,
              "no PostgreSQL server binaries found (looked at pg_config --bindir and "
              "/usr/lib/postgresql/*/bin): install postgresql-15 or pass --pg-bin DIR");
}

std::unique_ptr<Sandbox> Sandbox::Start(const SandboxOptions& options) {
  auto s = std::make_unique<Impl>();
  s->bin_dir = FindPgBin(options.pg_bin);
  s->tcp = options.tcp;
  if (options.tcp) {
    s->port = options.port ? options.port : FreeTcpPort();
    if (options.port && TcpPortInUse(options.port))
      throw Error(ErrorKind::kEnvironment,
                  "port " + std::to_string(options.port) +
                      " is already in use on 127.0.0.1: stop what uses it or choose another "
                      "with --port.");
  } else {
    s->port = options.port ? options.port : 5432;
  }
  if (options.dir.empty()) {
    const char* tmp = getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/dbwright-XXXXXX";
    if (!mkdtemp(tmpl.data()))
      throw Error(ErrorKind::kEnvironment,
                  "cannot create a temporary directory in " + tmpl.substr(0, tmpl.rfind('/')) +
                      ": " + std::strerror(errno));
    s->dir = tmpl;
  } else {
    std::error_code ec;
    if (fs::exists(fs::path(options.dir) / "data"))
      throw Error(ErrorKind::kEnvironment,
                  options.dir + " already holds a sandbox: stop it first (dbwright sandbox stop)");
    fs::create_directories(options.dir, ec);
    if (ec)
      throw Error(ErrorKind::kEnvironment, "cannot create " + options.dir + ": " + ec.message());
    chmod(options.dir.c_str(), 0700);
    s->dir = fs::canonical(options.dir).string();
  }
  s->data_dir = s->dir + "/data";
  s->owned = true;
  auto sandbox = std::unique_ptr<Sandbox>(new Sandbox(std::move(s)));
  Impl& impl = *sandbox->impl_;
  ChownToServerUser(impl.dir);
  if (!options.persistent) StartWatchdog(impl);

  if (options.populate) options.populate(impl.data_dir);
  else InitDataDir(impl);
  WriteConf(impl, options.extra_conf);

  std::string log = impl.dir + "/server.log";
  impl.server_pid = Spawn({impl.bin_dir + "/postgres", "-D", impl.data_dir},
                          {.log_file = log, .cwd = impl.dir, .new_session = true});
  impl.server_is_child = true;
  WaitReady(impl, log);
  SaveState(impl);
  if (options.persistent) impl.owned = false;  // outlives us; `sandbox stop` removes it
  return sandbox;
}

std::unique_ptr<Sandbox> Sandbox::Attach(const std::string& dir) {
  std::ifstream in(dir + "/sandbox.json");
  if (!in)
    throw Error(ErrorKind::kEnvironment,
                "no sandbox is running in " + dir + ": start one with `dbwright sandbox start`");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded())
    throw Error(ErrorKind::kEnvironment, dir + "/sandbox.json is damaged: remove " + dir);
  auto s = std::make_unique<Impl>();
  s->dir = fs::canonical(dir).string();
  s->data_dir = s->dir + "/data";
  s->bin_dir = j.value("bin_dir", "");
  s->port = j.value("port", 5432);
  s->tcp = j.value("tcp", false);
  s->server_pid = j.value("server_pid", -1);
  s->owned = false;
  return std::unique_ptr<Sandbox>(new Sandbox(std::move(s)));
}

Sandbox::Sandbox(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Sandbox::~Sandbox() {
  if (impl_->owned) {
    try {
      Stop();
    } catch (...) {
    }
  }
}

void Sandbox::Stop() {
  Impl& s = *impl_;
  if (s.server_pid > 0 && kill(s.server_pid, SIGQUIT) == 0) {
    if (s.server_is_child) {
      waitpid(s.server_pid, nullptr, 0);
    } else {
      for (int i = 0; i < 200 && kill(s.server_pid, 0) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  s.server_pid = -1;
  std::error_code ec;
  if (!s.dir.empty()) fs::remove_all(s.dir, ec);
  if (s.watchdog_fd >= 0) {
    close(s.watchdog_fd);
    s.watchdog_fd = -1;
    waitpid(s.watchdog_pid, nullptr, 0);
  }
  s.owned = false;
}

std::string Sandbox::Conninfo(const std::string& dbname) const {
  return "host='" + impl_->dir + "' port=" + std::to_string(impl_->port) +
         " user=postgres dbname='" + dbname + "'";
}

std::string Sandbox::Uri(const std::string& dbname) const {
  if (impl_->tcp)
    return "postgresql://postgres@127.0.0.1:" + std::to_string(impl_->port) + "/" + dbname;
  return "postgresql://postgres@/" + dbname + "?host=" + impl_->dir +
         "&port=" + std::to_string(impl_->port);
}

std::string Sandbox::CreateDatabase(const std::string& dbname) {
  auto conn = Connection::Open(Conninfo());
  std::string q = conn.QuoteIdent(dbname);
  conn.Exec("DROP DATABASE IF EXISTS " + q + " WITH (FORCE)");
  conn.Exec("CREATE DATABASE " + q + " TEMPLATE template0");
  return Conninfo(dbname);
}

const std::string& Sandbox::dir() const { return impl_->dir; }
const std::string& Sandbox::data_dir() const { return impl_->data_dir; }
const std::string& Sandbox::bin_dir() const { return impl_->bin_dir; }
int Sandbox::port() const { return impl_->port; }
int Sandbox::server_pid() const { return impl_->server_pid; }

}  // namespace dbw::pg
