#include "strategies/registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tapedeck::strategies {

// Each strategy's factory, defined beside it.
absl::StatusOr<std::unique_ptr<Strategy>> CreateBasisReentry(ConfigObject&, const InstrumentTable&);
absl::StatusOr<std::unique_ptr<Strategy>> CreateDipBuyer(ConfigObject&, const InstrumentTable&);
absl::StatusOr<std::unique_ptr<Strategy>> CreateSmaCrossover(ConfigObject&, const InstrumentTable&);
absl::StatusOr<std::unique_ptr<Strategy>> CreateTouchQuoter(ConfigObject&, const InstrumentTable&);

const std::vector<StrategyInfo>& Registry() {
  static const std::vector<StrategyInfo> kRegistry = {
      {"basis_reentry",
       "long spot / short future while the annualised basis is rich, re-entered after a forced "
       "unwind; legs hedged on a timeout",
       &CreateBasisReentry},
      {"dip_buyer", "buys the exhaustion of a deleveraging cascade in tranches, sells the rebound",
       &CreateDipBuyer},
      {"sma_crossover", "long when the fast SMA of closes is above the slow one, flat otherwise",
       &CreateSmaCrossover},
      {"touch_quoter",
       "passive post-only quotes at the best bid and ask, following the touch (a venue-model test)",
       &CreateTouchQuoter},
  };
  return kRegistry;
}

absl::StatusOr<std::unique_ptr<Strategy>> CreateStrategy(std::string_view name,
                                                         ConfigObject& params,
                                                         const InstrumentTable& instruments) {
  for (const StrategyInfo& s : Registry()) {
    if (s.name == name) return s.create(params, instruments);
  }
  std::vector<std::string> names;
  for (const StrategyInfo& s : Registry()) names.emplace_back(s.name);
  return absl::InvalidArgumentError(absl::StrCat("unknown strategy '", std::string(name),
                                                 "' (known: ", absl::StrJoin(names, ", "), ")"));
}

}  // namespace tapedeck::strategies
