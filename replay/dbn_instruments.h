// Instruments from DBN definition records, so that a run needs no hand-written instrument
// config for Databento data (the format table's `instruments` hook).
//
// A definition gives: symbol = raw_symbol; kind from instrument_class (F future: a dated future
// expiring at `expiration`; K stock, X FX spot, Y commodity spot, B bond: spot; options C, P and
// spreads S, T, M are skipped with a warning on stderr); base = asset (the symbol when empty),
// quote = currency; price_scale = the decimals of min_price_increment (at least 4 for stocks,
// which trade in sub-penny increments; 9 when the increment is undefined), tick_size = that
// increment; qty_scale 0 and lot 1 (contracts, shares); multiplier = unit_of_measure_qty (ES:
// 50 per index point), else contract_multiplier, else 1. Fees and margins are not in
// definitions: 0. Several definitions of one symbol (one a day, or updates) give one instrument:
// the latest's fields at the finest price scale among them.
#ifndef TAPEDECK_REPLAY_DBN_INSTRUMENTS_H_
#define TAPEDECK_REPLAY_DBN_INSTRUMENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "replay/dbn_format.h"
#include "replay/source_factory.h"

namespace tapedeck::replay {

// The fields of a definition record (any DBN version) that tapedeck uses.
struct DbnDefinition {
  uint32_t instrument_id = 0;
  std::string raw_symbol;
  char instrument_class = 0;
  int64_t min_price_increment = dbn::kUndefPrice;  // 1e-9
  uint64_t expiration = dbn::kUndefTimestamp;      // ns since the epoch
  int64_t unit_of_measure_qty = dbn::kUndefPrice;  // 1e-9
  int32_t contract_multiplier = INT32_MAX;         // INT32_MAX: undefined
  std::string currency;
  std::string asset;
  std::string exchange;
};

// Reads a definition record of DBN `version` (its length already checked).
DbnDefinition ParseDefinition(const uint8_t* record, int version);

// Every definition record of the DBN file `path` in file order. With `only_definition_files`, a
// file whose schema is neither definition nor mixed is not scanned (it holds none).
absl::StatusOr<std::vector<DbnDefinition>> ReadDbnDefinitions(const std::string& path,
                                                              bool only_definition_files = false);

// The instrument a definition describes, or nullopt with *skipped saying why (an option, a
// spread, a future without expiration, ...).
std::optional<Instrument> InstrumentOf(const DbnDefinition& d, std::string* skipped);

// One instrument per symbol, in order of first appearance (see the header comment); each
// skipped definition adds a line to *warnings.
std::vector<Instrument> InstrumentsFromDefinitions(const std::vector<DbnDefinition>& defs,
                                                   std::vector<std::string>* warnings);

// The format table's hook: the instruments of the definitions in options.definitions and in the
// file itself (a definition or mixed-schema file). Warnings go to stderr.
absl::StatusOr<std::vector<Instrument>> DbnSourceInstruments(const SourceSpec& spec);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_DBN_INSTRUMENTS_H_
