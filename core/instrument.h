// Instruments: what is traded, at which scales, with which fees.
#ifndef TAPEDECK_CORE_INSTRUMENT_H_
#define TAPEDECK_CORE_INSTRUMENT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/types.h"

namespace tapedeck {

enum class InstrumentKind : uint8_t { kSpot, kPerpetual, kDatedFuture };

std::string_view InstrumentKindName(InstrumentKind k);

struct Instrument {
  InstrumentId id;
  std::string symbol;  // unique within a run, e.g. "BTCUSDT" or "BTC-PERP"
  InstrumentKind kind = InstrumentKind::kSpot;
  std::string base;   // e.g. "BTC"
  std::string quote;  // e.g. "USDT"; money is kept in this currency
  int price_scale = 2;  // a Price's raw value counts 10^-price_scale quote units
  int qty_scale = 3;    // a Qty's raw value counts 10^-qty_scale base units or contracts
  Price tick_size{1};   // smallest price increment, in raw price units
  Qty lot_size{1};      // smallest quantity increment, in raw qty units
  // Base units per contract, at 10^-8 (1.0 for spot and linear contracts).
  int64_t contract_multiplier_e8 = 100'000'000;
  Rate maker_fee;  // negative means a rebate
  Rate taker_fee;
  Timestamp expiry;  // dated futures only; 0 otherwise
  // Margin, as rates of the position's notional at mark (core/venue_account.h). 0 = off:
  // no initial-margin check, no maintenance check, no fee on liquidation.
  Rate initial_margin;      // required to open: (position + open orders) x mark x rate
  Rate maintenance_margin;  // equity below position x mark x rate liquidates
  Rate liquidation_fee;     // charged on the notional closed by a liquidation

  // price x qty x multiplier in quote money, rounded half away from zero to 10^-8.
  Money Notional(Price p, Qty q) const;
  // notional x rate, rounded half away from zero to 10^-8.
  static Money Fee(Money notional, Rate rate);
};

// The instruments of one run, indexed by InstrumentId.
class InstrumentTable {
 public:
  // Validates scales, tick and lot sizes and uniqueness of symbols; assigns ids in order.
  absl::Status Add(Instrument instrument);

  const Instrument& at(InstrumentId id) const { return instruments_[id.value]; }
  size_t size() const { return instruments_.size(); }
  const std::vector<Instrument>& all() const { return instruments_; }
  // The id of `symbol`, or NotFound naming the known symbols.
  absl::StatusOr<InstrumentId> Find(std::string_view symbol) const;

 private:
  std::vector<Instrument> instruments_;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_INSTRUMENT_H_
