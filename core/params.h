// A strategy's parameters, declared once: the one declaration reads them from a config (unknown
// keys are errors naming their path, as ConfigObject's are) and documents them (name, type,
// default, description) for `tapedeck strategies` and the docs.
//
//   struct SmaParams { InstrumentId instrument; int fast = 10; Qty qty; };
//   const ParamTable<SmaParams> kParams(
//       {Param<SmaParams>::Symbol("instrument", &SmaParams::instrument, "the traded instrument")
//            .Required(),
//        Param<SmaParams>::Int("fast", &SmaParams::fast, "window of the fast average, in prices"),
//        Param<SmaParams>::Quantity("qty", &SmaParams::qty, &SmaParams::instrument,
//                                   "position size when long").DefaultLots(1)},
//       &CheckSma);  // cross-parameter rules, after every key was read
//
// Parameters are read in declaration order (a quantity after the instrument it is counted in).
// Numbers, booleans, durations, money and choices default to the struct's own default member
// values; symbols and quantities, which depend on the run's instruments, take their default as
// config text (.Default("BTC-SPOT"), .Default("10")) or are .Required().
#ifndef TAPEDECK_CORE_PARAMS_H_
#define TAPEDECK_CORE_PARAMS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/instrument.h"
#include "core/status.h"
#include "core/types.h"

namespace tapedeck {

// One parameter as documented.
struct ParamDoc {
  std::string name;
  // "integer", "bool", "duration", "money" (decimal, in the quote currency), "symbol",
  // "quantity" (decimal, in the quantity units of the instrument it is for), "one of a | b".
  std::string type;
  std::string default_value;  // as a config would write it; empty when required or none
  bool required = false;
  std::string description;
};

// "1h", "30s", "250ms": the largest unit that divides `d` exactly (integer ns when none).
std::string FormatDurationText(Duration d);
// A decimal without trailing zeros ("2500", "0.25"), as a person writes it in a config.
std::string FormatDecimalText(int64_t raw, int scale);

template <typename P>
class Param {
 public:
  // An integer (int or int64_t member).
  template <typename M>
  static Param Int(std::string name, M P::*member, std::string description) {
    static_assert(std::is_same_v<M, int> || std::is_same_v<M, int64_t>);
    return Param(std::move(name), "integer", std::to_string(P{}.*member), std::move(description),
                 [member](const Param& self, ConfigObject& c, const InstrumentTable&, P& out) {
                   return c.Int(self.doc_.name, &(out.*member), self.doc_.required);
                 });
  }
  static Param Bool(std::string name, bool P::*member, std::string description) {
    return Param(std::move(name), "bool", P{}.*member ? "true" : "false", std::move(description),
                 [member](const Param& self, ConfigObject& c, const InstrumentTable&, P& out) {
                   return c.Bool(self.doc_.name, &(out.*member), self.doc_.required);
                 });
  }
  static Param DurationOf(std::string name, Duration P::*member, std::string description) {
    return Param(std::move(name), "duration", FormatDurationText(P{}.*member),
                 std::move(description),
                 [member](const Param& self, ConfigObject& c, const InstrumentTable&, P& out) {
                   return c.DurationValue(self.doc_.name, &(out.*member), self.doc_.required);
                 });
  }
  // A decimal amount of quote money (8 decimals).
  static Param MoneyOf(std::string name, Money P::*member, std::string description) {
    return Param(std::move(name), "money", FormatDecimalText((P{}.*member).raw, Money::kScale),
                 std::move(description),
                 [member](const Param& self, ConfigObject& c, const InstrumentTable&, P& out) {
                   int64_t raw = (out.*member).raw;
                   TAPEDECK_RETURN_IF_ERROR(
                       c.Decimal(self.doc_.name, Money::kScale, &raw, self.doc_.required));
                   out.*member = Money(raw);
                   return absl::OkStatus();
                 });
  }
  // An instrument, named by its symbol: give it a .Default(symbol) or make it .Required().
  static Param Symbol(std::string name, InstrumentId P::*member, std::string description) {
    return Param(std::move(name), "symbol", "", std::move(description),
                 [member](const Param& self, ConfigObject& c, const InstrumentTable& t, P& out) {
                   std::string symbol = self.doc_.default_value;
                   TAPEDECK_RETURN_IF_ERROR(c.String(self.doc_.name, &symbol, self.doc_.required));
                   absl::StatusOr<InstrumentId> id = t.Find(symbol);
                   if (!id.ok()) return c.Error(self.doc_.name, std::string(id.status().message()));
                   out.*member = *id;
                   return absl::OkStatus();
                 });
  }
  // An instrument that may be left out (empty: none).
  static Param OptionalSymbol(std::string name, std::optional<InstrumentId> P::*member,
                              std::string description) {
    return Param(std::move(name), "symbol", "", std::move(description),
                 [member](const Param& self, ConfigObject& c, const InstrumentTable& t, P& out) {
                   std::string symbol;
                   TAPEDECK_RETURN_IF_ERROR(c.String(self.doc_.name, &symbol));
                   if (symbol.empty()) return absl::OkStatus();
                   absl::StatusOr<InstrumentId> id = t.Find(symbol);
                   if (!id.ok()) return c.Error(self.doc_.name, std::string(id.status().message()));
                   out.*member = *id;
                   return absl::OkStatus();
                 });
  }
  // A decimal quantity in the units of the instrument in `of` (a parameter declared before this
  // one). Defaults to the struct's value unless given .Default(text) or .DefaultLots(n).
  static Param Quantity(std::string name, Qty P::*member, InstrumentId P::*of,
                        std::string description) {
    return Param(std::move(name), "quantity", FormatDecimal((P{}.*member).raw, 0),
                 std::move(description),
                 [member, of](const Param& self, ConfigObject& c, const InstrumentTable& t,
                              P& out) {
                   return self.ReadQuantity(c, t.at(out.*of), &(out.*member));
                 });
  }
  // One of `choices` (config text, and the value it stands for).
  template <typename E>
  static Param Choice(std::string name, E P::*member,
                      std::vector<std::pair<std::string, E>> choices, std::string description) {
    std::string type = "one of";
    std::string fallback;
    std::vector<std::string> names;
    for (const auto& [text, value] : choices) {
      type += (names.empty() ? " " : " | ") + text;
      names.push_back(text);
      if (value == P{}.*member) fallback = text;
    }
    return Param(std::move(name), std::move(type), fallback, std::move(description),
                 [member, choices, names](const Param& self, ConfigObject& c,
                                          const InstrumentTable&, P& out) {
                   std::string text = self.doc_.default_value;
                   TAPEDECK_RETURN_IF_ERROR(
                       c.Enum(self.doc_.name, names, &text, self.doc_.required));
                   for (const auto& [t, value] : choices) {
                     if (t == text) out.*member = value;
                   }
                   return absl::OkStatus();
                 });
  }

