#!/usr/bin/env bash
# The VM tier: runs the project's device tests on a real kernel with dma-buf
# heaps, udmabuf, vkms, vgem, vivid and vim2m, inside qemu.
#
# Usage: tools/vm/run_vm.sh [--update-docs] [LABEL...]
#
#   1. installs what is missing (tools/setup.sh --vm);
#   2. builds the kernel once and caches it (tools/vm/build_kernel.sh);
#   3. builds the tests (tools/vm/vm_tests.txt, or the LABELs given) with
#      Bazel, as the host tier does (in $GRALLOC_BAZEL_OUTPUT_BASE if set,
#      else Bazel's default output base; $GRALLOC_BAZEL_BUILD_FLAGS, if set,
#      adds build flags);
#   4. packs an initramfs: busybox, tools/vm/init.sh as /init, each test's
#      runfiles tree, and every shared library the tests load (with the
#      dynamic loader); for tests that link GStreamer, also the few element
#      plugins they use (gst_plugins below) and their libraries. The tests
#      are not linked statically: Debian ships
#      abseil's .a archives, but -static needs them in dependency order,
#      which third_party's system-library targets (written for the shared
#      libraries) do not give; carrying the libraries runs the same build
#      the host tier tests;
#   5. boots it with qemu (TCG: /dev/kvm on the build machines hangs), bounded
#      by $GRALLOC_VM_TIMEOUT_S (default 720 s), showing the console;
#   6. judges the console with tools/vm/vm_results.py: per-case counts, a
#      crashed, hung or missing test binary is a failure, artifacts (the
#      camera frame, as PPM and PNG; the benchmark suite's JSON) land in
#      $GRALLOC_VM_OUT (default ${TMPDIR:-/tmp}/gralloc-vm-out), with the
#      console log;
#   7. prints the benchmark suite's table (bench/report.py) from the JSON
#      the VM brought back: each path beside its floor on the real heaps.
#      Timing is never pass/fail; a benchmark binary that crashes or hangs
#      fails like a test.
#
# $GRALLOC_VM_APPEND adds to the kernel command line (e.g. "drm.debug=0x14
# loglevel=8" to see why KMS refuses a commit).
# --update-docs copies the captured camera frame to docs/vm-camera-frame.png.
# Exits 0 only if every test ran and passed. With $GRALLOC_TEST_COUNTS set,
# appends "passed failed skipped" to it (as tools/test.sh does for CI).
# The last line is vm_results.py's "vm: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/../.."

log() { echo "run_vm: $*" >&2; }
die() {
  log "$*"
  exit 1
}

update_docs=0
labels=()
for arg in "$@"; do
  case "${arg}" in
    --update-docs) update_docs=1 ;;
    //*) labels+=("${arg}") ;;
    *) die "unknown argument ${arg} (usage: run_vm.sh [--update-docs] [LABEL...])" ;;
  esac
done

vm_timeout_s="${GRALLOC_VM_TIMEOUT_S:-720}"
out_dir="${GRALLOC_VM_OUT:-${TMPDIR:-/tmp}/gralloc-vm-out}"
started_s="${SECONDS}"

bash tools/setup.sh --vm || die "tools/setup.sh --vm failed"
for tool in qemu-system-x86_64 cpio gzip python3 ldd strip file; do
  command -v "${tool}" >/dev/null || die "${tool} is missing"
done
busybox=/bin/busybox
file -L "${busybox}" 2>/dev/null | grep -q "statically linked" ||
  die "${busybox} is not busybox-static"

# --- The kernel. ---
phase_s="${SECONDS}"
kernel="$(bash tools/vm/build_kernel.sh | tail -n 1)"
[[ -s "${kernel}" ]] || die "the kernel build failed"
log "kernel ${kernel} ($((SECONDS - phase_s)) s)"

