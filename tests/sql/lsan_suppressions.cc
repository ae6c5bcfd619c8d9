// libpg_query 15-4.0.0 leaks one byte per PL/pgSQL compile error (pg_query_parse_plpgsql returns
// without freeing the stderr buffer of its raw parse). The tests cause such errors on purpose,
// so sanitizer builds (DBWRIGHT_SANITIZE) must not count that leak against us.
extern "C" const char* __lsan_default_suppressions() { return "leak:pg_query_raw_parse\n"; }
