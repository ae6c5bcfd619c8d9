// The one place rules are registered, in priority order.
#include "migrate/lint/rules/rules.h"

namespace dbw::migrate::lint {

const std::vector<const Rule*>& AllRules() {
  static const std::vector<const Rule*> kRules = {
      &kSyntaxError, &kNonConcurrentIndex, &kConcurrentlyInTransaction, &kConstraintWithoutNotValid,
      &kValidateInSameTransaction, &kAddForeignKey, &kVolatileDefault, &kStoredGeneratedColumn, &kIdentityColumnAdd,
      &kNotNullWithoutDefault, &kSetNotNullWithoutCheck, &kAddPkOrUniqueWithoutUsingIndex, &kColumnTypeChangeRewrites,
      &kRenameColumn, &kRenameTable, &kDropColumn, &kDropTable, &kDropSchema, &kDropDatabase, &kDropNotNull,
      &kTruncateCascade, &kTransactionNesting, &kEnumAddValueInTransaction, &kDomainConstraint, &kVacuumFullOrCluster,
      &kPreferBigintKey, &kPreferIdentity, &kPreferText, &kPreferTimestamptz, &kAvoidChar, &kPreferJsonb, &kAvoidMoney,
      &kIdentifierTooLong, &kMissingLockTimeout, &kNonIdempotent, &kUnbatchedUpdateDelete, &kTriggerOnLiveTable,
      &kAttachPartitionWithoutCheck, &kEnumValuePosition, &kUnqualifiedName, &kUnusedIgnore};
  return kRules;
}

const Rule* FindRule(std::string_view id) {
  if (id.rfind("migrate/", 0) == 0) id.remove_prefix(8);
  for (const Rule* r : AllRules())
    if (r->id == id) return r;
  return nullptr;
}

}  // namespace dbw::migrate::lint
