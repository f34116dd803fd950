#!/bin/busybox sh
# /init of the VM tier's initramfs (packed by tools/vm/run_vm.sh).
#
# Mounts the pseudo file systems, runs every test listed in /tests/list
# ("<name> <path in runfiles> <timeout seconds> <kind> [flags...]") as Bazel
# would (in its runfiles tree, with TEST_SRCDIR/TEST_TMPDIR set), then sends
# the files the tests left in $GRALLOC_VM_ARTIFACTS to the console (gzip +
# base64) and powers off. Kind "test" is a googletest binary; kind "bench" a
# google benchmark binary, run with the flags listed and its JSON written to
# $GRALLOC_VM_ARTIFACTS/<name>.json. Lines starting with "GRALLOC-VM:" are
# the protocol the host (tools/vm/vm_results.py) reads; everything else is
# the tests' own output.
/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug

export GRALLOC_VM_ARTIFACTS=/tmp/artifacts
# GStreamer's element plugins, for the tests that link GStreamer (run_vm.sh
# carries a few into /lib/gstreamer-1.0). Scanning them in-process: there is
# no gst-plugin-scanner to fork. Each test's registry cache is its own
# (gst/testing/gst_test_env.h puts it in TEST_TMPDIR).
export GST_PLUGIN_SYSTEM_PATH_1_0=/lib/gstreamer-1.0
export GST_REGISTRY_FORK=no
mkdir -p "${GRALLOC_VM_ARTIFACTS}"

uptime_s() { cut -d' ' -f1 /proc/uptime; }

echo "GRALLOC-VM: BOOTED kernel=$(uname -r) uptime=$(uptime_s)"
echo "GRALLOC-VM: DEVICES $(ls /dev/dma_heap 2>/dev/null | tr '\n' ' ')|" \
  "$(ls /dev/dri 2>/dev/null | tr '\n' ' ')|" \
  "$(cat /sys/class/video4linux/*/name 2>/dev/null | tr '\n' ' ')"

count=0
failed=0
while read -r name path timeout_s kind flags; do
  count=$((count + 1))
  runfiles="/tests/${name}.runfiles"
  tmpdir="/tmp/test-${name}"
  mkdir -p "${tmpdir}"
  echo "GRALLOC-VM: BEGIN ${name} uptime=$(uptime_s)"
  if [ "${kind}" = bench ]; then
    # ${flags} unquoted: one word per flag.
    set -- ${flags} --benchmark_out="${GRALLOC_VM_ARTIFACTS}/${name}.json" \
      --benchmark_out_format=json
  else
    set -- --gtest_color=no
  fi
  (
    cd "${runfiles}/gralloc" &&
      TEST_SRCDIR="${runfiles}" TEST_WORKSPACE=gralloc \
      TEST_TMPDIR="${tmpdir}" LD_LIBRARY_PATH=/lib \
      timeout -s KILL "${timeout_s}" "./${path}" "$@"
  ) </dev/null
  rc=$?
  result=PASS
  if [ "${rc}" -eq 137 ]; then
    result=TIMEOUT
  elif [ "${rc}" -ne 0 ]; then
    result=FAIL
  fi
  [ "${result}" = PASS ] || failed=$((failed + 1))
  echo "GRALLOC-VM: END ${name} ${result} rc=${rc} uptime=$(uptime_s)"
  rm -rf "${tmpdir}"
done </tests/list

for file in "${GRALLOC_VM_ARTIFACTS}"/*; do
  [ -f "${file}" ] || continue
  echo "GRALLOC-VM: ARTIFACT-BEGIN $(basename "${file}")"
  gzip -c "${file}" | base64
  echo "GRALLOC-VM: ARTIFACT-END"
done

echo "GRALLOC-VM: SUMMARY tests=${count} failed=${failed} uptime=$(uptime_s)"
# With qemu's -no-reboot, a reboot ends the emulator (poweroff -f does not).
reboot -f
