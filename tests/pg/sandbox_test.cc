// The sandbox against a real PostgreSQL server: start, extensions, TCP, errors, cleanup.
#include "pg/sandbox.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <pwd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "core/status.h"
#include "pg/connection.h"
#include "testing/test_env.h"

namespace fs = std::filesystem;
using dbw::Error;
using dbw::pg::Connection;
using dbw::pg::Sandbox;
using dbw::pg::SandboxOptions;
using dbw::testing::RunDbwright;

namespace {

bool ProcessAlive(int pid) { return pid > 0 && kill(pid, 0) == 0; }

bool WaitGone(const std::string& dir, int pid, int seconds = 15) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (!fs::exists(dir) && !ProcessAlive(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

uid_t OwnerOfProcess(int pid) {
  struct stat st;
  std::string p = "/proc/" + std::to_string(pid);
  return stat(p.c_str(), &st) == 0 ? st.st_uid : static_cast<uid_t>(-1);
}

}  // namespace

TEST(Sandbox, StartsTunedWithStatementsAndHypopg) {
  auto s = Sandbox::Start();
  auto conn = Connection::Open(s->Conninfo());
  EXPECT_EQ(conn.Exec("SHOW fsync").get(0, 0), "off");
  EXPECT_EQ(conn.Exec("SHOW full_page_writes").get(0, 0), "off");
  EXPECT_EQ(conn.Exec("SHOW listen_addresses").get(0, 0), "");
  EXPECT_EQ(conn.Exec("SHOW shared_preload_libraries").get(0, 0), "pg_stat_statements");
  conn.Exec("CREATE EXTENSION pg_stat_statements");
  conn.Exec("CREATE EXTENSION hypopg");
  conn.Exec("CREATE TABLE t (id int)");
  auto r = conn.Exec("SELECT indexrelid FROM hypopg_create_index('CREATE INDEX ON t (id)')");
  EXPECT_EQ(r.rows(), 1);
  EXPECT_GT(conn.Exec("SELECT count(*) FROM pg_stat_statements").get_int(0, "count"), 0);
  EXPECT_TRUE(fs::exists(s->dir() + "/.s.PGSQL." + std::to_string(s->port())));
  if (geteuid() == 0) {
    struct passwd* pw = getpwnam("postgres");
    ASSERT_NE(pw, nullptr);
    EXPECT_EQ(OwnerOfProcess(s->server_pid()), pw->pw_uid) << "server must not run as root";
  }
}

TEST(Sandbox, StopRemovesServerAndDirectory) {
  auto s = Sandbox::Start();
  std::string dir = s->dir();
  int pid = s->server_pid();
  ASSERT_TRUE(fs::exists(dir));
  ASSERT_TRUE(ProcessAlive(pid));
  s->Stop();
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_FALSE(ProcessAlive(pid));
  s->Stop();  // idempotent
}

TEST(Sandbox, DestructorCleansUp) {
  std::string dir;
  int pid;
  {
    auto s = Sandbox::Start();
    dir = s->dir();
    pid = s->server_pid();
  }
  EXPECT_TRUE(WaitGone(dir, pid, 2));
}

TEST(Sandbox, TcpOnlyWhenAsked) {
  SandboxOptions o;
  o.tcp = true;
  auto s = Sandbox::Start(o);
  auto conn = Connection::Open("host=127.0.0.1 port=" + std::to_string(s->port()) +
                               " user=postgres dbname=postgres");
  EXPECT_EQ(conn.Exec("SHOW listen_addresses").get(0, 0), "127.0.0.1");
  EXPECT_EQ(s->Uri(), "postgresql://postgres@127.0.0.1:" + std::to_string(s->port()) + "/postgres");
}

TEST(Sandbox, PortInUseIsOneClearSentence) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  SandboxOptions o;
  o.tcp = true;
  o.port = port;
  try {
    Sandbox::Start(o);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), dbw::ErrorKind::kEnvironment);
    EXPECT_NE(std::string(e.what()).find("port " + std::to_string(port) + " is already in use"),
              std::string::npos)
        << e.what();
  }
  auto r = RunDbwright({"sandbox", "start", "--foreground", "--tcp", "--port", std::to_string(port)});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("already in use"), std::string::npos) << r.err;
  close(fd);
}

