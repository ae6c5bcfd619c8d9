#include "cli/app.h"

#include <signal.h>
#include <unistd.h>

#include <iostream>

#include "cli/command.h"
#include "core/status.h"

namespace dbw::cli {
namespace {

// Sandboxes are cleaned up by their watchdog once we are gone, so a signal only has to end us.
void OnSignal(int sig) { _exit(128 + sig); }

}  // namespace

int Main(int argc, char** argv) {
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  signal(SIGHUP, OnSignal);
  signal(SIGPIPE, SIG_IGN);

  CLI::App app{"dbwright: a database engineering team for PostgreSQL in one binary", "dbwright"};
  app.set_version_flag("--version", std::string("dbwright ") + DBWRIGHT_VERSION);
  app.require_subcommand(1);
  Context ctx;
  app.add_option("--pg-bin", ctx.pg_bin, "PostgreSQL server bin directory for sandboxes")
      ->envname("DBWRIGHT_PG_BIN");
  app.add_option("--config", ctx.config, "settings file (default ./dbwright.toml when present)");
  RegisterSandbox(app, ctx);
  RegisterInspect(app, ctx);
  RegisterModel(app, ctx);
  RegisterDesign(app, ctx);
  RegisterBackup(app, ctx);
  RegisterQuery(app, ctx);
  RegisterQueryAdvise(app, ctx);
  RegisterQueryPool(app, ctx);
  RegisterMigrateLint(app, ctx);
  RegisterMigrateRun(app, ctx);
  RegisterDatagen(app, ctx);
  RegisterMigrateBench(app, ctx);
  RegisterMigratePlan(app, ctx);
  RegisterReview(app, ctx);
  RegisterRules(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const Error& e) {
    std::cout.flush();
    std::cerr << "dbwright: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "dbwright: internal error: " << e.what()
              << " (please report this with the command you ran)\n";
    return 2;
  }
  return ctx.exit_code;
}

}  // namespace dbw::cli
