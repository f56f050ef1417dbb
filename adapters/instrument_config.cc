#include "adapters/instrument_config.h"

#include "absl/strings/str_cat.h"
#include "core/decimal.h"
#include "core/status.h"

namespace tapedeck::adapters {

absl::StatusOr<InstrumentTable> ParseInstruments(ConfigObject& obj, std::string_view key) {
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> items, obj.ObjectArray(key, true));
  if (items.empty()) return obj.Error(key, "must list at least one instrument");
  InstrumentTable table;
  for (ConfigObject& o : items) {
    Instrument in;
    TAPEDECK_RETURN_IF_ERROR(o.String("symbol", &in.symbol, true));
    std::string kind = "spot";
    TAPEDECK_RETURN_IF_ERROR(o.Enum("kind", {"spot", "perpetual", "dated_future"}, &kind));
    in.kind = kind == "spot" ? InstrumentKind::kSpot
                             : (kind == "perpetual" ? InstrumentKind::kPerpetual
                                                    : InstrumentKind::kDatedFuture);
    TAPEDECK_RETURN_IF_ERROR(o.String("base", &in.base));
    TAPEDECK_RETURN_IF_ERROR(o.String("quote", &in.quote));
    TAPEDECK_RETURN_IF_ERROR(o.Int("price_scale", &in.price_scale, true));
    TAPEDECK_RETURN_IF_ERROR(o.Int("qty_scale", &in.qty_scale, true));
    if (in.price_scale < 0 || in.price_scale > kMaxDecimalScale) {
      return o.Error("price_scale", "must be in 0..18");
    }
    if (in.qty_scale < 0 || in.qty_scale > kMaxDecimalScale) return o.Error("qty_scale", "must be in 0..18");
    int64_t v = 1;
    TAPEDECK_RETURN_IF_ERROR(o.Decimal("tick_size", in.price_scale, &v));
    in.tick_size = Price(v);
    v = 1;
    TAPEDECK_RETURN_IF_ERROR(o.Decimal("lot_size", in.qty_scale, &v));
    in.lot_size = Qty(v);
    v = in.contract_multiplier_e8;
    TAPEDECK_RETURN_IF_ERROR(o.Decimal("contract_multiplier", 8, &v));
    in.contract_multiplier_e8 = v;
    v = 0;
    TAPEDECK_RETURN_IF_ERROR(o.Decimal("maker_fee", Rate::kScale, &v));
    in.maker_fee = Rate(v);
    v = 0;
    TAPEDECK_RETURN_IF_ERROR(o.Decimal("taker_fee", Rate::kScale, &v));
    in.taker_fee = Rate(v);
    TAPEDECK_RETURN_IF_ERROR(o.TimestampValue("expiry", &in.expiry));
    TAPEDECK_RETURN_IF_ERROR(o.Finish());
    absl::Status s = table.Add(in);
    if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat(o.path(), ": ", s.message()));
  }
  return table;
}

nlohmann::json InstrumentsToJson(const InstrumentTable& table) {
  nlohmann::json out = nlohmann::json::array();
  for (const Instrument& in : table.all()) {
    nlohmann::json j;
    j["symbol"] = in.symbol;
    j["kind"] = in.kind == InstrumentKind::kSpot
                    ? "spot"
                    : (in.kind == InstrumentKind::kPerpetual ? "perpetual" : "dated_future");
    j["base"] = in.base;
    j["quote"] = in.quote;
    j["price_scale"] = in.price_scale;
    j["qty_scale"] = in.qty_scale;
    j["tick_size"] = FormatDecimal(in.tick_size.raw, in.price_scale);
    j["lot_size"] = FormatDecimal(in.lot_size.raw, in.qty_scale);
    j["contract_multiplier"] = FormatDecimal(in.contract_multiplier_e8, 8);
    j["maker_fee"] = FormatDecimal(in.maker_fee.raw, Rate::kScale);
    j["taker_fee"] = FormatDecimal(in.taker_fee.raw, Rate::kScale);
    if (in.expiry.ns != 0) j["expiry"] = in.expiry.ns;
    out.push_back(j);
  }
  return out;
}

}  // namespace tapedeck::adapters
