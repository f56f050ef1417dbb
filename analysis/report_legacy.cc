// Pages of summaries written before strategies reported their own sections and charts: what the
// report then drew from basis_reentry's "spot"/"future" parameters and from metrics.spread,
// turned into generic parts so that the page module draws them like any strategy's. The only
// place that reads those keys; it goes once no such summary needs redrawing.
#include <utility>

#include "absl/strings/str_cat.h"
#include "analysis/strategy_parts.h"

namespace tapedeck::analysis {
namespace {

const nlohmann::json& Get(const nlohmann::json& j, std::initializer_list<const char*> path) {
  static const nlohmann::json kNull;
  const nlohmann::json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object()) return kNull;
    auto it = cur->find(k);
    if (it == cur->end()) return kNull;
    cur = &*it;
  }
  return *cur;
}

std::string Str(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

// A basis in bps as those pages showed it: a whole number, "-" when absent.
SectionCell Bps(const nlohmann::json& v) {
  if (v.is_null()) return SectionCell();
  if (v.is_number()) return SectionCell(v.get<int64_t>());
  return SectionCell(Str(v));
}

// The instruments of the basis chart: the strategy's spot and future parameters when both are
// priced, else the two traded instruments, else the only two priced ones.
std::optional<std::pair<std::string, std::string>> BasisPair(
    const RunSummary& s, const std::vector<InstrumentSeries>& series) {
  auto priced = [&](const std::string& symbol) {
    for (const InstrumentSeries& i : series) {
      if (i.symbol == symbol && i.has_price) return true;
    }
    return false;
  };
  const nlohmann::json& strategies = Get(s.config, {"strategies"});
  if (strategies.is_array()) {
    for (const nlohmann::json& one : strategies) {
      if (!one.is_object()) continue;
      const std::string label = Str(one.contains("label") ? one["label"] : Get(one, {"name"}));
      if (label != s.label && Str(Get(one, {"name"})) != s.label) continue;
      const std::string spot = Str(Get(one, {"params", "spot"}));
      const std::string future = Str(Get(one, {"params", "future"}));
      if (!spot.empty() && !future.empty() && priced(spot) && priced(future)) {
        return std::make_pair(spot, future);
      }
    }
  }
  std::vector<std::string> traded, with_price;
  for (const InstrumentSeries& i : series) {
    if (i.traded && i.has_price) traded.push_back(i.symbol);
    if (i.has_price) with_price.push_back(i.symbol);
  }
  if (traded.size() == 2) return std::make_pair(traded[0], traded[1]);
  if (with_price.size() == 2) return std::make_pair(with_price[0], with_price[1]);
  return std::nullopt;
}

StrategySection SpreadSection(const nlohmann::json& spread) {
  StrategySection s;
  s.title = "Spread: basis at entry and exit";
  s.note = absl::StrCat("captured ", Str(Get(spread, {"captured_basis_bps_total"})),
                        " bps (annualised basis, as the strategy reports it) over ",
                        Str(Get(spread, {"closed_rounds"})), " closed of ",
                        Str(Get(spread, {"rounds"})), " rounds");
  s.columns = {"entry",          "entry basis (bps)", "exit", "exit basis (bps)",
               "captured (bps)", "exit reason"};
  const nlohmann::json& entries = Get(spread, {"entries"});
  if (!entries.is_array()) return s;
  for (const nlohmann::json& e : entries) {
    s.rows.push_back({SectionCell(Str(Get(e, {"entry_time"}))), Bps(Get(e, {"entry_basis_bps"})),
                      SectionCell(Str(Get(e, {"exit_time"}))), Bps(Get(e, {"exit_basis_bps"})),
                      Bps(Get(e, {"captured_basis_bps"})),
                      SectionCell(Str(Get(e, {"exit_reason"})))});
  }
  return s;
}

}  // namespace

void AddLegacyStrategyParts(const std::vector<InstrumentSeries>& series, RunSummary* summary) {
  if (summary->has_strategy_parts) return;
  if (const auto pair = BasisPair(*summary, series); pair.has_value()) {
    summary->charts.push_back(
        StrategyChart{StrategyChartKind::kSpreadBps, "basis", {pair->first, pair->second}});
  }
  if (summary->legacy_spread.is_object()) {
    summary->sections.push_back(SpreadSection(summary->legacy_spread));
  }
}

}  // namespace tapedeck::analysis
