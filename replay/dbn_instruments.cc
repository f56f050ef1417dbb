#include "replay/dbn_instruments.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "core/decimal.h"
#include "core/status.h"
#include "replay/dbn_reader.h"

namespace tapedeck::replay {
namespace {

using dbn::Get;

// Offsets of the definition fields tapedeck reads, by DBN version (the layout grew in v2 and
// v3: longer symbols, wider asset, more leg fields).
struct DefinitionLayout {
  size_t min_price_increment, expiration, unit_of_measure_qty, contract_multiplier, currency,
      raw_symbol, raw_symbol_len, exchange, asset, asset_len, instrument_class;
};
constexpr DefinitionLayout kV1{24, 40, 88, 160, 186, 200, 22, 243, 248, 7, 325};
constexpr DefinitionLayout kV2{24, 40, 88, 164, 186, 200, 71, 292, 297, 7, 374};
constexpr DefinitionLayout kV3{24, 40, 80, 176, 224, 238, 71, 330, 335, 11, 487};

// Decimals of a positive 1e-9 increment: 0.25 -> 2.
int Decimals(int64_t increment_e9) {
  int d = 9;
  while (d > 0 && increment_e9 % 10 == 0) {
    increment_e9 /= 10;
    --d;
  }
  return d;
}

std::string Describe(const DbnDefinition& d) {
  return absl::StrCat("'", d.raw_symbol, "' (instrument id ", d.instrument_id, ", class '",
                      std::string(1, d.instrument_class == 0 ? '?' : d.instrument_class), "')");
}

}  // namespace

DbnDefinition ParseDefinition(const uint8_t* r, int version) {
  const DefinitionLayout& l = version == 1 ? kV1 : version == 2 ? kV2 : kV3;
  DbnDefinition d;
  d.instrument_id = Get<uint32_t>(r, dbn::off::kInstrument);
  d.raw_symbol = dbn::GetText(r, l.raw_symbol, l.raw_symbol_len);
  d.instrument_class = static_cast<char>(r[l.instrument_class]);
  d.min_price_increment = Get<int64_t>(r, l.min_price_increment);
  d.expiration = Get<uint64_t>(r, l.expiration);
  d.unit_of_measure_qty = Get<int64_t>(r, l.unit_of_measure_qty);
  d.contract_multiplier = Get<int32_t>(r, l.contract_multiplier);
  d.currency = dbn::GetText(r, l.currency, 4);
  d.asset = dbn::GetText(r, l.asset, l.asset_len);
  d.exchange = dbn::GetText(r, l.exchange, 5);
  return d;
}

absl::StatusOr<std::vector<DbnDefinition>> ReadDbnDefinitions(const std::string& path,
                                                              bool only_definition_files) {
  dbn::Metadata m;
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<DbnInput> in, OpenDbnStream(path, &m));
  std::vector<DbnDefinition> out;
  if (only_definition_files && m.schema != static_cast<uint16_t>(dbn::Schema::kDefinition) &&
      m.schema != dbn::kMixedSchema) {
    return out;
  }
  const size_t def_len = dbn::RecordSize(dbn::kRTypeInstrumentDef, m.version) + (m.ts_out ? 8 : 0);
  while (in->Ensure(dbn::kHeaderSize)) {
    const size_t len = size_t{in->data()[0]} * 4;
    const uint8_t rtype = in->data()[1];
    if (len < dbn::kHeaderSize || !in->Ensure(len)) {
      TAPEDECK_RETURN_IF_ERROR(in->status());
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": byte ", in->offset(), ": ",
                       len < dbn::kHeaderSize ? "a record length shorter than its header"
                                              : "truncated: the file ends inside a record"));
    }
    if (rtype == dbn::kRTypeInstrumentDef) {
      if (len != def_len) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": byte ", in->offset(), ": a definition record of ", len,
                         " bytes; DBN v", m.version, " has ", def_len));
      }
      out.push_back(ParseDefinition(in->data(), m.version));
    }
    in->Skip(len);
  }
  TAPEDECK_RETURN_IF_ERROR(in->status());
  if (in->available() > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": byte ", in->offset(), ": truncated: the file ends inside a record"));
  }
  return out;
}

