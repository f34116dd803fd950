#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets: tests/fuzz/<target>_corpus/.

Each seed is a small valid input (a well-formed handle, wire message,
metadata value, descriptor or profile), so the fuzzers start past the
magic numbers and length checks. The encodings follow the headers they
exercise (hal/handle/buffer_handle.h, allocator/service/protocol.h,
hal/metadata/metadata_codec.h) and the input layouts each target's file
comment describes. Run it again after changing either; the seeds are
committed, and the fuzzers' own finds stay in scratch copies (tools/fuzz.sh).

Usage: tests/fuzz/make_seeds.py
"""

import json
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def u8(v): return struct.pack("<B", v & 0xff)
def u16(v): return struct.pack("<H", v & 0xffff)
def u32(v): return struct.pack("<I", v & 0xffffffff)
def i32(v): return struct.pack("<i", v)
def u64(v): return struct.pack("<Q", v & 0xffffffffffffffff)
def i64(v): return struct.pack("<q", v)
def f32(v): return struct.pack("<f", v)


def fourcc(text):
    return struct.unpack("<I", text.encode())[0]


def write_corpus(target, seeds):
    directory = os.path.join(HERE, target + "_corpus")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    for name, data in seeds.items():
        assert len(data) <= 4096, (target, name, len(data))
        with open(os.path.join(directory, name), "wb") as out:
            out.write(data)


# --- Buffer handles (hal/handle/buffer_handle.h) ------------------------------

RGBA_8888, RGB_565, BLOB, YCBCR_420_888, Y8, RAW16 = (
    0x1, 0x4, 0x21, 0x23, 0x20203859, 0x20)


def handle_ints(width, height, layers, fmt, fmt_fourcc, stride_px, planes,
                allocation, backend=1, flags=0, reserved=0, metadata=4096,
                usage=0x33):
    """The 44 ints of a handle; planes are (offset, stride, size)."""
    def lo(v): return v & 0xffffffff
    def hi(v): return (v >> 32) & 0xffffffff
    ints = [0x4752414c, 1, 44, 0x1234, 0, width, height, layers, fmt, fmt,
            fmt_fourcc, 0, 0, lo(usage), hi(usage), stride_px,
            lo(allocation), hi(allocation), lo(reserved), hi(reserved),
            metadata, backend, flags, len(planes)]
    for i in range(4):
        offset, stride, size = planes[i] if i < len(planes) else (0, 0, 0)
        ints += [lo(offset), hi(offset), stride, lo(size), hi(size)]
    assert len(ints) == 44
    return b"".join(struct.pack("<I", v & 0xffffffff) for v in ints)


def handle_seeds():
    cases = {
        "rgba_64x32": handle_ints(64, 32, 1, RGBA_8888, 0, 64,
                                  [(0, 256, 8192)], 8192),
        "rgba_padded": handle_ints(60, 30, 1, RGBA_8888, 0, 64,
                                   [(0, 256, 256 * 32)], 16384, backend=3,
                                   flags=2, reserved=64),
        "rgb565_layers": handle_ints(16, 16, 3, RGB_565, 0, 16,
                                     [(0, 32, 512)], 1536, backend=2),
        "blob": handle_ints(1000, 1, 1, BLOB, 0, 1000, [(0, 1000, 1000)],
                            1000),
        "y8": handle_ints(16, 8, 1, Y8, 0, 16, [(0, 16, 128)], 128),
        "nv12": handle_ints(64, 32, 1, YCBCR_420_888, fourcc("NV12"), 64,
                            [(0, 64, 2048), (2048, 64, 1024)], 3072,
                            backend=3),
        "nv12_odd": handle_ints(63, 31, 1, YCBCR_420_888, fourcc("NV12"), 64,
                                [(0, 64, 64 * 31), (4096, 64, 64 * 16)],
                                8192, backend=4),
        # Handles that lie about their geometry (planes inside the
        # allocation, but too narrow or too short for width x height): the
        # decoder must refuse them, or the target stops on its geometry
        # check.
        "bad_nv12_chroma_stride": handle_ints(
            63, 31, 1, YCBCR_420_888, fourcc("NV12"), 64,
            [(0, 64, 64 * 31), (4096, 20, 20 * 16)], 8192),
        "bad_rgba_short_plane": handle_ints(64, 32, 1, RGBA_8888, 0, 64,
                                            [(0, 256, 256 * 16)], 8192),
    }
    seeds = {}
    for name, ints in cases.items():
        # Mode 0x01: canonical counts; fds: memfd a (size 1), memfd b (2).
        seeds[name] = u8(0x01) + u8(1) + u16(1) + u8(2) + u16(2) + ints
    # Mode 0x80: a HandleInfo field by field (handle_fuzz.cc).
    info = (u64(7) + u8(0) + u8(63) + u8(0) + u8(31) + u8(0) + u8(0) +
            i32(RGBA_8888) + u64(0x33) + u8(0) + u16(8192) + u8(0) + u16(0) +
            u8(0) + u16(4096) + u8(1) + u8(0) + u8(0) + u64(0) + u8(0) +
            u8(63) + u8(1) + u8(0) + u16(0) + u8(0) + u16(256) + u8(0) +
            u16(8192))
    seeds["info_rgba"] = u8(0x80) + info
    # Counts that lie, and a negative count.
    seeds["counts_2_43"] = u8(0x00) + u8(2) + u8(43) + u8(0) + u8(0) + bytes(
        43 * 4)
    seeds["counts_neg"] = u8(0x00) + u8(0xff) + u8(44)
    return seeds


# --- The service's wire format (allocator/service/protocol.h) ----------------

def string16(text):
    data = text.encode()
    return u16(len(data)) + data


def descriptor(name="seed", width=64, height=32, layers=1, fmt=RGBA_8888,
               usage=0x33, reserved=0, options=()):
    out = (string16(name) + i64(width) + i64(height) + i64(layers) +
           i32(fmt) + u64(usage) + i64(reserved) + u16(len(options)))
    for option_name, value in options:
        out += string16(option_name) + i64(value)
    return out


def frame(msg_type, payload, request_id=1, fds=0, reply=False):
    header = (u32(0x434c4147) + u16(4) +
              u16(msg_type | (0x8000 if reply else 0)) + u64(request_id) +
              u32(len(payload)) + u32(fds))
    return header + payload


OK_STATUS = u32(0) + i32(0) + u16(0)

LAYOUT_RGBA = (i32(RGBA_8888) + u32(fourcc("AB24")) + u64(0) + i32(64) +
               u8(1) + u64(0) + u64(256) + u64(8192) + i64(64) + i64(32) +
               u64(8192) + u64(8192))
HEAP_SYSTEM = string16("system") + u8(1) + u8(2 | 4)


def protocol_seeds():
    desc = descriptor(options=[("org.gralloc.linear_only", 1),
                               ("org.gralloc.drm_modifier", 0)])
    ints = handle_ints(64, 32, 1, RGBA_8888, 0, 64, [(0, 256, 8192)], 8192)
    stats = (u32(2) + u64(3) + u64(4096) + u64(0) + u64(0) + u64(10) + u64(1) +
             u32(1) + string16("system") + u64(3) + u64(4096) +
             u32(1) + i32(42) + u32(1000) + u32(1) + u64(3) + u64(4096) +
             # the pool: budget, buffers, bytes, descriptions, hits,
             # misses, made, dropped, drains, failures, pressure events,
             # PSI trigger
             u64(64 << 20) + u64(2) + u64(73728) + u32(1) + u64(5) + u64(1) +
             u64(7) + u64(0) + u64(0) + u64(0) + u64(0) + u8(1))
    entry = (u64(5) + i32(42) + u32(1000) + u64(8192) + string16("system") +
             string16("seed") + i32(1) + i32(64) + i32(32) + i32(1) +
             u64(0x33) + u64(0x10) + u64(0x20) + u64(123456789) + u8(1))
    body = {
        "frame_request": u8(0) + u8(0) + frame(1, desc),
        "frame_reply_fds": u8(0) + u8(2) + frame(2, OK_STATUS, fds=2,
                                                 reply=True),
        "is_supported": u8(1) + desc,
        "allocate": u8(2) + i32(2) + desc,
        "release": u8(3) + u32(2) + u64(5) + u64(6),
        "list": u8(4) + u64(0) + u32(16),
        "serves_record": u8(5) + u64(1 << 17) + u64(5) + u32(0),
        "serves_ints": u8(5) + u64(1 << 16) + u64(5) + u32(44) + ints,
        "empty": u8(6),
        "reply_released": u8(7) + u32(3),
        "reply_stats": u8(8) + stats,
        "reply_list": u8(9) + u8(1) + u32(1) + entry,
        "reply_path": u8(10) + string16("/usr/lib/libgralloc_mapper.so"),
        "status_ok": u8(11) + OK_STATUS + b"body",
        "status_error": u8(11) + u32(3) + i32(1) + string16("bad width"),
        "answer_yes": u8(12) + u32(0) + string16(""),
        "answer_no": u8(12) + u32(12) + string16("camera: no NV12"),
        "allocate_reply": u8(13) + u8(2) + LAYOUT_RGBA + u32(1) +
                          HEAP_SYSTEM + u32(44) + ints,
    }
    return body


# --- Metadata (hal/metadata/metadata_codec.h) --------------------------------

def header(type_value):
    name = b"android.hardware.graphics.common.StandardMetadataType"
    return i64(len(name)) + name + i64(type_value)


def string64(text):
    data = text.encode()
    return i64(len(data)) + data


def extendable(name, value):
    return string64(name) + i64(value)


def metadata_seeds():
    values = {
        "buffer_id": (1, u64(0x1234)),
        "name": (2, string64("seed-buffer")),
        "width": (3, u64(64)),
        "pixel_format_requested": (6, i32(RGBA_8888)),
        "fourcc": (7, u32(fourcc("AB24"))),
        "usage": (9, u64(0x33)),
        "compression": (12, extendable(
            "android.hardware.graphics.common.Compression", 0)),
        "plane_layouts": (15, i64(1) + i64(1) +
                          extendable("android.hardware.graphics.common."
                                     "PlaneLayoutComponentType", 1) +
                          i64(0) + i64(8) + i64(0) + i64(32) + i64(256) +
                          i64(64) + i64(32) + i64(8192) + i64(1) + i64(1)),
        "crop": (16, i64(1) + i32(0) + i32(0) + i32(64) + i32(32)),
        "dataspace": (17, i32(0x8C20000)),
        "blend_mode": (18, i32(2)),
        "smpte2086": (19, b"".join(f32(v) for v in (
            0.708, 0.292, 0.17, 0.797, 0.131, 0.046, 0.3127, 0.329, 1000.0,
            0.001))),
        "cta861_3": (20, f32(1000.0) + f32(300.0)),
        "smpte2094_40": (21, i64(3) + b"\x01\x02\x03"),
        "stride": (23, u32(64)),
    }
    seeds = {}
    for name, (type_value, value) in values.items():
        seeds["codec_" + name] = u8(type_value) + header(type_value) + value
    seeds["codec_smpte2094_10_unset"] = u8(22)
    # The mapper: 0x80, width, height, reserved/4, then operations
    # (metadata_fuzz.cc): kind, type, [payload].
    def set_op(type_value, value):
        payload = header(type_value) + value
        return u8(0) + u8(type_value) + u16(len(payload)) + payload
    def get_op(type_value, size):
        return u8(4) + u8(type_value) + u16(size)
    seeds["mapper_set_dataspace"] = (u8(0x80) + u8(7) + u8(3) + u8(16) +
                                     set_op(17, i32(0x8C20000)) +
                                     get_op(17, 100))
    seeds["mapper_set_crop"] = (u8(0x80) + u8(15) + u8(15) + u8(0) +
                                set_op(16, i64(1) + i32(1) + i32(1) + i32(4) +
                                       i32(4)) + get_op(16, 200))
    seeds["mapper_set_hdr"] = (u8(0x80) + u8(3) + u8(3) + u8(4) +
                               set_op(20, f32(1000.0) + f32(300.0)) +
                               set_op(21, i64(3) + b"\x01\x02\x03") +
                               get_op(21, 4))
    # A metadata memfd's link (0x60 to 0x7f; metadata_buffer_name.h).
    seeds["buffer_name"] = (u8(0x60) +
                            b"/memfd:gralloc-md:00000000:40:system:"
                            b"cam%3Aframe (deleted)")
    seeds["mapper_get_all"] = u8(0x80) + u8(1) + u8(1) + u8(1) + b"".join(
        get_op(t, 4096) for t in (2, 15, 23, 10))
    seeds["mapper_vendor"] = (u8(0x80) + u8(1) + u8(1) + u8(0) + u8(3) +
                              u8(20) + b"vendor.example.thing" + u8(1) +
                              u16(4) + b"abcd")
    return seeds


# --- Descriptors (hal/descriptor) --------------------------------------------

def descriptor_seed(name, width_choice, height_choice, format_index, usage,
                    options=b"", option_count=0, layers=b"\x01"):
    return (u8(len(name)) + name.encode() + width_choice + height_choice +
            layers + u8(format_index) + u64(usage) + u8(1) +
            u8(option_count) + options)


def small(v):
    return u8(0) + u16(v - 1)


def descriptor_seeds():
    seeds = {}
    for index in range(0, 40, 3):
        seeds["format_%02d" % index] = descriptor_seed(
            "seed", small(64), small(32), index, 0x33)
    seeds["edges"] = descriptor_seed("edge", u8(0xa0) + u8(9), u8(0xa0) + u8(1), 0,
                                     0x33)
    option = lambda choice, value_choice: u8(choice) + value_choice
    seeds["options"] = descriptor_seed(
        "opts", small(640), small(480), 0, 0x303,
        options=option(0, u8(0x80) + u16(0x100)) + option(1, u8(0)) +
        option(2, u8(1)) + option(3, u8(3)) + option(4, u8(7)),
        option_count=5)
    seeds["unknown_option"] = descriptor_seed(
        "opts", small(8), small(8), 0, 0x33,
        options=u8(0xe0) + u16(5) + b"bogus" + u8(1), option_count=1)
    return seeds


# --- Negotiation ---------------------------------------------------------------

def negotiation_prefix(heap_mask, width, height, format_index, cpu, hardware,
                       options=0, layers=0):
    return (u16(heap_mask) + u8(0) + u8(0) + u16(width - 1) + u8(0) +
            u16(height - 1) + u8(layers) + u8(format_index) + u8(cpu) +
            u32(hardware) + u8(16) + u8(options) +
            (u8(6) if options & 1 else b"") +  # 64-byte stride alignment
            u8(0) + u32(0))  # extra usage: none


def negotiation_seeds():
    profiles = {}
    for name in ("generic-iommu", "soc-no-iommu", "vm-virtual-devices"):
        with open(os.path.join(REPO, "allocator", "profiles",
                               name + ".json")) as f:
            profile = json.load(f)
        profile.pop("description", None)
        for participant in profile.get("participants", {}).values():
            participant.pop("description", None)
        profiles[name] = json.dumps(profile, separators=(",", ":")).encode()
    profiles["empty"] = b"{}"
    profiles["builtin"] = b""  # does not parse: the built-in profile
    usages = {
        "cpu": (0x33, 0),
        "camera_encoder": (0x00, (1 << 17) | (1 << 16)),
        "gpu_display": (0x00, (1 << 8) | (1 << 9) | (1 << 11)),
        "protected_decoder": (0x00, (1 << 14) | (1 << 22) | (1 << 11)),
    }
    seeds = {}
    for profile_name, text in profiles.items():
        for usage_name, (cpu, hardware) in usages.items():
            for format_index in (0, 9):
                seeds["%s_%s_%d" % (profile_name, usage_name, format_index)] = (
                    negotiation_prefix(0x1ff, 640, 480, format_index, cpu,
                                       hardware, options=3) + text)
    return seeds


def main():
    write_corpus("handle_fuzz", handle_seeds())
    write_corpus("protocol_fuzz", protocol_seeds())
    write_corpus("metadata_fuzz", metadata_seeds())
    write_corpus("descriptor_fuzz", descriptor_seeds())
    write_corpus("negotiation_fuzz", negotiation_seeds())


if __name__ == "__main__":
    main()
