// Copyright 2026 The gralloc for Linux Authors.
//
// get/setMetadata, listSupportedMetadataTypes and the dumps, through the C
// ABI, decoded with hal/metadata/metadata_codec.h.

#include <drm_fourcc.h>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/metadata/metadata_codec.h"
#include "hal/metadata/metadata_types.h"
#include "hal/metadata/shared_metadata.h"
#include "hal/types/buffer_usage.h"
#include "mapper/testing/buffer_factory.h"
#include "mapper/testing/mapper_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::GetStandard;
using ::gralloc::testing::MakeTestBuffer;
using ::gralloc::testing::StandardType;
using ::gralloc::testing::TestBuffer;
using ::gralloc::testing::TestBufferSpec;
using T = StandardMetadataType;

int64_t V(T type) { return static_cast<int64_t>(type); }

class MetadataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(AIMapper_loadIMapper(&mapper_), AIMAPPER_ERROR_NONE);
    TestBufferSpec spec;
    spec.name = "metadata-test";
    Import(spec);
  }
  void TearDown() override {
    for (buffer_handle_t handle : imported_) {
      EXPECT_EQ(mapper_->v5.freeBuffer(handle), AIMAPPER_ERROR_NONE);
    }
  }
  buffer_handle_t Import(const TestBufferSpec& spec) {
    absl::StatusOr<TestBuffer> buffer = MakeTestBuffer(spec);
    EXPECT_TRUE(buffer.ok()) << buffer.status();
    if (!buffer.ok()) return nullptr;
    buffer_handle_t handle = nullptr;
    EXPECT_EQ(mapper_->v5.importBuffer(buffer->handle.get(), &handle),
              AIMAPPER_ERROR_NONE);
    imported_.push_back(handle);
    buffers_.push_back(*std::move(buffer));
    return handle;
  }
  std::vector<uint8_t> Get(T type, buffer_handle_t handle = nullptr) {
    int32_t error = 0;
    std::vector<uint8_t> bytes =
        GetStandard(mapper_, handle ? handle : imported_[0], V(type), &error);
    EXPECT_EQ(error, 0) << "type " << V(type);
    return bytes;
  }
  AIMapper_Error Set(T type, const std::vector<uint8_t>& bytes,
                     buffer_handle_t handle = nullptr) {
    return mapper_->v5.setStandardMetadata(handle ? handle : imported_[0],
                                           V(type), bytes.data(), bytes.size());
  }
  template <typename Fn, typename V>
  static std::vector<uint8_t> Encode(Fn encode, const V& value) {
    std::vector<uint8_t> bytes(encode(value, nullptr, 0));
    encode(value, bytes.data(), bytes.size());
    return bytes;
  }

  AIMapper* mapper_ = nullptr;
  std::vector<TestBuffer> buffers_;
  std::vector<buffer_handle_t> imported_;
};

