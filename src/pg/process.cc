#include "pg/process.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>

#include "core/status.h"

namespace dbw::pg {
namespace {

constexpr const char* kServerUser = "postgres";

struct Identity {
  uid_t uid;
  gid_t gid;
};

Identity ServerIdentity() {
  struct passwd* pw = getpwnam(kServerUser);
  if (!pw)
    throw Error(ErrorKind::kEnvironment,
                "dbwright is running as root but there is no 'postgres' OS user to run the "
                "server as: install postgresql-15 (it creates one) or run dbwright as a normal user");
  return {pw->pw_uid, pw->pw_gid};
}

}  // namespace

bool NeedsServerUser() { return geteuid() == 0; }

void ChownToServerUser(const std::string& path) {
  if (!NeedsServerUser()) return;
  Identity id = ServerIdentity();
  if (chown(path.c_str(), id.uid, id.gid) != 0)
    throw Error(ErrorKind::kEnvironment,
                "cannot hand " + path + " to the postgres OS user: " + std::strerror(errno));
}

int Spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
  bool drop = options.as_server_user && NeedsServerUser();
  Identity id{0, 0};
  if (drop) id = ServerIdentity();
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int log_fd = -1;
  if (!options.log_file.empty()) {
    log_fd = open(options.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0)
      throw Error(ErrorKind::kEnvironment,
                  "cannot write " + options.log_file + ": " + std::strerror(errno));
    if (drop && fchown(log_fd, id.uid, id.gid) != 0) { /* best effort */ }
  }
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0)
    throw Error(ErrorKind::kEnvironment, std::string("pipe failed: ") + std::strerror(errno));
  pid_t pid = fork();
  if (pid < 0)
    throw Error(ErrorKind::kEnvironment, std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    close(err_pipe[0]);
    if (options.new_session) setsid();
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    if (log_fd >= 0) {
      dup2(log_fd, 1);
      dup2(log_fd, 2);
    }
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    const char* cwd = options.cwd.empty() ? "/" : options.cwd.c_str();
    if (chdir(cwd) != 0) { /* exec will still try */ }
    if (drop) {
      if (setgroups(0, nullptr) != 0 || setgid(id.gid) != 0 || setuid(id.uid) != 0) {
        int e = errno;
        if (write(err_pipe[1], &e, sizeof e) < 0) {}
        _exit(127);
      }
    }
    for (const auto& kv : options.env) putenv(const_cast<char*>(kv.c_str()));
    execv(args[0], args.data());
    int e = errno;
    if (write(err_pipe[1], &e, sizeof e) < 0) {}
    _exit(127);
  }
  close(err_pipe[1]);
  if (log_fd >= 0) close(log_fd);
  int child_errno = 0;
  ssize_t n = read(err_pipe[0], &child_errno, sizeof child_errno);
  close(err_pipe[0]);
  if (n == sizeof child_errno) {
    waitpid(pid, nullptr, 0);
    throw Error(ErrorKind::kEnvironment,
                "cannot run " + argv[0] + ": " + std::strerror(child_errno));
  }
  return pid;
}

int Wait(int pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

int Run(const std::vector<std::string>& argv, const SpawnOptions& options) {
  return Wait(Spawn(argv, options));
}

std::string Capture(const std::vector<std::string>& argv, const SpawnOptions& options) {
  char tmpl[] = "/tmp/dbwright-capture-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) throw Error(ErrorKind::kEnvironment, std::string("mkstemp: ") + std::strerror(errno));
  close(fd);
  SpawnOptions o = options;
  o.log_file = tmpl;
  if (options.as_server_user) ChownToServerUser(tmpl);
  int rc = Run(argv, o);
  std::ifstream in(tmpl);
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unlink(tmpl);
  if (rc != 0) {
    while (!out.empty() && out.back() == '\n') out.pop_back();
    auto nl = out.rfind('\n');
    throw Error(ErrorKind::kEnvironment,
                argv[0] + " failed (exit " + std::to_string(rc) +
                    "): " + (nl == std::string::npos ? out : out.substr(nl + 1)));
  }
  return out;
}

std::string TailOf(const std::string& path, int max_lines) {
  std::ifstream in(path);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    lines.push_back(line);
    if (static_cast<int>(lines.size()) > max_lines) lines.pop_front();
  }
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : " ") + l;
  return out;
}

}  // namespace dbw::pg
