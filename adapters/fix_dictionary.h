// The FIX data dictionaries embedded in the binary, so that paper trading and fixsim need
// nothing from ../shared at run time: tapedeck's own FIX 4.4 dictionary (adapters/fix/FIX44.xml)
// and the venue profiles' dictionaries (adapters/fix/<name>.xml, built from QuickFIX's official
// ones by scripts/fix_dictionaries.py). Names are the file stems: "FIX44",
// "FIX44-binance_spot", "FIX50SP2-coinbase_exchange", "FIXT11-coinbase_exchange", ...
#ifndef TAPEDECK_ADAPTERS_FIX_DICTIONARY_H_
#define TAPEDECK_ADAPTERS_FIX_DICTIONARY_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tapedeck::adapters {

// The XML text of the embedded dictionary `name`; NotFound naming the embedded ones.
absl::StatusOr<std::string_view> EmbeddedDictionary(std::string_view name);
std::vector<std::string> EmbeddedDictionaryNames();
// A path to a file holding the embedded dictionary `name`: written once per content into the
// temporary directory ($TMPDIR or /tmp) under a name carrying its hash, through a temporary
// name and a rename, so concurrent processes never read a half-written file.
absl::StatusOr<std::string> EmbeddedDictionaryPath(std::string_view name);

// tapedeck's own FIX 4.4 dictionary (generic_fix44).
std::string_view EmbeddedFix44Dictionary();
absl::StatusOr<std::string> EmbeddedFix44DictionaryPath();

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_FIX_DICTIONARY_H_