TEST_F(MetadataTest, ConstantsComeFromTheHandle) {
  const HandleInfo& info = buffers_[0].info;
  auto bytes = Get(T::BUFFER_ID);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::BUFFER_ID>(bytes.data(),
                                                             bytes.size()),
            info.buffer_id);
  bytes = Get(T::NAME);
  EXPECT_EQ(
      *DecodeMetadata<StandardMetadataType::NAME>(bytes.data(), bytes.size()),
      "metadata-test");
  bytes = Get(T::WIDTH);
  EXPECT_EQ(
      *DecodeMetadata<StandardMetadataType::WIDTH>(bytes.data(), bytes.size()),
      64u);
  bytes = Get(T::HEIGHT);
  EXPECT_EQ(
      *DecodeMetadata<StandardMetadataType::HEIGHT>(bytes.data(), bytes.size()),
      32u);
  bytes = Get(T::LAYER_COUNT);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::LAYER_COUNT>(bytes.data(),
                                                               bytes.size()),
            1u);
  bytes = Get(T::PIXEL_FORMAT_REQUESTED);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::PIXEL_FORMAT_REQUESTED>(
                bytes.data(), bytes.size()),
            PixelFormat::RGBA_8888);
  bytes = Get(T::PIXEL_FORMAT_FOURCC);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::PIXEL_FORMAT_FOURCC>(
                bytes.data(), bytes.size()),
            static_cast<uint32_t>(DRM_FORMAT_ABGR8888));
  bytes = Get(T::PIXEL_FORMAT_MODIFIER);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::PIXEL_FORMAT_MODIFIER>(
                bytes.data(), bytes.size()),
            0u);
  bytes = Get(T::USAGE);
  EXPECT_EQ(
      *DecodeMetadata<StandardMetadataType::USAGE>(bytes.data(), bytes.size()),
      info.usage);
  bytes = Get(T::ALLOCATION_SIZE);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::ALLOCATION_SIZE>(
                bytes.data(), bytes.size()),
            info.allocation_size);
  bytes = Get(T::PROTECTED_CONTENT);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::PROTECTED_CONTENT>(
                bytes.data(), bytes.size()),
            0u);
  bytes = Get(T::COMPRESSION);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::COMPRESSION>(bytes.data(),
                                                               bytes.size()),
            StandardCompression(Compression::NONE));
  bytes = Get(T::INTERLACED);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::INTERLACED>(bytes.data(),
                                                              bytes.size()),
            StandardInterlaced(Interlaced::NONE));
  bytes = Get(T::CHROMA_SITING);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::CHROMA_SITING>(bytes.data(),
                                                                 bytes.size()),
            StandardChromaSiting(ChromaSiting::NONE));
  bytes = Get(T::STRIDE);
  EXPECT_EQ(
      *DecodeMetadata<StandardMetadataType::STRIDE>(bytes.data(), bytes.size()),
      static_cast<uint32_t>(info.layout.stride_px));
}

TEST_F(MetadataTest, DefaultsAreUnknownInvalidEmptyAndFullCrop) {
  auto bytes = Get(T::DATASPACE);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::DATASPACE>(bytes.data(),
                                                             bytes.size()),
            Dataspace::UNKNOWN);
  bytes = Get(T::BLEND_MODE);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::BLEND_MODE>(bytes.data(),
                                                              bytes.size()),
            BlendMode::INVALID);
  EXPECT_TRUE(Get(T::SMPTE2086).empty());
  EXPECT_TRUE(Get(T::CTA861_3).empty());
  EXPECT_TRUE(Get(T::SMPTE2094_40).empty());
  EXPECT_TRUE(Get(T::SMPTE2094_10).empty());
  bytes = Get(T::CROP);
  ASSERT_OK_AND_ASSIGN(
      std::vector<Rect> crop,
      DecodeMetadata<StandardMetadataType::CROP>(bytes.data(), bytes.size()));
  EXPECT_EQ(crop, (std::vector<Rect>{Rect{0, 0, 64, 32}}));
}

TEST_F(MetadataTest, PlaneLayoutsDescribeTheHandle) {
  auto bytes = Get(T::PLANE_LAYOUTS);
  ASSERT_OK_AND_ASSIGN(std::vector<PlaneLayout> planes,
                       DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(
                           bytes.data(), bytes.size()));
  ASSERT_EQ(planes.size(), 1u);
  const HandleInfo& info = buffers_[0].info;
  EXPECT_EQ(planes[0].offset_in_bytes, 0);
  EXPECT_EQ(planes[0].stride_in_bytes, info.layout.planes[0].stride_bytes);
  EXPECT_EQ(planes[0].sample_increment_in_bits, 32);
  EXPECT_EQ(planes[0].width_in_samples, 64);
  EXPECT_EQ(planes[0].height_in_samples, 32);
  EXPECT_EQ(planes[0].components.size(), 4u);
}

