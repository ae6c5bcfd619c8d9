#include "backup/policy.h"

#include <cstdlib>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "backup/duration.h"
#include "config/toml.h"
#include "core/file.h"
#include "core/status.h"
#include "pg/process.h"

namespace dbw::backup {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Reader {
  std::string label;
  std::string base_dir;
  std::vector<std::string>* unknown;

  Error Bad(const std::string& key, const std::string& problem) const {
    return Error(ErrorKind::kInput, label + ": " + key + ": " + problem);
  }
  void Known(const json& table, const std::string& prefix, std::set<std::string> keys) const {
    for (const auto& [k, v] : table.items())
      if (!keys.count(k)) unknown->push_back(prefix + k);
  }
  std::string Str(const json& t, const std::string& key, const std::string& name,
                  std::string fallback) const {
    if (!t.contains(key)) return fallback;
    if (!t[key].is_string()) throw Bad(name, "must be a string");
    return t[key].get<std::string>();
  }
  std::string PathOf(const json& t, const std::string& key, const std::string& name,
                     std::string fallback) const {
    std::string p = Str(t, key, name, fallback);
    if (p.empty() || fs::path(p).is_absolute()) return p;
    return (fs::path(base_dir) / p).lexically_normal().string();
  }
  double Dur(const json& t, const std::string& key, const std::string& name, double fallback) const {
    if (!t.contains(key)) return fallback;
    if (t[key].is_number()) return t[key].get<double>();
    if (!t[key].is_string()) throw Bad(name, "must be a duration such as \"5m\"");
    return ParseDuration(t[key].get<std::string>(), label + ": " + name);
  }
  long long Int(const json& t, const std::string& key, const std::string& name,
                long long fallback) const {
    if (!t.contains(key)) return fallback;
    if (!t[key].is_number_integer() || t[key].get<long long>() < 0)
      throw Bad(name, "must be a non-negative integer");
    return t[key].get<long long>();
  }
  long long Bytes(const json& t, const std::string& key, const std::string& name,
                  long long fallback) const {
    if (!t.contains(key)) return fallback;
    if (t[key].is_number_integer()) return t[key].get<long long>();
    if (!t[key].is_string()) throw Bad(name, "must be a size such as \"1GB\"");
    std::string s = t[key].get<std::string>();
    size_t i = 0;
    double n = 0;
    try {
      n = std::stod(s, &i);
    } catch (...) {
      throw Bad(name, "'" + s + "' is not a size such as \"512MB\"");
    }
    std::string unit = s.substr(i);
    while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
    static const std::map<std::string, double> kUnits = {
        {"", 1}, {"B", 1}, {"kB", 1024}, {"KB", 1024}, {"MB", 1 << 20}, {"GB", 1 << 30},
        {"TB", 1099511627776.0}};
    auto u = kUnits.find(unit);
    if (u == kUnits.end()) throw Bad(name, "'" + s + "' is not a size such as \"512MB\"");
    return static_cast<long long>(n * u->second);
  }
  bool Bool(const json& t, const std::string& key, const std::string& name, bool fallback) const {
    if (!t.contains(key)) return fallback;
    if (!t[key].is_boolean()) throw Bad(name, "must be true or false");
    return t[key].get<bool>();
  }
  const json& Table(const json& t, const std::string& key, const json& empty) const {
    if (!t.contains(key)) return empty;
    if (!t[key].is_object()) throw Bad(key, "must be a table ([" + key + "])");
    return t[key];
  }
};

}  // namespace