std::optional<Instrument> InstrumentOf(const DbnDefinition& d, std::string* skipped) {
  Instrument in;
  in.symbol = d.raw_symbol;
  switch (d.instrument_class) {
    case 'F':
      in.kind = InstrumentKind::kDatedFuture;
      if (d.expiration == dbn::kUndefTimestamp || d.expiration > uint64_t{INT64_MAX}) {
        *skipped = "a future without an expiration";
        return std::nullopt;
      }
      in.expiry = Timestamp(static_cast<int64_t>(d.expiration));
      break;
    case 'K':
    case 'X':
    case 'Y':
    case 'B': in.kind = InstrumentKind::kSpot; break;
    case 'C':
    case 'P': *skipped = "an option: tapedeck has no options"; return std::nullopt;
    case 'S':
    case 'T':
    case 'M': *skipped = "a spread: tapedeck has no spreads"; return std::nullopt;
    default: *skipped = "an instrument class tapedeck does not know"; return std::nullopt;
  }
  if (in.symbol.empty()) {
    *skipped = "no raw_symbol";
    return std::nullopt;
  }
  in.base = d.asset.empty() ? d.raw_symbol : d.asset;
  in.quote = d.currency;
  const bool tick_known = d.min_price_increment > 0 && d.min_price_increment != dbn::kUndefPrice;
  in.price_scale = tick_known ? Decimals(d.min_price_increment) : 9;
  if (d.instrument_class == 'K') in.price_scale = tick_known ? std::max(in.price_scale, 4) : 4;
  in.tick_size = Price(tick_known ? d.min_price_increment / Pow10(9 - in.price_scale) : 1);
  in.qty_scale = 0;
  in.lot_size = Qty(1);
  if (d.unit_of_measure_qty > 0 && d.unit_of_measure_qty != dbn::kUndefPrice) {
    if (d.unit_of_measure_qty % 10 != 0) {
      *skipped = absl::StrCat("unit_of_measure_qty ", FormatDecimal(d.unit_of_measure_qty, 9),
                              " is finer than a multiplier's 1e-8");
      return std::nullopt;
    }
    in.contract_multiplier_e8 = d.unit_of_measure_qty / 10;
  } else if (d.contract_multiplier > 0 && d.contract_multiplier != INT32_MAX) {
    in.contract_multiplier_e8 = int64_t{d.contract_multiplier} * 100'000'000;
  }
  return in;
}

std::vector<Instrument> InstrumentsFromDefinitions(const std::vector<DbnDefinition>& defs,
                                                   std::vector<std::string>* warnings) {
  std::vector<Instrument> out;
  std::vector<std::string> skipped_symbols;
  for (const DbnDefinition& d : defs) {
    std::string why;
    std::optional<Instrument> in = InstrumentOf(d, &why);
    if (!in.has_value()) {
      if (std::find(skipped_symbols.begin(), skipped_symbols.end(), d.raw_symbol) ==
          skipped_symbols.end()) {
        skipped_symbols.push_back(d.raw_symbol);
        warnings->push_back(absl::StrCat("definition of ", Describe(d), " skipped: ", why));
      }
      continue;
    }
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const Instrument& o) { return o.symbol == in->symbol; });
    if (same == out.end()) {
      out.push_back(std::move(*in));
      continue;
    }
    // A later definition of the symbol: its fields, at the finer of the two price scales.
    if (in->price_scale < same->price_scale) {
      in->tick_size = Price(in->tick_size.raw * Pow10(same->price_scale - in->price_scale));
      in->price_scale = same->price_scale;
    }
    *same = std::move(*in);
  }
  return out;
}

absl::StatusOr<std::vector<Instrument>> DbnSourceInstruments(const SourceSpec& spec) {
  TAPEDECK_ASSIGN_OR_RETURN(DbnOptions options, ParseDbnOptions(spec));
  std::vector<DbnDefinition> defs;
  if (!options.definitions.empty()) {
    TAPEDECK_ASSIGN_OR_RETURN(defs, ReadDbnDefinitions(options.definitions));
  }
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<DbnDefinition> own,
                            ReadDbnDefinitions(spec.path, /*only_definition_files=*/true));
  defs.insert(defs.end(), own.begin(), own.end());
  std::vector<std::string> warnings;
  std::vector<Instrument> out = InstrumentsFromDefinitions(defs, &warnings);
  for (const std::string& w : warnings) {
    std::fprintf(stderr, "tapedeck: warning: %s: %s\n", spec.path.c_str(), w.c_str());
  }
  return out;
}

}  // namespace tapedeck::replay
