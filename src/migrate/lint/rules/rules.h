// The rule objects, one per file in this folder; listed in priority order in registry.cc.
#pragma once

#include "migrate/lint/rule.h"

namespace dbw::migrate::lint {

extern const Rule kSyntaxError, kNonConcurrentIndex, kConcurrentlyInTransaction, kConstraintWithoutNotValid,
    kValidateInSameTransaction, kAddForeignKey, kVolatileDefault, kStoredGeneratedColumn, kIdentityColumnAdd,
    kNotNullWithoutDefault, kSetNotNullWithoutCheck, kAddPkOrUniqueWithoutUsingIndex, kColumnTypeChangeRewrites,
    kRenameColumn, kRenameTable, kDropColumn, kDropTable, kDropSchema, kDropDatabase, kDropNotNull, kTruncateCascade,
    kTransactionNesting, kEnumAddValueInTransaction, kDomainConstraint, kVacuumFullOrCluster, kPreferBigintKey,
    kPreferIdentity, kPreferText, kPreferTimestamptz, kAvoidChar, kPreferJsonb, kAvoidMoney, kIdentifierTooLong,
    kMissingLockTimeout, kNonIdempotent, kUnbatchedUpdateDelete, kTriggerOnLiveTable, kAttachPartitionWithoutCheck,
    kEnumValuePosition, kUnqualifiedName, kUnusedIgnore;

}  // namespace dbw::migrate::lint