TEST_F(MetadataTest, FlexibleYuvPlaneLayoutsFollowTheConcreteLayout) {
  TestBufferSpec spec;
  spec.format = PixelFormat::YCBCR_420_888;
  spec.layout_format = PixelFormat::YCRCB_420_SP;  // NV21
  buffer_handle_t nv21 = Import(spec);
  auto bytes = Get(T::PLANE_LAYOUTS, nv21);
  ASSERT_OK_AND_ASSIGN(std::vector<PlaneLayout> planes,
                       DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(
                           bytes.data(), bytes.size()));
  ASSERT_EQ(planes.size(), 2u);
  EXPECT_EQ(planes[1].horizontal_subsampling, 2);
  EXPECT_EQ(planes[1].vertical_subsampling, 2);
  EXPECT_EQ(planes[1].width_in_samples, 32);
  EXPECT_EQ(planes[1].height_in_samples, 16);
  ASSERT_EQ(planes[1].components.size(), 2u);
  EXPECT_EQ(planes[1].components[0].type.value,
            static_cast<int64_t>(PlaneLayoutComponentType::CR));
  bytes = Get(T::CHROMA_SITING, nv21);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::CHROMA_SITING>(bytes.data(),
                                                                 bytes.size()),
            StandardChromaSiting(ChromaSiting::UNKNOWN));
  bytes = Get(T::PIXEL_FORMAT_REQUESTED, nv21);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::PIXEL_FORMAT_REQUESTED>(
                bytes.data(), bytes.size()),
            PixelFormat::YCBCR_420_888);

  // The allocator may name NV12 (no Android format) by its fourcc only.
  spec.layout_format = PixelFormat::YCBCR_420_888;
  spec.layout_fourcc = DRM_FORMAT_NV12;
  buffer_handle_t nv12 = Import(spec);
  bytes = Get(T::PLANE_LAYOUTS, nv12);
  ASSERT_OK_AND_ASSIGN(planes,
                       DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(
                           bytes.data(), bytes.size()));
  ASSERT_EQ(planes.size(), 2u);
  ASSERT_EQ(planes[1].components.size(), 2u);
  EXPECT_EQ(planes[1].components[0].type.value,
            static_cast<int64_t>(PlaneLayoutComponentType::CB));
  EXPECT_EQ(planes[1].components[1].offset_in_bits, 8);
}

// Android's VTS: a RAW10 or RAW12 plane has one RAW component at offset 0
// whose size cannot be given (-1), and no constant sample increment.
TEST_F(MetadataTest, PackedRawPlanesDescribeTheirComponentAsVtsExpects) {
  for (PixelFormat format : {PixelFormat::RAW10, PixelFormat::RAW12}) {
    TestBufferSpec spec;
    spec.format = format;
    spec.width = 64;
    spec.height = 8;
    buffer_handle_t raw = Import(spec);
    auto bytes = Get(T::PLANE_LAYOUTS, raw);
    ASSERT_OK_AND_ASSIGN(std::vector<PlaneLayout> planes,
                         DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(
                             bytes.data(), bytes.size()));
    ASSERT_EQ(planes.size(), 1u);
    ASSERT_EQ(planes[0].components.size(), 1u);
    EXPECT_EQ(planes[0].components[0].type.value,
              static_cast<int64_t>(PlaneLayoutComponentType::RAW));
    EXPECT_EQ(planes[0].components[0].offset_in_bits, 0);
    EXPECT_EQ(planes[0].components[0].size_in_bits, -1);
    EXPECT_EQ(planes[0].sample_increment_in_bits, 0);
    EXPECT_EQ(planes[0].stride_in_bytes,
              format == PixelFormat::RAW10 ? 80 : 96);
  }
}

TEST_F(MetadataTest, GetterReturnsTheSizeNeededWhenTooSmall) {
  const int32_t size =
      mapper_->v5.getStandardMetadata(imported_[0], V(T::NAME), nullptr, 0);
  ASSERT_GT(size, 0);
  std::vector<uint8_t> small(static_cast<size_t>(size) - 1, 0xee);
  EXPECT_EQ(mapper_->v5.getStandardMetadata(imported_[0], V(T::NAME),
                                            small.data(), small.size()),
            size);
  for (uint8_t byte : small) EXPECT_EQ(byte, 0xee);  // nothing written
  std::vector<uint8_t> exact(static_cast<size_t>(size));
  EXPECT_EQ(mapper_->v5.getMetadata(imported_[0], StandardType(V(T::NAME)),
                                    exact.data(), exact.size()),
            size);
}

