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
#   the GStreamer plugin libgstgralloc.so: into GStreamer's own plugin
#   directory when it lies under PREFIX (--prefix=/usr), else
#   PREFIX/lib/gstreamer-1.0 (then GST_PLUGIN_PATH must name it), or
#   wherever --gst-plugin-dir says
# Usage: tools/install.sh [--prefix=DIR] [--gst-plugin-dir=DIR]
#   (default prefix /usr/local)
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
gst_plugin_dir=""
for arg in "$@"; do
  case "${arg}" in
    --prefix=*) prefix="${arg#--prefix=}" ;;
    --gst-plugin-dir=*) gst_plugin_dir="${arg#--gst-plugin-dir=}" ;;
    *)
      echo "usage: tools/install.sh [--prefix=DIR] [--gst-plugin-dir=DIR]" >&2
      exit 2
      ;;
  esac
done
prefix="$(realpath -m "${prefix}")"

bash tools/setup.sh
bazel build //dist:install_inputs //gst:libgstgralloc.so
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

# The GStreamer plugin, where GStreamer looks: its own plugin directory if
# that is inside the prefix, else the prefix's (named by GST_PLUGIN_PATH).
if [[ -z "${gst_plugin_dir}" ]]; then
  system_dir="$(pkg-config --variable=pluginsdir gstreamer-1.0 2>/dev/null || true)"
  if [[ -n "${system_dir}" && "${system_dir}" == "${prefix}"/* ]]; then
    gst_plugin_dir="${system_dir}"
  else
    gst_plugin_dir="${prefix}/lib/gstreamer-1.0"
  fi
fi
install -D -m 0755 "${bin}/gst/libgstgralloc.so" \
  "${gst_plugin_dir}/libgstgralloc.so"
echo "installed the GStreamer plugin into ${gst_plugin_dir}; check with: GST_PLUGIN_PATH=${gst_plugin_dir} gst-inspect-1.0 gralloc"
