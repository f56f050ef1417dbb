// Instruments from DBN definitions: the fixtures' MSFT (a stock, in every DBN version), CME
// options in the fragments (skipped), a generated ES future; and ids named by definitions.
#include "replay/dbn_instruments.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replay/dbn_reader.h"
#include "replay/source_factory.h"
#include "tests/replay/dbn_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::Bytes;
using ::tapedeck::testing::DbnFixture;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadAll;
using ::tapedeck::testing::ReadFile;
using ::testing::HasSubstr;

constexpr uint64_t kEsh1Expiry = 1'616'160'600'000'000'000;  // 2021-03-19T13:30Z

TEST(DbnInstrumentsTest, TheFixturesDefinitionsGiveMsftInEveryVersion) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  for (const char* name : {"test_data.definition.dbn", "test_data.definition.v1.dbn.zst",
                           "test_data.definition.v2.dbn.zst", "test_data.definition.v3.dbn.zst"}) {
    SCOPED_TRACE(name);
    SourceSpec spec;
    spec.path = DbnFixture(name);
    absl::StatusOr<std::vector<Instrument>> ins = SourceInstruments(spec);
    ASSERT_THAT(ins, IsOk());
    ASSERT_EQ(ins->size(), 1u);  // two definitions (two days) of one symbol
    const Instrument& msft = (*ins)[0];
    EXPECT_EQ(msft.symbol, "MSFT");
    EXPECT_EQ(msft.kind, InstrumentKind::kSpot);
    EXPECT_EQ(msft.base, "MSFT");
    EXPECT_EQ(msft.quote, "");       // these definitions leave the currency empty
    EXPECT_EQ(msft.price_scale, 4);  // no increment given: a stock's sub-penny scale
    EXPECT_EQ(msft.tick_size.raw, 1);
    EXPECT_EQ(msft.qty_scale, 0);
    EXPECT_EQ(msft.contract_multiplier_e8, 100'000'000);
    InstrumentTable t;
    EXPECT_THAT(t.Add(msft), IsOk());
  }
}

// The fragments hold two CME options; their layouts are v1 (360 bytes), v2 (400) and v3 (520).
TEST(DbnInstrumentsTest, DefinitionsOfEveryVersionParseAndOptionsAreSkipped) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::pair<const char*, int> frags[] = {{"test_data.definition.v1.dbn.frag", 1},
                                               {"test_data.definition.v2.dbn.frag", 2},
                                               {"test_data.definition.v3.dbn.frag", 3}};
  for (const auto& [name, version] : frags) {
    SCOPED_TRACE(name);
    const std::string bytes = ReadFile(DbnFixture(name));
    const size_t size = dbn::RecordSize(dbn::kRTypeInstrumentDef, version);
    ASSERT_EQ(bytes.size(), 2 * size);
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
    const DbnDefinition ge = ParseDefinition(p, version);
    EXPECT_EQ(ge.instrument_id, 31778u);
    EXPECT_EQ(ge.raw_symbol, "GEM3 P9812");
    EXPECT_EQ(ge.instrument_class, 'P');
    EXPECT_EQ(ge.min_price_increment, 500'000'000);
    EXPECT_EQ(ge.expiration, 1'687'168'800'000'000'000u);
    EXPECT_EQ(ge.unit_of_measure_qty, 2'500'000'000'000);
    EXPECT_EQ(ge.currency, "USD");
    EXPECT_EQ(ge.asset, "GE");
    EXPECT_EQ(ge.exchange, "XCME");
    const DbnDefinition es = ParseDefinition(p + size, version);
    EXPECT_EQ(es.instrument_id, 688141u);
    EXPECT_EQ(es.raw_symbol, "ESH1 P2250");
    EXPECT_EQ(es.expiration, kEsh1Expiry);
    EXPECT_EQ(es.unit_of_measure_qty, 50'000'000'000);
    std::vector<std::string> warnings;
    EXPECT_TRUE(InstrumentsFromDefinitions({ge, es}, &warnings).empty());
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_THAT(warnings[0], HasSubstr("'GEM3 P9812' (instrument id 31778, class 'P') skipped: "
                                       "an option"));
  }
}

DbnDefinitionSpec EsDefinition(int64_t tick_e9) {
  DbnDefinitionSpec d;
  d.instrument_id = 5482;
  d.ts_event = 1'609'113'600'000'000'000;
  d.raw_symbol = "ESH1";
  d.instrument_class = 'F';
  d.min_price_increment = tick_e9;
  d.expiration = kEsh1Expiry;
  d.unit_of_measure_qty = 50'000'000'000;  // $50 per index point
  d.currency = "USD";
  d.asset = "ES";
  d.exchange = "XCME";
  return d;
}