TEST_F(MetadataTest, SetDataspaceAndBlendModeAreSeenByEveryImport) {
  // A second import of the same buffer.
  buffer_handle_t second = nullptr;
  ASSERT_EQ(mapper_->v5.importBuffer(buffers_[0].handle.get(), &second),
            AIMAPPER_ERROR_NONE);
  imported_.push_back(second);
  ASSERT_EQ(Set(T::DATASPACE,
                Encode(EncodeMetadata<T::DATASPACE>, Dataspace::BT2020_PQ)),
            AIMAPPER_ERROR_NONE);
  ASSERT_EQ(
      mapper_->v5.setMetadata(
          imported_[0], StandardType(V(T::BLEND_MODE)),
          Encode(EncodeMetadata<T::BLEND_MODE>, BlendMode::COVERAGE).data(),
          Encode(EncodeMetadata<T::BLEND_MODE>, BlendMode::COVERAGE).size()),
      AIMAPPER_ERROR_NONE);
  auto bytes = Get(T::DATASPACE, second);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::DATASPACE>(bytes.data(),
                                                             bytes.size()),
            Dataspace::BT2020_PQ);
  bytes = Get(T::BLEND_MODE, second);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::BLEND_MODE>(bytes.data(),
                                                              bytes.size()),
            BlendMode::COVERAGE);
}

TEST_F(MetadataTest, HdrTypesSetAndClearWithAnEmptyPayload) {
  Smpte2086 smpte2086;
  smpte2086.primary_red = {0.708f, 0.292f};
  smpte2086.max_luminance = 1000;
  const std::optional<Smpte2086> s2086 = smpte2086;
  ASSERT_EQ(Set(T::SMPTE2086, Encode(EncodeMetadata<T::SMPTE2086>, s2086)),
            AIMAPPER_ERROR_NONE);
  const std::optional<Cta861_3> cta = Cta861_3{1000, 300};
  ASSERT_EQ(Set(T::CTA861_3, Encode(EncodeMetadata<T::CTA861_3>, cta)),
            AIMAPPER_ERROR_NONE);
  const std::optional<std::vector<uint8_t>> dynamic =
      std::vector<uint8_t>{1, 2, 3};
  ASSERT_EQ(
      Set(T::SMPTE2094_40, Encode(EncodeMetadata<T::SMPTE2094_40>, dynamic)),
      AIMAPPER_ERROR_NONE);
  ASSERT_EQ(
      Set(T::SMPTE2094_10, Encode(EncodeMetadata<T::SMPTE2094_10>, dynamic)),
      AIMAPPER_ERROR_NONE);

  auto bytes = Get(T::SMPTE2086);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::SMPTE2086>(bytes.data(),
                                                             bytes.size()),
            s2086);
  bytes = Get(T::CTA861_3);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::CTA861_3>(bytes.data(),
                                                            bytes.size()),
            cta);
  bytes = Get(T::SMPTE2094_40);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::SMPTE2094_40>(bytes.data(),
                                                                bytes.size()),
            dynamic);
  bytes = Get(T::SMPTE2094_10);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::SMPTE2094_10>(bytes.data(),
                                                                bytes.size()),
            dynamic);

  for (T type : {T::SMPTE2086, T::CTA861_3, T::SMPTE2094_40, T::SMPTE2094_10}) {
    EXPECT_EQ(
        mapper_->v5.setStandardMetadata(imported_[0], V(type), nullptr, 0),
        AIMAPPER_ERROR_NONE);
    EXPECT_TRUE(Get(type).empty()) << V(type);
  }
}

TEST_F(MetadataTest, Smpte2094OverTheCapIsUnsupported) {
  const std::optional<std::vector<uint8_t>> huge =
      std::vector<uint8_t>(kSmpte2094MaxBytes + 1, 9);
  EXPECT_EQ(Set(T::SMPTE2094_40, Encode(EncodeMetadata<T::SMPTE2094_40>, huge)),
            AIMAPPER_ERROR_UNSUPPORTED);
}

TEST_F(MetadataTest, SetCropInsideTheBuffer) {
  EXPECT_EQ(Set(T::CROP, Encode(EncodeMetadata<T::CROP>,
                                std::vector<Rect>{{1, 2, 30, 20}})),
            AIMAPPER_ERROR_NONE);
  auto bytes = Get(T::CROP);
  EXPECT_EQ(
      *DecodeMetadata<StandardMetadataType::CROP>(bytes.data(), bytes.size()),
      (std::vector<Rect>{Rect{1, 2, 30, 20}}));
  EXPECT_EQ(Set(T::CROP, Encode(EncodeMetadata<T::CROP>,
                                std::vector<Rect>{{0, 0, 65, 1}})),
            AIMAPPER_ERROR_BAD_VALUE);
}

