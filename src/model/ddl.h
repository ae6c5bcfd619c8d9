// DDL text for model objects: quoting, column and table definitions, comments, policies, views,
// and the facts about which objects are created implicitly with another (partition clones,
// identity sequences). Shared by everything that writes a schema back as SQL (model diff,
// design annotate, design fixes) so they quote and spell objects the same way.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "model/schema.h"

namespace dbw::model {

// An identifier quoted only when PostgreSQL needs it (upper case, odd characters, reserved word).
std::string QuoteIdent(std::string_view name);
// "schema.name" (or "schema.table.column") with each part quoted as needed.
std::string QuoteQualified(std::string_view qualified);
// 'it''s'
std::string QuoteLiteral(std::string_view value);

// `name type [COLLATE c] [GENERATED ... | DEFAULT ...] [NOT NULL]`
std::string ColumnSql(const Column& c);
// COMMENT ON <what> IS '...' (or NULL); no terminating semicolon.
std::string CommentSql(const std::string& what, const std::optional<std::string>& comment);
// CREATE TABLE with its columns and the constraints `inline_constraint` accepts, and PARTITION BY;
// a partition is CREATE TABLE ... PARTITION OF parent <bound>. No terminating semicolon.
std::string CreateTableSql(const Table& t, const std::function<bool(const Constraint&)>& inline_constraint);
// CREATE [OR REPLACE] VIEW / CREATE MATERIALIZED VIEW ... AS <definition>, no semicolon.
std::string ViewSql(const Table& t, bool replace);
// CREATE POLICY ... ON t AS PERMISSIVE|RESTRICTIVE FOR cmd [TO roles] [USING] [WITH CHECK].
std::string PolicySql(const Table& t, const Policy& p);
// CREATE TYPE ... AS ENUM (...).
std::string EnumSql(const EnumType& e);
// CREATE DOMAIN with its default, NOT NULL and named CHECKs.
std::string DomainSql(const Domain& d);
// " AS type INCREMENT BY ... CACHE n [NO] CYCLE", for CREATE/ALTER SEQUENCE.
std::string SequenceOptions(const Sequence& s);

// A constraint a partition inherits from its parent (created with the partition, not its own).
bool InheritedFromParent(const Schema& schema, const Table& t, const Constraint& c);
// An index on a partition that mirrors one of the parent's (created and dropped with it).
bool MirrorsParentIndex(const Schema& schema, const Index& ix);
// A sequence that belongs to an identity column (created with the column).
bool OwnedByIdentity(const Schema& schema, const Sequence& s);

}  // namespace dbw::model
