// tapedeck's own FIX 4.4 data dictionary (adapters/fix/FIX44.xml), embedded in the binary so that
// paper trading and fixsim need nothing from ../shared at run time.
#ifndef TAPEDECK_ADAPTERS_FIX_DICTIONARY_H_
#define TAPEDECK_ADAPTERS_FIX_DICTIONARY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tapedeck::adapters {

// The XML text of the embedded dictionary.
std::string_view EmbeddedFix44Dictionary();

// A path to a file holding the embedded dictionary: written once per content into the temporary
// directory ($TMPDIR or /tmp) under a name carrying its hash, through a temporary name and a
// rename, so concurrent processes never read a half-written file.
absl::StatusOr<std::string> EmbeddedFix44DictionaryPath();

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_FIX_DICTIONARY_H_
