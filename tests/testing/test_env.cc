#include "testing/test_env.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "pg/connection.h"
#include "pg/sandbox.h"

namespace dbw::testing {

std::string TestData(const std::string& relative) {
  return std::string(DBWRIGHT_TEST_DATA) + "/" + relative;
}

std::string SourcePath(const std::string& relative) {
  return std::string(DBWRIGHT_SOURCE_DIR) + "/" + relative;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string DbwrightBinary() { return DBWRIGHT_BINARY; }

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

namespace {

// In the child after fork: exec the built binary with args (does not return).
[[noreturn]] void ExecDbwright(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string bin = DbwrightBinary();
  argv.push_back(bin.data());
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(bin.c_str(), argv.data());
  _exit(127);
}

}  // namespace

int SpawnDbwright(const std::vector<std::string>& args,
                  const std::vector<std::pair<std::string, std::string>>& env, int* stdout_fd,
                  int* stderr_fd) {
  int out[2] = {-1, -1}, err[2] = {-1, -1};
  if ((stdout_fd && pipe(out)) || (stderr_fd && pipe(err))) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(stdout_fd ? out[1] : devnull, 1);
    dup2(stderr_fd ? err[1] : devnull, 2);
    for (int fd : {out[0], out[1], err[0], err[1]})
      if (fd >= 0) close(fd);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    ExecDbwright(args);
  }
  if (stdout_fd) {
    close(out[1]);
    *stdout_fd = out[0];
  }
  if (stderr_fd) {
    close(err[1]);
    *stderr_fd = err[0];
  }
  return pid;
}

CommandResult RunDbwright(const std::vector<std::string>& args, const std::string& stdin_text) {
  int in[2], out[2], err[2];
  if (pipe(in) || pipe(out) || pipe(err)) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    ExecDbwright(args);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (!stdin_text.empty() && write(in[1], stdin_text.data(), stdin_text.size()) < 0) {}
  close(in[1]);
  CommandResult r;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? r.out : r.err).append(buf, n);
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

pg::Sandbox& SharedSandbox() {
  static std::unique_ptr<pg::Sandbox> sandbox = pg::Sandbox::Start();
  return *sandbox;
}

std::string FreshDatabase(const std::string& name) { return SharedSandbox().CreateDatabase(name); }

std::string TempDir(const std::string& name) {
  namespace fs = std::filesystem;
  static struct Cleanup {
    std::vector<fs::path> paths;
    ~Cleanup() {
      for (const auto& p : paths) fs::remove_all(p);
    }
  } cleanup;
  const auto p = fs::temp_directory_path() / ("dbw_test_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  cleanup.paths.push_back(p);
  return p.string();
}

const std::vector<std::pair<std::string, std::string>>& SaasDeliberateFlaws() {
  static const std::vector<std::pair<std::string, std::string>> flaws = {
      {"no-primary-key", "billing.partner_payouts"},
      {"money-type", "billing.partner_payouts.amount"},
      {"check-missing-sign", "billing.partner_payouts.amount"},
      {"timestamp-without-time-zone", "billing.partner_payouts.processed_at"},
      {"varchar-without-reason", "billing.partner_payouts.partner_name"},
      {"missing-comment", "billing.partner_payouts"},
      {"rls-not-enabled", "billing.partner_payouts"},
      {"serial-not-identity", "app.webhook_deliveries.id"},
      {"int4-key-overflow-risk", "app.webhook_deliveries.id"},
      {"fk-without-index", "app.webhook_deliveries.webhook_deliveries_webhook_id_fkey"},
      {"json-not-jsonb", "app.webhook_deliveries.request_body"},
      {"tenant-column-missing", "app.webhook_deliveries"},
      {"float-for-money", "billing.coupons.amount_off"},
      {"nullable-unique", "app.feature_flags.feature_flags_flag_key_account_id_key"},
      {"duplicate-index", "app.sessions_user_id_idx"},
      {"security-definer-search-path", "app.authenticate_api_key(bigint, bytea)"},
      {"enum-likely-to-grow", "app.integration_provider"},
      {"partition-no-future", "app.events"},
  };
  return flaws;
}

const std::set<std::string>& SaasCleanObjects() {
  static const std::set<std::string> clean = {
      "app.accounts", "app.account_settings", "app.users", "app.roles", "app.permissions",
      "app.role_permissions", "app.memberships", "app.api_keys", "app.integrations",
      "app.notifications", "app.files", "app.tags", "app.tickets", "app.ticket_comments",
      "app.ticket_tags", "app.ticket_attachments", "app.audit_log", "billing.plans",
      "billing.plan_prices", "billing.products", "billing.product_prices", "billing.subscriptions",
      "billing.subscription_changes", "billing.coupon_redemptions", "billing.invoices",
      "billing.invoice_line_items", "billing.payments", "billing.usage_records",
      "billing.open_invoices", "billing.mrr_by_plan_month", "billing.invoice_number_seq",
      "app.current_account_id()", "app.set_updated_at()", "app.write_audit_log()"};
  return clean;
}

}  // namespace dbw::testing