Policy ParsePolicy(const std::string& toml_text, const std::string& label) {
  json root = config::ParseToml(toml_text, label);
  Policy p;
  p.file = label;
  std::error_code ec;
  std::string base = fs::path(label).has_parent_path()
                         ? fs::absolute(fs::path(label).parent_path(), ec).string()
                         : fs::current_path(ec).string();
  Reader r{label, base, &p.unknown_keys};
  const json empty = json::object();
  r.Known(root, "", {"stanza", "rpo", "rto", "measured_restore", "archive", "streaming",
                     "process_max", "recovery_window", "schedule", "repo", "paths", "server",
                     "monitor", "classes", "verify_logical"});
  p.stanza = r.Str(root, "stanza", "stanza", "main");
  if (p.stanza.empty() || p.stanza.find_first_of(" /\\'\"") != std::string::npos)
    throw r.Bad("stanza", "must be a plain name such as \"main\"");
  if (!root.contains("rpo")) throw r.Bad("rpo", "is required (e.g. rpo = \"5m\")");
  if (!root.contains("rto")) throw r.Bad("rto", "is required (e.g. rto = \"1h\")");
  p.rpo = r.Dur(root, "rpo", "rpo", 0);
  p.rto = r.Dur(root, "rto", "rto", 0);
  if (root.contains("measured_restore"))
    p.measured_restore = r.Dur(root, "measured_restore", "measured_restore", 0);
  p.archive = r.Bool(root, "archive", "archive", true);
  p.streaming = r.Bool(root, "streaming", "streaming", false);
  p.verify_logical = r.Bool(root, "verify_logical", "verify_logical", true);
  p.process_max = static_cast<int>(r.Int(root, "process_max", "process_max", 2));
  if (p.process_max < 1) p.process_max = 1;
  p.recovery_window = r.Dur(root, "recovery_window", "recovery_window", 0);

  const json& sched = r.Table(root, "schedule", empty);
  r.Known(sched, "schedule.", {"full", "diff", "incr", "verify"});
  for (const auto& [k, v] : sched.items()) {
    if (!v.is_string()) throw r.Bad("schedule." + k, "must be a cron expression or hourly/daily/weekly");
    p.schedule[k] = CronExpression(v.get<std::string>(), label + ": schedule." + k);
  }
  if (!p.schedule.count("full"))
    throw r.Bad("schedule.full", "is required: without full backups nothing can be restored");

  if (!root.contains("repo")) throw r.Bad("repo", "at least one [[repo]] with a path is required");
  json repos = root["repo"].is_object() ? json::array({root["repo"]}) : root["repo"];
  if (!repos.is_array() || repos.empty()) throw r.Bad("repo", "must be [[repo]] tables");
  for (size_t i = 0; i < repos.size(); ++i) {
    const json& t = repos[i];
    std::string name = "repo[" + std::to_string(i + 1) + "]";
    if (!t.is_object()) throw r.Bad(name, "must be a table");
    if (t.contains("cipher_pass"))
      throw r.Bad(name + ".cipher_pass",
                  "a passphrase must never be written in the policy; name an environment variable "
                  "(cipher_pass_env) or a command that prints it (cipher_pass_command)");
    r.Known(t, name + ".", {"path", "compress", "compress_level", "cipher", "cipher_pass_env",
                            "cipher_pass_command", "retention_full", "retention_full_time",
                            "retention_diff"});
    Repo repo;
    repo.path = r.PathOf(t, "path", name + ".path", "");
    if (repo.path.empty()) throw r.Bad(name + ".path", "is required");
    repo.compress = r.Str(t, "compress", name + ".compress", "lz4");
    static const std::set<std::string> kCompress = {"none", "lz4", "zst", "gz", "bz2"};
    if (!kCompress.count(repo.compress))
      throw r.Bad(name + ".compress", "'" + repo.compress + "' is not one of none, lz4, zst, gz, bz2");
    repo.compress_level = static_cast<int>(r.Int(t, "compress_level", name + ".compress_level", 0));
    repo.cipher = r.Str(t, "cipher", name + ".cipher", "");
    if (repo.cipher == "none") repo.cipher.clear();
    if (!repo.cipher.empty() && repo.cipher != "aes-256-cbc")
      throw r.Bad(name + ".cipher", "pgBackRest supports aes-256-cbc (or none)");
    repo.cipher_pass_env = r.Str(t, "cipher_pass_env", name + ".cipher_pass_env", "");
    repo.cipher_pass_command = r.Str(t, "cipher_pass_command", name + ".cipher_pass_command", "");
    if (!repo.cipher.empty() && repo.cipher_pass_env.empty() && repo.cipher_pass_command.empty())
      throw r.Bad(name + ".cipher", "an encrypted repository needs cipher_pass_env or cipher_pass_command");
    if (t.contains("retention_full_time")) {
      repo.retention_full_time = r.Dur(t, "retention_full_time", name + ".retention_full_time", 0);
      repo.retention_full = 0;
    } else {
      repo.retention_full = static_cast<int>(r.Int(t, "retention_full", name + ".retention_full", 2));
      if (repo.retention_full < 1) throw r.Bad(name + ".retention_full", "must keep at least 1 full backup");
    }
    repo.retention_diff = static_cast<int>(r.Int(t, "retention_diff", name + ".retention_diff", 0));
    p.repos.push_back(repo);
  }

  const json& paths = r.Table(root, "paths", empty);
  r.Known(paths, "paths.", {"config", "lock", "log", "spool"});
  p.config_path = r.PathOf(paths, "config", "paths.config", "/etc/pgbackrest/pgbackrest.conf");
  p.lock_path = r.PathOf(paths, "lock", "paths.lock", "/tmp/pgbackrest");
  p.log_path = r.PathOf(paths, "log", "paths.log", "/var/log/pgbackrest");
  p.spool_path = r.PathOf(paths, "spool", "paths.spool", "/var/spool/pgbackrest");

  const json& server = r.Table(root, "server", empty);
  r.Known(server, "server.", {"data", "socket", "port", "user", "database"});
  p.pg_data = r.PathOf(server, "data", "server.data", "/var/lib/postgresql/15/main");
  p.pg_socket = r.PathOf(server, "socket", "server.socket", "/var/run/postgresql");
  p.pg_port = static_cast<int>(r.Int(server, "port", "server.port", 5432));
  p.pg_user = r.Str(server, "user", "server.user", "postgres");
  p.pg_database = r.Str(server, "database", "server.database", "postgres");

  const json& mon = r.Table(root, "monitor", empty);
  r.Known(mon, "monitor.", {"slot_retained_bytes", "lag_bytes"});
  p.slot_retained_bytes = r.Bytes(mon, "slot_retained_bytes", "monitor.slot_retained_bytes", p.slot_retained_bytes);
  p.lag_bytes = r.Bytes(mon, "lag_bytes", "monitor.lag_bytes", p.lag_bytes);

  const json& classes = r.Table(root, "classes", empty);
  for (const auto& [name, t] : classes.items()) {
    std::string key = "classes." + name;
    if (!t.is_object()) throw r.Bad(key, "must be a table ([classes." + name + "])");
    r.Known(t, key + ".", {"tables", "keep", "after", "cold_after"});
    DataClass c;
    c.name = name;
    if (t.contains("tables")) {
      if (!t["tables"].is_array()) throw r.Bad(key + ".tables", "must be a list of schema.table names");
      for (const auto& x : t["tables"]) {
        if (!x.is_string()) throw r.Bad(key + ".tables", "must be a list of schema.table names");
        c.tables.push_back(x.get<std::string>());
      }
    }
    if (!t.contains("keep")) throw r.Bad(key + ".keep", "is required (e.g. \"7y\" or \"indefinite\")");
    c.keep = r.Dur(t, "keep", key + ".keep", 0);
    c.after = r.Str(t, "after", key + ".after", "");
    if (!c.after.empty() && c.after != "deletion" && c.after != "creation")
      throw r.Bad(key + ".after", "must be \"creation\" or \"deletion\"");
    c.cold_after = r.Dur(t, "cold_after", key + ".cold_after", 0);
    if (c.cold_after >= kIndefinite || (c.cold_after > 0 && c.cold_after >= c.keep))
      throw r.Bad(key + ".cold_after", "must be shorter than keep (" + FormatDuration(c.keep) +
                                           "): data moves to cold storage before it may be deleted");
    p.classes.push_back(c);
  }
  return p;
}