# --- The tests. ---
# vm_tests.txt: "<label> [timeout_s] [kind [flags...]]"; kind "test"
# (googletest, the default) or "bench" (google benchmark, run with the
# flags given). A LABEL on the command line gets its line's settings, or a
# plain test's.
declare -A listed=()
listed_labels=()
while read -r label timeout_s kind flags; do
  listed["${label}"]="${timeout_s:-300}|${kind:-test}|${flags}"
  listed_labels+=("${label}")
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' tools/vm/vm_tests.txt)
if ((${#labels[@]} == 0)); then labels=("${listed_labels[@]}"); fi
timeouts=()
kinds=()
flag_lists=()
for label in "${labels[@]}"; do
  IFS='|' read -r timeout_s kind flags <<<"${listed[${label}]:-300|test|}"
  timeouts+=("${timeout_s}")
  kinds+=("${kind}")
  flag_lists+=("${flags}")
done
((${#labels[@]} > 0)) || die "no tests to run"

# The VM's binaries get their own output directory (k8-opt-vm): builds in
# other configurations (the sanitizer runs) cannot overwrite them between
# this build and the copy below, and this build does not overwrite theirs.
bazel_flags=(--platform_suffix=vm)
# $GRALLOC_BAZEL_BUILD_FLAGS adds build flags (e.g. --local_cpu_resources=1
# on a shared machine); one word per flag.
read -r -a extra_build_flags <<<"${GRALLOC_BAZEL_BUILD_FLAGS:-}"
bazel_cmd=(bazel)
if [[ -n "${GRALLOC_BAZEL_OUTPUT_BASE:-}" ]]; then
  bazel_cmd+=(--output_base="${GRALLOC_BAZEL_OUTPUT_BASE}")
fi
phase_s="${SECONDS}"
"${bazel_cmd[@]}" build "${bazel_flags[@]}" "${extra_build_flags[@]}" "${labels[@]}" ||
  die "bazel build of the VM tests failed"
bin_dir="$("${bazel_cmd[@]}" info "${bazel_flags[@]}" bazel-bin 2>/dev/null)"
[[ -d "${bin_dir}" ]] || die "bazel info bazel-bin failed"
log "built ${#labels[@]} test binaries ($((SECONDS - phase_s)) s)"

# --- The initramfs. ---
phase_s="${SECONDS}"
work="$(mktemp -d --tmpdir gralloc-vm.XXXXXX)"
trap 'rm -rf "${work}"' EXIT
root="${work}/root"
mkdir -p "${root}"/{bin,lib,lib64,proc,sys,dev,tmp,tests}
cp "${busybox}" "${root}/bin/busybox"
install -m 0755 tools/vm/init.sh "${root}/init"

declare -A seen_names=()
declare -A libraries=()
for i in "${!labels[@]}"; do
  label="${labels[i]}"
  package="${label#//}"
  package="${package%%:*}"
  name="${label##*:}"
  [[ -z "${seen_names[${name}]:-}" ]] || die "two tests are called ${name}"
  seen_names[${name}]=1
  binary="${bin_dir}/${package}/${name}"
  [[ -x "${binary}" && -d "${binary}.runfiles" ]] ||
    die "${label}: no binary or runfiles under ${bin_dir}"
  if ldd "${binary}" | grep -Eq 'lib(a|t|ub)san'; then
    die "${label} is built with a sanitizer; the VM runs plain builds"
  fi
  cp -rL "${binary}.runfiles" "${root}/tests/${name}.runfiles"
  echo "${name} ${package}/${name} ${timeouts[i]} ${kinds[i]} ${flag_lists[i]}" \
    >>"${root}/tests/list"
  # The libraries the dynamic loader resolves on this machine (Bazel's
  # solib directories and the system's), for the binary and every program
  # in its runfiles (the benchmark suite starts gralloc_allocatord); the VM
  # gets them all in /lib.
  while read -r program; do
    while read -r library; do
      libraries["${library}"]=1
    done < <(ldd "${program}" | awk '/=> \// { print $3 } /^[ \t]*\/[^ ]+ \(/ { print $1 }')
  done < <({
    echo "${binary}"
    find -L "${binary}.runfiles" -type f -perm -u+x ! -name '*.so*' -print0 |
      xargs -0 -r file -L | awk -F: '/ELF .*executable/ { print $1 }'
  })
done
# GStreamer's element plugins, for tests that link GStreamer
# (tests/vm/gstreamer_vm_test): GStreamer dlopens them from its plugin
# directory, so no ldd above names them. Only the few those tests use, with
# every library they load; init.sh points GStreamer at /lib/gstreamer-1.0
# and has it scan them in-process (no gst-plugin-scanner in the VM).
gst_plugins=(
  coreelements # capsfilter, fakesink (gstreamer1.0 core)
  videotestsrc # -plugins-base
  video4linux2 # v4l2src, v4l2convert (-plugins-good)
  kms          # kmssink (-plugins-bad)
)
gst_plugins_carried=0
if printf '%s\n' "${!libraries[@]}" | grep -q '/libgstreamer-1\.0\.so'; then
  gst_plugin_dir="$(pkg-config --variable=pluginsdir gstreamer-1.0 2>/dev/null)"
  [[ -d "${gst_plugin_dir}" ]] ||
    die "no GStreamer plugin directory (pkg-config gstreamer-1.0)"
  mkdir -p "${root}/lib/gstreamer-1.0"
  for plugin in "${gst_plugins[@]}"; do
    plugin_so="${gst_plugin_dir}/libgst${plugin}.so"
    [[ -f "${plugin_so}" ]] ||
      die "${plugin_so} is missing (tools/setup.sh installs it)"
    cp -L "${plugin_so}" "${root}/lib/gstreamer-1.0/"
    gst_plugins_carried=$((gst_plugins_carried + 1))
    while read -r library; do
      libraries["${library}"]=1
    done < <(ldd "${plugin_so}" | awk '/=> \// { print $3 } /^[ \t]*\/[^ ]+ \(/ { print $1 }')
  done
fi
for library in "${!libraries[@]}"; do
  case "${library}" in
    */ld-linux-x86-64.so.2) cp -L "${library}" "${root}/lib64/ld-linux-x86-64.so.2" ;;
    *) cp -L "${library}" "${root}/lib/$(basename "${library}")" ;;
  esac
done
[[ -e "${root}/lib64/ld-linux-x86-64.so.2" ]] ||
  die "ldd named no dynamic loader for the tests"
# Debug information is for the host; the VM only needs the code.
find "${root}/tests" "${root}/lib" "${root}/lib64" -type f -print0 |
  xargs -0 file | awk -F: '/ELF/ { print $1 }' |
  xargs -r strip --strip-debug 2>/dev/null || true

initrd="${work}/initrd.gz"
(cd "${root}" && find . -print0 | cpio --null -o -H newc --quiet) |
  gzip -1 >"${initrd}" || die "packing the initramfs failed"
log "initramfs $(du -h "${initrd}" | cut -f1) with ${#libraries[@]} libraries" \
  "and ${gst_plugins_carried} GStreamer plugins ($((SECONDS - phase_s)) s)"

# --- Boot. ---
rm -rf "${out_dir}"
mkdir -p "${out_dir}"
console="${out_dir}/console.log"
phase_s="${SECONDS}"
# The guest's TSC is the host's under TCG, but its calibration against the
# emulated PIT fails now and then, and a tinyconfig kernel (no ACPI, so no
# HPET or PM timer) then keeps time in 4 ms jiffies, which ruins the
# benchmark's per-iteration timing. Tell it the frequency instead.
tsc_khz="$(awk '/^cpu MHz/ { printf "%d", $4 * 1000; exit }' /proc/cpuinfo)"
clock_args=""
if [[ -n "${tsc_khz}" ]]; then
  clock_args="tsc_early_khz=${tsc_khz} tsc=reliable"
fi
log "booting qemu (TCG; timeout ${vm_timeout_s} s); console follows"
# The console goes to the log whole, and to the terminal without the
# artifacts' base64 lines.
timeout -k 10 "${vm_timeout_s}" qemu-system-x86_64 \
  -accel tcg -cpu max -m 1024 -nographic -no-reboot \
  -kernel "${kernel}" -initrd "${initrd}" \
  -append "console=ttyS0 quiet panic=-1 ${clock_args} ${GRALLOC_VM_APPEND:-}" </dev/null |
  tee "${console}" |
  awk '/GRALLOC-VM: ARTIFACT-BEGIN/ { print; skip = 1; next }
       /GRALLOC-VM: ARTIFACT-END/ { skip = 0 }
       !skip { print; fflush() }'
qemu_status="${PIPESTATUS[0]}"
vm_s=$((SECONDS - phase_s))
if ((qemu_status == 124 || qemu_status == 137)); then
  log "qemu did not finish within ${vm_timeout_s} s"
elif ((qemu_status != 0)); then
  log "qemu exited with status ${qemu_status}"
fi
log "VM boot + tests: ${vm_s} s"

results="${work}/results.txt"
python3 tools/vm/vm_results.py "${console}" --tests "${root}/tests/list" \
  --out "${out_dir}" --qemu-status "${qemu_status}" \
  ${GRALLOC_TEST_COUNTS:+--counts "${GRALLOC_TEST_COUNTS}"} | tee "${results}"
status="${PIPESTATUS[0]}"

# The benchmark suite's tables, from the JSON the VM sent back. Timing is
# never pass/fail; a row that reports an error other than a documented skip
# is shown (report.py --check) without failing the tier.
benched=0
for i in "${!labels[@]}"; do
  [[ "${kinds[i]}" == bench ]] || continue
  benched=1
  name="${labels[i]##*:}"
  json="${out_dir}/${name}.json"
  echo "=== vm: ${name} on the real heaps (each row beside its floor from" \
    "the same run; an emulated CPU, so only the ratios mean much)"
  if ! python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "${json}" 2>/dev/null; then
    echo "vm: ${name}: no complete JSON at ${json} (see the console log)"
    continue
  fi
  python3 bench/report.py "${json}" --markdown "${out_dir}/${name}.md" \
    --title "gralloc benchmark suite: the VM tier (TCG)" ||
    echo "vm: ${name}: bench/report.py failed"
  python3 bench/report.py "${json}" --check | grep -v '^report: [0-9]* rows, 0 problems' ||
    true
done
# vm_results.py's count line stays the last.
if ((benched)); then tail -n 1 "${results}"; fi

if ((update_docs)); then
  if [[ -s "${out_dir}/vm-camera-frame.png" ]]; then
    mkdir -p docs
    cp "${out_dir}/vm-camera-frame.png" docs/vm-camera-frame.png
    log "updated docs/vm-camera-frame.png"
  else
    log "no camera frame to copy to docs/"
    status=1
  fi
fi
log "total $((SECONDS - started_s)) s; console and artifacts in ${out_dir}"
exit "${status}"