TEST(Sandbox, MissingBinariesIsOneClearSentence) {
  EXPECT_THROW(dbw::pg::FindPgBin("/nonexistent/bin"), Error);
  auto r = RunDbwright({"--pg-bin", "/nonexistent/bin", "sandbox", "start", "--foreground"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("has no initdb and postgres"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(Sandbox, FullDiskIsOneClearSentence) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a tiny tmpfs needs root";
  std::string mnt = fs::temp_directory_path() / ("dbwright-full-" + std::to_string(getpid()));
  fs::create_directories(mnt);
  if (mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=4m,mode=0777") != 0) {
    fs::remove(mnt);
    GTEST_SKIP() << "this machine does not allow mounting tmpfs";
  }
  auto r = RunDbwright({"sandbox", "start", "--foreground", "--dir", mnt + "/sb"});
  umount(mnt.c_str());
  fs::remove_all(mnt);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is full"), std::string::npos) << r.err;
}

// The process holding a one-command sandbox is killed in each way a user or CI can kill it:
// no server and no directory may be left behind.
class SandboxKill : public ::testing::TestWithParam<int> {};

TEST_P(SandboxKill, LeavesNothingBehind) {
  int out = -1;
  pid_t pid = dbw::testing::SpawnDbwright({"sandbox", "start", "--foreground"}, {}, &out, nullptr);
  ASSERT_GT(pid, 0);
  std::string uri;
  char ch;
  while (read(out, &ch, 1) == 1 && ch != '\n') uri += ch;
  close(out);
  auto host = uri.find("host=");
  ASSERT_NE(host, std::string::npos) << uri;
  std::string dir = uri.substr(host + 5, uri.find('&', host) - host - 5);
  std::ifstream pidfile(dir + "/data/postmaster.pid");
  int server_pid = 0;
  pidfile >> server_pid;
  ASSERT_TRUE(ProcessAlive(server_pid));
  Connection::Open("host=" + dir + " user=postgres dbname=postgres").Exec("SELECT 1");
  kill(pid, GetParam());
  waitpid(pid, nullptr, 0);
  EXPECT_TRUE(WaitGone(dir, server_pid)) << "left " << dir << " or server " << server_pid;
}

INSTANTIATE_TEST_SUITE_P(Signals, SandboxKill, ::testing::Values(SIGKILL, SIGTERM, SIGINT));

TEST(SandboxCli, PersistentStartStatusUrlStop) {
  std::string dir = fs::temp_directory_path() / ("dbwright-persist-" + std::to_string(getpid()));
  auto start = RunDbwright({"sandbox", "start", "--dir", dir});
  ASSERT_EQ(start.exit_code, 0) << start.err;
  std::string uri = start.out.substr(0, start.out.find('\n'));
  // psql itself accepts the URI.
  std::string cmd = "psql '" + uri + "' -Atc 'select 40 + 2' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[256] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, p);
  pclose(p);
  EXPECT_EQ(std::string(buf, n), "42\n");
  auto status = RunDbwright({"sandbox", "status", "--dir", dir});
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_NE(status.out.find("running"), std::string::npos);
  auto url = RunDbwright({"sandbox", "url", "--dir", dir});
  EXPECT_EQ(url.out, uri + "\n");
  auto stop = RunDbwright({"sandbox", "stop", "--dir", dir});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_FALSE(fs::exists(dir));
  auto after = RunDbwright({"sandbox", "status", "--dir", dir});
  EXPECT_EQ(after.exit_code, 1);
}