std::string WriteDefinitions(const std::string& path, const std::vector<DbnDefinitionSpec>& defs) {
  DbnMetadataSpec meta;
  meta.schema = static_cast<uint16_t>(dbn::Schema::kDefinition);
  meta.symbols.push_back({"ESH1", 5482, 20201228, 20201229});
  auto w = DbnWriter::Create(path, meta, 3);
  EXPECT_THAT(w, IsOk());
  for (const DbnDefinitionSpec& d : defs) EXPECT_THAT((*w)->Append(EncodeDefinitionV3(d)), IsOk());
  EXPECT_THAT((*w)->Finish(), IsOk());
  return path;
}

TEST(DbnInstrumentsTest, AFutureDefinitionGivesTickMultiplierExpiryAndCurrency) {
  const std::string dir = MakeTempDir("dbn_instruments");
  // A later definition with a finer increment: its fields at the finer scale.
  const std::string path = WriteDefinitions(dir + "/defs.dbn.zst",
                                            {EsDefinition(250'000'000), EsDefinition(125'000'000)});
  SourceSpec spec;
  spec.path = path;
  absl::StatusOr<std::vector<Instrument>> ins = SourceInstruments(spec);
  ASSERT_THAT(ins, IsOk());
  ASSERT_EQ(ins->size(), 1u);
  const Instrument& es = (*ins)[0];
  EXPECT_EQ(es.symbol, "ESH1");
  EXPECT_EQ(es.kind, InstrumentKind::kDatedFuture);
  EXPECT_EQ(es.expiry.ns, static_cast<int64_t>(kEsh1Expiry));
  EXPECT_EQ(es.base, "ES");
  EXPECT_EQ(es.quote, "USD");
  EXPECT_EQ(es.price_scale, 3);
  EXPECT_EQ(es.tick_size.raw, 125);
  EXPECT_EQ(es.contract_multiplier_e8, 50 * 100'000'000LL);
  // One definition alone: quarter points at scale 2.
  spec.path = WriteDefinitions(dir + "/one.dbn", {EsDefinition(250'000'000)});
  ins = SourceInstruments(spec);
  ASSERT_THAT(ins, IsOk());
  EXPECT_EQ((*ins)[0].price_scale, 2);
  EXPECT_EQ((*ins)[0].tick_size.raw, 25);
}

// An MBO file requested by continuous symbol (ES.c.0) and its definitions in another file: the
// run needs no instrument config, and the id reads as the contract the definitions name.
TEST(DbnInstrumentsTest, ASourceTakesItsInstrumentsAndIdsFromADefinitionsFile) {
  const std::string dir = MakeTempDir("dbn_instruments");
  const std::string defs = WriteDefinitions(dir + "/defs.dbn", {EsDefinition(250'000'000)});
  DbnMetadataSpec meta;
  meta.stype_in = 3;  // continuous
  meta.symbols.push_back({"ES.c.0", 5482, 20201228, 20201229});
  const std::string mbo = dir + "/mbo.dbn.zst";
  auto w = DbnWriter::Create(mbo, meta, 1);
  ASSERT_THAT(w, IsOk());
  DbnMbo add;
  add.instrument_id = 5482;
  add.ts_event = add.ts_recv = 1'609'160'400'000'000'000;
  add.order_id = 1;
  add.price = 3'720'250'000'000;
  add.size = 4;
  ASSERT_THAT((*w)->Append(EncodeMbo(add)), IsOk());
  ASSERT_THAT((*w)->Finish(), IsOk());

  SourceSpec spec;
  spec.path = mbo;
  spec.options = {{"definitions", defs}};
  absl::StatusOr<std::vector<Instrument>> ins = SourceInstruments(spec);
  ASSERT_THAT(ins, IsOk());
  InstrumentTable table;
  for (const Instrument& in : *ins) ASSERT_THAT(table.Add(in), IsOk());
  ASSERT_EQ(table.size(), 1u);
  absl::StatusOr<std::unique_ptr<EventSource>> source = OpenSource(spec, table);
  ASSERT_THAT(source, IsOk());
  absl::StatusOr<std::vector<Event>> events = ReadAll(**source);
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].l3.price.raw, 372025);
  EXPECT_EQ((*events)[0].l3.qty.raw, 4);
}

}  // namespace
}  // namespace tapedeck::replay
