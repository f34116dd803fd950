// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/holdings.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gralloc::inspect {
namespace {

using ::testing::DoubleEq;
using ::testing::ElementsAre;

constexpr uint64_t kPage = 4096;

TEST(ShareMappedBytesTest, OneMapperGetsItAll) {
  std::vector<uint64_t> rss;
  std::vector<double> pss;
  ShareMappedBytes(8 * kPage, {{{0, 8 * kPage}}}, &rss, &pss);
  EXPECT_THAT(rss, ElementsAre(8 * kPage));
  EXPECT_THAT(pss, ElementsAre(DoubleEq(8 * kPage)));
}

TEST(ShareMappedBytesTest, WholeBufferSharedByThreeIsAThirdEach) {
  std::vector<uint64_t> rss;
  std::vector<double> pss;
  ShareMappedBytes(3 * kPage,
                   {{{0, 3 * kPage}}, {{0, 3 * kPage}}, {{0, 3 * kPage}}}, &rss,
                   &pss);
  EXPECT_THAT(rss, ElementsAre(3 * kPage, 3 * kPage, 3 * kPage));
  EXPECT_THAT(pss,
              ElementsAre(DoubleEq(kPage), DoubleEq(kPage), DoubleEq(kPage)));
}

TEST(ShareMappedBytesTest, PartialOverlapSharesOnlyTheCommonPart) {
  // A maps all 4 pages, B the last 2: pages 0-1 are A's alone, 2-3 shared.
  std::vector<uint64_t> rss;
  std::vector<double> pss;
  ShareMappedBytes(4 * kPage, {{{0, 4 * kPage}}, {{2 * kPage, 4 * kPage}}},
                   &rss, &pss);
  EXPECT_THAT(rss, ElementsAre(4 * kPage, 2 * kPage));
  EXPECT_THAT(pss, ElementsAre(DoubleEq(3 * kPage), DoubleEq(kPage)));
  // Every mapped byte counted once in all.
  EXPECT_DOUBLE_EQ(pss[0] + pss[1], 4 * kPage);
}

TEST(ShareMappedBytesTest, OneProcessMappingTwiceCountsOnce) {
  std::vector<uint64_t> rss;
  std::vector<double> pss;
  ShareMappedBytes(
      2 * kPage,
      {{{0, 2 * kPage}, {0, 2 * kPage}, {kPage, 2 * kPage}}, {{0, kPage}}},
      &rss, &pss);
  EXPECT_THAT(rss, ElementsAre(2 * kPage, kPage));
  EXPECT_THAT(pss, ElementsAre(DoubleEq(1.5 * kPage), DoubleEq(0.5 * kPage)));
}

TEST(ShareMappedBytesTest, RangesPastTheEndAreCut) {
  std::vector<uint64_t> rss;
  std::vector<double> pss;
  ShareMappedBytes(kPage, {{{0, 4 * kPage}}, {{2 * kPage, 3 * kPage}}}, &rss,
                   &pss);
  EXPECT_THAT(rss, ElementsAre(kPage, 0u));
  EXPECT_THAT(pss, ElementsAre(DoubleEq(kPage), DoubleEq(0)));
}

TEST(ShareMappedBytesTest, FdOnlyHoldersHaveNoRss) {
  std::vector<uint64_t> rss;
  std::vector<double> pss;
  ShareMappedBytes(kPage, {{}, {{0, kPage}}}, &rss, &pss);
  EXPECT_THAT(rss, ElementsAre(0u, kPage));
  EXPECT_THAT(pss, ElementsAre(DoubleEq(0), DoubleEq(kPage)));
}

TEST(SummarizeHoldingsTest, TotalsPerProcessBufferAndExporter) {
  Snapshot snapshot;
  const BufferKey frame{true, 10};
  const BufferKey thumb{false, 20};
  snapshot.buffers[frame] =
      BufferInfo{frame,     BufferKind::kDmaBuf, "frame", "system",
                 4 * kPage, SizeSource::kKernel, 0,       3};
  snapshot.buffers[thumb] =
      BufferInfo{thumb, BufferKind::kMemfd,  "thumb", "memfd",
                 kPage, SizeSource::kKernel, 0,       -1};
  ProcessBuffers camera;
  camera.pid = 100;
  camera.fds = {FdRef{5, frame}, FdRef{6, frame}, FdRef{7, thumb}};
  camera.maps = {MapRef{frame, 0x10000, 0x10000 + 4 * kPage, 0}};
  ProcessBuffers codec;
  codec.pid = 200;
  codec.fds = {FdRef{9, frame}};
  codec.maps = {MapRef{frame, 0x20000, 0x20000 + 4 * kPage, 0}};
  ProcessBuffers display;  // holds the frame by fd only
  display.pid = 300;
  display.fds = {FdRef{3, frame}};
  snapshot.processes = {camera, codec, display};

  const HoldingsReport report = SummarizeHoldings(snapshot);
  ASSERT_EQ(report.processes.size(), 3u);
  const ProcessHoldings& c = report.processes[0];
  EXPECT_EQ(c.held_bytes, 5 * kPage);
  EXPECT_EQ(c.rss_bytes, 4 * kPage);
  EXPECT_DOUBLE_EQ(c.pss_bytes, 2 * kPage);
  ASSERT_EQ(c.holdings.size(), 2u);
  EXPECT_EQ(c.holdings[0].key, thumb);  // shmem sorts before dma-buf
  EXPECT_EQ(c.holdings[1].fd_refs, 2);
  EXPECT_THAT(c.holdings[1].fds, ElementsAre(5, 6));
  EXPECT_EQ(report.processes[2].held_bytes, 4 * kPage);
  EXPECT_EQ(report.processes[2].rss_bytes, 0u);

  const BufferTotals& totals = report.buffers.at(frame);
  EXPECT_THAT(totals.holders, ElementsAre(100, 200, 300));
  EXPECT_EQ(totals.fd_refs, 4);
  EXPECT_EQ(totals.map_refs, 2);
  EXPECT_EQ(totals.rss_bytes, 8 * kPage);
  EXPECT_DOUBLE_EQ(totals.pss_bytes, 4 * kPage);

  ASSERT_EQ(report.exporters.size(), 2u);
  EXPECT_EQ(report.exporters[0].exporter, "memfd");
  EXPECT_EQ(report.exporters[0].size_bytes, kPage);
  EXPECT_EQ(report.exporters[1].exporter, "system");
  EXPECT_EQ(report.exporters[1].buffers, 1);
  EXPECT_EQ(report.exporters[1].size_bytes, 4 * kPage);
}

}  // namespace
}  // namespace gralloc::inspect
