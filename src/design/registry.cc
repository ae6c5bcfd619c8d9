#include "design/registry.h"

#include <array>

namespace dbw::design {

// One factory per file under rules/.
std::unique_ptr<Rule> MakeNoPrimaryKey();
std::unique_ptr<Rule> MakeAllColumnsNullable();
std::unique_ptr<Rule> MakeFkWithoutIndex();
std::unique_ptr<Rule> MakeFkTypeMismatch();
std::unique_ptr<Rule> MakeOverlappingForeignKeys();
std::unique_ptr<Rule> MakeNullableFkMatchSimple();
std::unique_ptr<Rule> MakeConstraintNotValid();
std::unique_ptr<Rule> MakeCheckMissingSign();
std::unique_ptr<Rule> MakeEmailWithoutCheck();
std::unique_ptr<Rule> MakeNullableUnique();
std::unique_ptr<Rule> MakeRangeWithoutExclusion();
std::unique_ptr<Rule> MakeRangeAllowsEmpty();
std::unique_ptr<Rule> MakeValidFromToWithoutCheck();
std::unique_ptr<Rule> MakeInt4KeyOverflowRisk();
std::unique_ptr<Rule> MakeSerialNotIdentity();
std::unique_ptr<Rule> MakeUuidV4RandomKey();
std::unique_ptr<Rule> MakeTimestampWithoutTimeZone();
std::unique_ptr<Rule> MakeTimetz();
std::unique_ptr<Rule> MakeTimestampZeroPrecision();
std::unique_ptr<Rule> MakeCharN();
std::unique_ptr<Rule> MakeVarcharWithoutReason();
std::unique_ptr<Rule> MakeMoneyType();
std::unique_ptr<Rule> MakeJsonNotJsonb();
std::unique_ptr<Rule> MakeFloatForMoney();
std::unique_ptr<Rule> MakeInconsistentColumnType();
std::unique_ptr<Rule> MakeLargeObjectColumn();
std::unique_ptr<Rule> MakeRegTypeColumn();
std::unique_ptr<Rule> MakeDuplicateIndex();
std::unique_ptr<Rule> MakeInvalidIndex();
std::unique_ptr<Rule> MakeUnusedIndex();
std::unique_ptr<Rule> MakeBtreeOnArrayOrJsonb();
std::unique_ptr<Rule> MakeLowCardinalityBooleanIndex();
std::unique_ptr<Rule> MakeJsonbKeyWithoutIndex();
std::unique_ptr<Rule> MakeFtsWithoutGin();
std::unique_ptr<Rule> MakeBrinCandidate();
std::unique_ptr<Rule> MakePartialIndexCandidate();
std::unique_ptr<Rule> MakeLargeTableNotPartitioned();
std::unique_ptr<Rule> MakeLargeTableHashOrList();
std::unique_ptr<Rule> MakePartitionNoDefault();
std::unique_ptr<Rule> MakePartitionNoFuture();
std::unique_ptr<Rule> MakePartitionUniquePerPartition();
std::unique_ptr<Rule> MakeEnumLikelyToGrow();
std::unique_ptr<Rule> MakeEnumType();
std::unique_ptr<Rule> MakeTenantColumnMissing();
std::unique_ptr<Rule> MakeRlsNotEnabled();
std::unique_ptr<Rule> MakeRlsNotForced();
std::unique_ptr<Rule> MakePolicyUsingTrue();
std::unique_ptr<Rule> MakeTenantKeyNotLeading();
std::unique_ptr<Rule> MakeMissingComment();
std::unique_ptr<Rule> MakeNamingConvention();
std::unique_ptr<Rule> MakeMissingRequiredColumn();
std::unique_ptr<Rule> MakeSecurityDefinerSearchPath();
std::unique_ptr<Rule> MakeExtensionInPublic();

const std::vector<std::unique_ptr<Rule>>& AllRules() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> v;
    for (auto make : std::array{
      &MakeNoPrimaryKey,
      &MakeAllColumnsNullable,
      &MakeFkWithoutIndex,
      &MakeFkTypeMismatch,
      &MakeOverlappingForeignKeys,
      &MakeNullableFkMatchSimple,
      &MakeConstraintNotValid,
      &MakeCheckMissingSign,
      &MakeEmailWithoutCheck,
      &MakeNullableUnique,
      &MakeRangeWithoutExclusion,
      &MakeRangeAllowsEmpty,
      &MakeValidFromToWithoutCheck,
      &MakeInt4KeyOverflowRisk,
      &MakeSerialNotIdentity,
      &MakeUuidV4RandomKey,
      &MakeTimestampWithoutTimeZone,
      &MakeTimetz,
      &MakeTimestampZeroPrecision,
      &MakeCharN,
      &MakeVarcharWithoutReason,
      &MakeMoneyType,
      &MakeJsonNotJsonb,
      &MakeFloatForMoney,
      &MakeInconsistentColumnType,
      &MakeLargeObjectColumn,
      &MakeRegTypeColumn,
      &MakeDuplicateIndex,
      &MakeInvalidIndex,
      &MakeUnusedIndex,
      &MakeBtreeOnArrayOrJsonb,
      &MakeLowCardinalityBooleanIndex,
      &MakeJsonbKeyWithoutIndex,
      &MakeFtsWithoutGin,
      &MakeBrinCandidate,
      &MakePartialIndexCandidate,
      &MakeLargeTableNotPartitioned,
      &MakeLargeTableHashOrList,
      &MakePartitionNoDefault,
      &MakePartitionNoFuture,
      &MakePartitionUniquePerPartition,
      &MakeEnumLikelyToGrow,
      &MakeEnumType,
      &MakeTenantColumnMissing,
      &MakeRlsNotEnabled,
      &MakeRlsNotForced,
      &MakePolicyUsingTrue,
      &MakeTenantKeyNotLeading,
      &MakeMissingComment,
      &MakeNamingConvention,
      &MakeMissingRequiredColumn,
      &MakeSecurityDefinerSearchPath,
      &MakeExtensionInPublic,
         })
      v.push_back(make());
    return v;
  }();
  return rules;
}

const Rule* FindRule(std::string_view id) {
  for (const auto& r : AllRules())
    if (r->id() == id) return r.get();
  return nullptr;
}

}  // namespace dbw::design