TEST_F(MetadataTest, SettingAConstantTypeIsBadValue) {
  const std::vector<uint8_t> width =
      Encode(EncodeMetadata<T::WIDTH>, uint64_t{10});
  EXPECT_EQ(Set(T::WIDTH, width), AIMAPPER_ERROR_BAD_VALUE);
  for (T type : {T::BUFFER_ID, T::NAME, T::HEIGHT, T::LAYER_COUNT,
                 T::PIXEL_FORMAT_REQUESTED, T::USAGE}) {
    // Get the current value and try to set it back.
    const std::vector<uint8_t> bytes = Get(type);
    EXPECT_EQ(Set(type, bytes), AIMAPPER_ERROR_BAD_VALUE) << V(type);
  }
}

TEST_F(MetadataTest, SettingADerivedTypeIsUnsupported) {
  for (T type :
       {T::PIXEL_FORMAT_FOURCC, T::PIXEL_FORMAT_MODIFIER, T::ALLOCATION_SIZE,
        T::PROTECTED_CONTENT, T::COMPRESSION, T::INTERLACED, T::CHROMA_SITING,
        T::PLANE_LAYOUTS, T::STRIDE}) {
    const std::vector<uint8_t> bytes = Get(type);
    EXPECT_EQ(Set(type, bytes), AIMAPPER_ERROR_UNSUPPORTED) << V(type);
  }
}

TEST_F(MetadataTest, MalformedPayloadIsUnsupported) {
  std::vector<uint8_t> bytes =
      Encode(EncodeMetadata<T::DATASPACE>, Dataspace::SRGB);
  bytes.pop_back();
  EXPECT_EQ(Set(T::DATASPACE, bytes), AIMAPPER_ERROR_UNSUPPORTED);
  // The right bytes under the wrong type.
  EXPECT_EQ(
      Set(T::BLEND_MODE, Encode(EncodeMetadata<T::DATASPACE>, Dataspace::SRGB)),
      AIMAPPER_ERROR_UNSUPPORTED);
  EXPECT_EQ(Set(T::DATASPACE, {}), AIMAPPER_ERROR_UNSUPPORTED);
}

TEST_F(MetadataTest, UnknownTypesAreUnsupported) {
  for (int64_t type :
       {int64_t{0}, V(T::STRIDE) + 1, int64_t{-1}, int64_t{1} << 40}) {
    EXPECT_EQ(mapper_->v5.getStandardMetadata(imported_[0], type, nullptr, 0),
              -AIMAPPER_ERROR_UNSUPPORTED)
        << type;
    EXPECT_EQ(mapper_->v5.setStandardMetadata(imported_[0], type, nullptr, 0),
              AIMAPPER_ERROR_UNSUPPORTED)
        << type;
  }
  const AIMapper_MetadataType vendor{"vendor.example.Thing", 1};
  EXPECT_EQ(mapper_->v5.getMetadata(imported_[0], vendor, nullptr, 0),
            -AIMAPPER_ERROR_UNSUPPORTED);
  EXPECT_EQ(mapper_->v5.setMetadata(imported_[0], vendor, nullptr, 0),
            AIMAPPER_ERROR_UNSUPPORTED);
  const AIMapper_MetadataType unnamed{nullptr, 1};
  EXPECT_EQ(mapper_->v5.getMetadata(imported_[0], unnamed, nullptr, 0),
            -AIMAPPER_ERROR_UNSUPPORTED);
}