Policy LoadPolicy(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw Error(ErrorKind::kUsage, "policy file " + path + " does not exist");
  return ParsePolicy(ReadWholeFile(path, "the policy file"), path);
}

double ScheduleInterval(const Policy& p, const std::string& type) {
  auto it = p.schedule.find(type);
  return it == p.schedule.end() ? kIndefinite : MaxCronGap(it->second);
}

std::optional<std::string> CipherPass(const Repo& repo) {
  if (repo.cipher.empty()) return std::nullopt;
  std::string pass;
  if (!repo.cipher_pass_env.empty()) {
    const char* v = std::getenv(repo.cipher_pass_env.c_str());
    if (!v || !*v)
      throw Error(ErrorKind::kUsage, "the repository " + repo.path +
                                         " is encrypted but the environment variable " +
                                         repo.cipher_pass_env + " that holds its passphrase is unset");
    pass = v;
  } else {
    try {
      pass = pg::Capture({"/bin/sh", "-c", repo.cipher_pass_command}, {.as_server_user = false});
    } catch (const Error&) {
      throw Error(ErrorKind::kUsage, "the command that prints the passphrase of " + repo.path +
                                         " (cipher_pass_command) failed");
    }
    while (!pass.empty() && (pass.back() == '\n' || pass.back() == '\r')) pass.pop_back();
    if (pass.empty())
      throw Error(ErrorKind::kUsage, "the command that prints the passphrase of " + repo.path +
                                         " (cipher_pass_command) printed nothing");
  }
  return pass;
}

std::string ServerConninfo(const Policy& p, const std::string& dbname) {
  auto q = [](const std::string& v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  };
  return "host=" + q(p.pg_socket) + " port=" + std::to_string(p.pg_port) + " user=" + q(p.pg_user) +
         " dbname=" + q(dbname.empty() ? p.pg_database : dbname);
}

}  // namespace dbw::backup