  // The default as config text (symbols; quantities, at their instrument's scale).
  Param Default(std::string text) && {
    doc_.default_value = std::move(text);
    default_text_ = true;
    return std::move(*this);
  }
  // A quantity that defaults to `lots` lots of its instrument.
  Param DefaultLots(int64_t lots) && {
    default_lots_ = lots;
    doc_.default_value = lots == 1 ? "one lot" : std::to_string(lots) + " lots";
    return std::move(*this);
  }
  Param Required() && {
    doc_.required = true;
    doc_.default_value.clear();
    return std::move(*this);
  }

  const ParamDoc& doc() const { return doc_; }
  // Reads the parameter into `out`; an error names its key path.
  absl::Status Read(ConfigObject& c, const InstrumentTable& t, P& out) const {
    return read_(*this, c, t, out);
  }

 private:
  using Reader =
      std::function<absl::Status(const Param&, ConfigObject&, const InstrumentTable&, P&)>;

  Param(std::string name, std::string type, std::string fallback, std::string description,
        Reader read)
      : read_(std::move(read)) {
    doc_.name = std::move(name);
    doc_.type = std::move(type);
    doc_.default_value = std::move(fallback);
    doc_.description = std::move(description);
  }
  absl::Status ReadQuantity(ConfigObject& c, const Instrument& in, Qty* out) const {
    int64_t raw = out->raw;
    if (default_lots_ > 0) {
      raw = default_lots_ * in.lot_size.raw;
    } else if (default_text_ && !c.Has(doc_.name)) {
      absl::StatusOr<int64_t> v = ParseDecimal(doc_.default_value, in.qty_scale);
      if (!v.ok()) return c.Error(doc_.name, "required for this instrument");
      raw = *v;
    }
    TAPEDECK_RETURN_IF_ERROR(c.Decimal(doc_.name, in.qty_scale, &raw, doc_.required));
    *out = Qty(raw);
    return absl::OkStatus();
  }

  ParamDoc doc_;
  Reader read_;
  bool default_text_ = false;
  int64_t default_lots_ = 0;
};

template <typename P>
class ParamTable {
 public:
  // Rules between parameters, checked once every key was read; an error names its key
  // (ConfigObject::Error).
  using Check = absl::Status (*)(const P&, const ConfigObject&, const InstrumentTable&);

  explicit ParamTable(std::vector<Param<P>> params, Check check = nullptr)
      : params_(std::move(params)), check_(check) {}

  // Reads every parameter in declaration order, rejects keys nobody declared
  // (ConfigObject::Finish), then checks.
  absl::StatusOr<P> Parse(ConfigObject& c, const InstrumentTable& t) const {
    P out{};
    for (const Param<P>& p : params_) TAPEDECK_RETURN_IF_ERROR(p.Read(c, t, out));
    TAPEDECK_RETURN_IF_ERROR(c.Finish());
    if (check_ != nullptr) TAPEDECK_RETURN_IF_ERROR(check_(out, c, t));
    return out;
  }

  std::vector<ParamDoc> Docs() const {
    std::vector<ParamDoc> out;
    for (const Param<P>& p : params_) out.push_back(p.doc());
    return out;
  }

 private:
  std::vector<Param<P>> params_;
  Check check_;
};

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_PARAMS_H_
