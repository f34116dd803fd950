#!/usr/bin/env bash
# Installs gralloc for Linux into a prefix for code built outside Bazel
# (CMake, Meson, Android.bp, make):
#   PREFIX/bin/gralloc_allocatord, PREFIX/bin/gralloctl
#   PREFIX/lib/libgralloc_allocator.so, PREFIX/lib/libgralloc_mapper.so
#   PREFIX/include/{cutils,android,gralloc}/...
#   PREFIX/lib/pkgconfig/gralloc-allocator.pc, gralloc-mapper.pc
#   PREFIX/lib/systemd/system/gralloc-allocatord.service,
#   PREFIX/lib/sysusers.d/gralloc-allocatord.conf (its user and group),
#   PREFIX/lib/udev/rules.d/60-gralloc-allocatord.rules (heap access)
# Usage: tools/install.sh --prefix=DIR   (default /usr/local)
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
for arg in "$@"; do
  case "${arg}" in
    --prefix=*) prefix="${arg#--prefix=}" ;;
    *) echo "usage: tools/install.sh [--prefix=DIR]" >&2; exit 2 ;;
  esac
done
prefix="$(realpath -m "${prefix}")"

bash tools/setup.sh
bazel build //dist:install_inputs
bin="$(bazel info bazel-bin 2>/dev/null)"
bash dist/install_tree.sh "${prefix}" 0.1 \
  "${bin}/dist/libgralloc_allocator.so" \
  "${bin}/mapper/libgralloc_mapper.so" \
  "${bin}/allocator/service/gralloc_allocatord" \
  "${bin}/tools/gralloctl/gralloctl" \
  dist/gralloc-allocator.pc.in \
  dist/gralloc-mapper.pc.in \
  allocator/service/gralloc-allocatord.service \
  allocator/service/gralloc-allocatord.sysusers \
  allocator/service/60-gralloc-allocatord.rules \
  hal/include/cutils/native_handle.h \
  hal/include/android/rect.h \
  hal/include/android/hardware/graphics/mapper/IMapper.h \
  hal/include/gralloc/allocator.h
echo "installed into ${prefix}; pkg-config: PKG_CONFIG_PATH=${prefix}/lib/pkgconfig pkg-config --cflags --libs gralloc-allocator gralloc-mapper"
