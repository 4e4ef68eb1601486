// The identity checks the validator applies on append (identity.cc):
// CheckNationalId and CheckPhone of contactledger/privacy.h, which says
// exactly what each IdentityRules value accepts. Included by lib/core for
// the checks, so that the folder graph shows the dependency; redaction,
// declared in the same public header, is lib/privacy, a layer above.

#ifndef CONTACTLEDGER_LIB_IDENTITY_IDENTITY_H_
#define CONTACTLEDGER_LIB_IDENTITY_IDENTITY_H_

#include "contactledger/privacy.h"

#endif  // CONTACTLEDGER_LIB_IDENTITY_IDENTITY_H_
