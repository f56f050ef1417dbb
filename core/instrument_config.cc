#include "core/instrument_config.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/decimal.h"
#include "core/status.h"

namespace tapedeck {

absl::StatusOr<Instrument> ParseInstrument(ConfigObject& o) {
  Instrument in;
  TAPEDECK_RETURN_IF_ERROR(o.String("symbol", &in.symbol, /*required=*/true));
  std::string kind = "spot";
  TAPEDECK_RETURN_IF_ERROR(o.Enum("kind", {"spot", "perpetual", "future"}, &kind));
  in.kind = kind == "spot" ? InstrumentKind::kSpot
                           : (kind == "perpetual" ? InstrumentKind::kPerpetual
                                                  : InstrumentKind::kDatedFuture);
  TAPEDECK_RETURN_IF_ERROR(o.String("base", &in.base));
  TAPEDECK_RETURN_IF_ERROR(o.String("quote", &in.quote));
  TAPEDECK_RETURN_IF_ERROR(o.Int("price_scale", &in.price_scale, /*required=*/true));
  TAPEDECK_RETURN_IF_ERROR(o.Int("qty_scale", &in.qty_scale, /*required=*/true));
  if (in.price_scale < 0 || in.price_scale > 12) return o.Error("price_scale", "must be within 0..12");
  if (in.qty_scale < 0 || in.qty_scale > 12) return o.Error("qty_scale", "must be within 0..12");
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("tick_size", in.price_scale, &in.tick_size.raw));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("lot_size", in.qty_scale, &in.lot_size.raw));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("contract_multiplier", 8, &in.contract_multiplier_e8));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("maker_fee", Rate::kScale, &in.maker_fee.raw));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("taker_fee", Rate::kScale, &in.taker_fee.raw));
  TAPEDECK_RETURN_IF_ERROR(o.TimestampValue("expiry", &in.expiry));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("initial_margin", Rate::kScale, &in.initial_margin.raw));
  TAPEDECK_RETURN_IF_ERROR(
      o.Decimal("maintenance_margin", Rate::kScale, &in.maintenance_margin.raw));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("liquidation_fee", Rate::kScale, &in.liquidation_fee.raw));
  TAPEDECK_RETURN_IF_ERROR(o.Finish());
  if (in.tick_size.raw <= 0) return o.Error("tick_size", "must be > 0");
  if (in.lot_size.raw <= 0) return o.Error("lot_size", "must be > 0");
  if (in.contract_multiplier_e8 <= 0) return o.Error("contract_multiplier", "must be > 0");
  constexpr int64_t kOneRate = 100'000'000;  // 1.0 at Rate::kScale
  const std::pair<const char*, Rate> margin_keys[] = {{"initial_margin", in.initial_margin},
                                                     {"maintenance_margin", in.maintenance_margin},
                                                     {"liquidation_fee", in.liquidation_fee}};
  for (const auto& [key, rate] : margin_keys) {
    if (rate.raw < 0 || rate.raw > kOneRate) return o.Error(key, "must be within 0..1");
  }
  if (in.initial_margin.raw > 0 && in.maintenance_margin > in.initial_margin) {
    return o.Error("maintenance_margin", "must not exceed initial_margin");
  }
  if (in.kind == InstrumentKind::kDatedFuture && in.expiry.ns == 0) {
    return o.Error("expiry", "a future needs an expiry");
  }
  return in;
}

absl::StatusOr<InstrumentTable> ParseInstruments(ConfigObject& parent, std::string_view key) {
  InstrumentTable table;
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> entries, parent.ObjectArray(key));
  for (ConfigObject& o : entries) {
    TAPEDECK_ASSIGN_OR_RETURN(Instrument in, ParseInstrument(o));
    absl::Status st = table.Add(std::move(in));
    if (!st.ok()) return absl::InvalidArgumentError(absl::StrCat(o.path(), ": ", st.message()));
  }
  return table;
}

nlohmann::json InstrumentToJson(const Instrument& in) {
  nlohmann::json j = {{"symbol", in.symbol},
                      {"kind", std::string(InstrumentKindName(in.kind))},
                      {"base", in.base},
                      {"quote", in.quote},
                      {"price_scale", in.price_scale},
                      {"qty_scale", in.qty_scale},
                      {"tick_size", FormatDecimal(in.tick_size.raw, in.price_scale)},
                      {"lot_size", FormatDecimal(in.lot_size.raw, in.qty_scale)},
                      {"contract_multiplier", FormatDecimal(in.contract_multiplier_e8, 8)},
                      {"maker_fee", FormatDecimal(in.maker_fee.raw, Rate::kScale)},
                      {"taker_fee", FormatDecimal(in.taker_fee.raw, Rate::kScale)}};
  if (in.expiry.ns != 0) j["expiry"] = FormatTimestamp(in.expiry);
  // Margin keys only when set, so that configs, tape headers and journals without margin are
  // written as before.
  if (in.initial_margin.raw != 0) {
    j["initial_margin"] = FormatDecimal(in.initial_margin.raw, Rate::kScale);
  }
  if (in.maintenance_margin.raw != 0) {
    j["maintenance_margin"] = FormatDecimal(in.maintenance_margin.raw, Rate::kScale);
  }
  if (in.liquidation_fee.raw != 0) {
    j["liquidation_fee"] = FormatDecimal(in.liquidation_fee.raw, Rate::kScale);
  }
  return j;
}

nlohmann::json InstrumentsToJson(const InstrumentTable& table) {
  nlohmann::json out = nlohmann::json::array();
  for (const Instrument& in : table.all()) out.push_back(InstrumentToJson(in));
  return out;
}

}  // namespace tapedeck