TEST_F(MetadataTest, NullBufferIsBadBufferBeforeAnyTypeCheck) {
  for (int64_t type : {int64_t{0}, V(T::WIDTH), V(T::STRIDE) + 1}) {
    EXPECT_EQ(mapper_->v5.getStandardMetadata(nullptr, type, nullptr, 0),
              -AIMAPPER_ERROR_BAD_BUFFER);
    EXPECT_EQ(mapper_->v5.setStandardMetadata(nullptr, type, nullptr, 0),
              AIMAPPER_ERROR_BAD_BUFFER);
    EXPECT_EQ(mapper_->v5.getMetadata(nullptr, StandardType(type), nullptr, 0),
              -AIMAPPER_ERROR_BAD_BUFFER);
  }
  const AIMapper_MetadataType vendor{"vendor.example.Thing", 1};
  EXPECT_EQ(mapper_->v5.getMetadata(nullptr, vendor, nullptr, 0),
            -AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(mapper_->v5.setMetadata(nullptr, vendor, nullptr, 0),
            AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(MetadataTest, ListSupportedTypesIsStaticAndComplete) {
  const AIMapper_MetadataTypeDescription* list = nullptr;
  size_t count = 0;
  ASSERT_EQ(mapper_->v5.listSupportedMetadataTypes(&list, &count),
            AIMAPPER_ERROR_NONE);
  const AIMapper_MetadataTypeDescription* again = nullptr;
  size_t again_count = 0;
  ASSERT_EQ(mapper_->v5.listSupportedMetadataTypes(&again, &again_count),
            AIMAPPER_ERROR_NONE);
  EXPECT_EQ(list, again);
  ASSERT_EQ(count, 23u);
  std::map<int64_t, std::pair<bool, bool>> found;
  for (size_t i = 0; i < count; ++i) {
    EXPECT_STREQ(list[i].metadataType.name, kStandardMetadataTypeName);
    found[list[i].metadataType.value] = {list[i].isGettable,
                                         list[i].isSettable};
  }
  for (int64_t type = V(T::BUFFER_ID); type <= V(T::STRIDE); ++type) {
    ASSERT_EQ(found.count(type), 1u) << type;
    EXPECT_TRUE(found[type].first);
  }
  EXPECT_TRUE(found[V(T::DATASPACE)].second);
  EXPECT_TRUE(found[V(T::SMPTE2094_10)].second);
  EXPECT_FALSE(found[V(T::WIDTH)].second);
}

struct DumpLog {
  int begins = 0;
  std::map<int, std::vector<int64_t>> types;  // per begin
};

TEST_F(MetadataTest, DumpBufferReportsEveryGettableType) {
  DumpLog log;
  ASSERT_EQ(
      mapper_->v5.dumpBuffer(
          imported_[0],
          [](void* context, AIMapper_MetadataType type, const void* value,
             size_t size) {
            static_cast<DumpLog*>(context)->types[0].push_back(type.value);
            EXPECT_STREQ(type.name, kStandardMetadataTypeName);
            if (size > 0) {
              EXPECT_NE(value, nullptr);
            }
          },
          &log),
      AIMAPPER_ERROR_NONE);
  EXPECT_EQ(log.types[0].size(), 23u);
  EXPECT_EQ(
      mapper_->v5.dumpBuffer(
          nullptr, [](void*, AIMapper_MetadataType, const void*, size_t) {},
          nullptr),
      AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(MetadataTest, DumpAllBuffersReportsEachBufferOnce) {
  // Two imports of one buffer and one of another.
  buffer_handle_t second = nullptr;
  ASSERT_EQ(mapper_->v5.importBuffer(buffers_[0].handle.get(), &second),
            AIMAPPER_ERROR_NONE);
  imported_.push_back(second);
  Import(TestBufferSpec{});
  DumpLog log;
  ASSERT_EQ(
      mapper_->v5.dumpAllBuffers(
          [](void* context) { ++static_cast<DumpLog*>(context)->begins; },
          [](void* context, AIMapper_MetadataType type, const void*, size_t) {
            auto* dump = static_cast<DumpLog*>(context);
            dump->types[dump->begins].push_back(type.value);
          },
          &log),
      AIMAPPER_ERROR_NONE);
  // Other tests' buffers are freed by their TearDown, so exactly ours remain.
  EXPECT_EQ(log.begins, 2);
  EXPECT_EQ(log.types[1].size(), 23u);
  EXPECT_EQ(log.types[2].size(), 23u);
}

}  // namespace
}  // namespace gralloc
