#include "runner/generate.h"

#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status.h"
#include "replay/scenario.h"
#include "replay/tape.h"
#include "runner/output_writer.h"

namespace tapedeck::runner {
namespace {

absl::StatusOr<uint64_t> WriteScenario(const replay::ScenarioParams& p, uint64_t seed,
                                       const std::string& stem, const GenerateOptions& options) {
  const std::vector<Instrument> defs = replay::ScenarioInstruments(p);
  InstrumentTable table;
  for (const Instrument& in : defs) TAPEDECK_RETURN_IF_ERROR(table.Add(in));
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<replay::ScenarioSource> src,
                            replay::ScenarioSource::Create(p, seed, table));
  const std::string tape = stem + ".tape";
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<replay::TapeWriter> w,
                            replay::TapeWriter::Create(tape, table.all()));
  uint64_t n = 0;
  for (;;) {
    TAPEDECK_ASSIGN_OR_RETURN(std::span<const Event> batch, src->NextBatch());
    if (batch.empty()) break;
    TAPEDECK_RETURN_IF_ERROR(w->Append(batch));
    n += batch.size();
    if (options.progress && (n & 0xFFFFF) < batch.size()) options.progress(tape, n, false);
  }
  TAPEDECK_RETURN_IF_ERROR(w->Finish());
  const nlohmann::json params = {{"seed", seed}, {"params", replay::ScenarioParamsToJson(p)}};
  TAPEDECK_RETURN_IF_ERROR(WriteFileAtomically(stem + ".params.json", params.dump(2) + "\n"));
  if (options.progress) options.progress(tape, n, true);
  return n;
}

}  // namespace

absl::StatusOr<uint64_t> GenerateDeleveraging(const GenerateOptions& options) {
  TAPEDECK_ASSIGN_OR_RETURN(
      const replay::ScenarioParams base,
      replay::LoadScenarioParams(options.params_file, nlohmann::json::object(), "--params"));
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat(options.out_dir, ": cannot create directory: ", ec.message()));
  }
  if (!options.family.has_value()) {
    return WriteScenario(base, options.seed, options.out_dir + "/deleveraging", options);
  }
  uint64_t total = 0;
  for (int i = 0; i < *options.family; ++i) {
    TAPEDECK_ASSIGN_OR_RETURN(
        const uint64_t n,
        WriteScenario(replay::FamilyMember(base, options.seed, i),
                      replay::FamilySeed(options.seed, i),
                      absl::StrFormat("%s/deleveraging-%03d", options.out_dir, i), options));
    total += n;
  }
  return total;
}

}  // namespace tapedeck::runner
