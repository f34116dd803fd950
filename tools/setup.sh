#!/usr/bin/env bash
# Installs the Debian packages this project builds and tests with.
#
# Idempotent: it asks dpkg what is missing and installs only that, so it is
# cheap to call before every build (the README's commands and CI do). Needs
# root, or sudo. Usage: tools/setup.sh [--vm] [--clang] [--bench]   (--vm
# adds the VM tier's packages: qemu, the kernel source and its build tools,
# busybox; --clang adds clang 14 and its runtimes, libFuzzer's among them,
# for tools/fuzz.sh and tools/check_thread_safety.sh; --bench adds gnuplot
# for tools/bench.sh's plot).
set -euo pipefail

packages=(
  bazel-bootstrap      # Bazel 4.2.3, offline
  bazel-rules-java     # @rules_java, used as a local repository
  bazel-platforms      # @platforms, used as a local repository
  g++
  python3              # tools/testing/summarize.py
  libabsl-dev          # abseil 20220623
  libgtest-dev
  libgmock-dev         # googletest 1.12.1
  libbenchmark-dev     # google benchmark 1.7.1
  libdrm-dev           # libdrm 2.4.114
  nlohmann-json3-dev   # platform profiles (JSON)
  pkg-config
  clang-format         # tools/check_format.sh (CI fails on unformatted code)
  # GStreamer 1.22 for the plugin in gst/ (third_party/gstreamer): headers,
  # gst-inspect-1.0/gst-launch-1.0, and the elements its tests run with
  # (videotestsrc, videoconvert from -base; y4menc from -good).
  libgstreamer1.0-dev
  libgstreamer-plugins-base1.0-dev
  gstreamer1.0-tools
  gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad
)
for option in "$@"; do
  case "${option}" in
    --vm)
      packages+=(
        qemu-system-x86 linux-source-6.1 busybox-static cpio gzip xz-utils
        bc bison flex libelf-dev libssl-dev make
        file             # tools/vm/run_vm.sh finds the ELF files to strip
      )
      ;;
    --clang)
      packages+=(
        clang               # /usr/bin/clang: Debian 12's clang 14
        libclang-rt-14-dev  # libFuzzer, ASan, UBSan: libclang_rt.*.a
      )
      ;;
    --bench)
      packages+=(
        gnuplot-nox  # tools/bench.sh: latency against buffer size, as PNG
      )
      ;;
    *)
      echo "setup: unknown option ${option}" >&2
      exit 2
      ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "${package}" 2>/dev/null |
      grep -q "install ok installed"; then
    missing+=("${package}")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo_cmd=()
if ((EUID != 0)); then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
