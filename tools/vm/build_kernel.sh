#!/usr/bin/env bash
# Builds the VM tier's kernel once and caches it.
#
# Usage: tools/vm/build_kernel.sh
#
# Prints the path of the cached bzImage as the last line of stdout; progress
# goes to stderr. The kernel is Debian's linux-source-6.1, configured with
# `make tinyconfig` plus tools/vm/kernel.config.fragment. The cache key is the
# SHA-256 of the fragment, this script and the source package's version, so
# editing either file (or a Debian kernel update) builds a new kernel and an
# unchanged checkout reuses the old one:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/gralloc-vm/kernel-<key>/bzImage
# Fails, naming them, if any fragment option did not survive olddefconfig (a
# missing dependency), rather than boot a kernel without the drivers under test.
# Environment: GRALLOC_VM_JOBS (make -j, default nproc).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
fragment="${here}/kernel.config.fragment"
source_tar=/usr/src/linux-source-6.1.tar.xz
jobs="${GRALLOC_VM_JOBS:-$(nproc)}"

log() { echo "build_kernel: $*" >&2; }

if [[ ! -r "${source_tar}" ]]; then
  log "${source_tar} is missing; run tools/setup.sh --vm"
  exit 1
fi
source_version="$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null ||
  stat -c %s-%Y "${source_tar}")"
key="$(cat "${fragment}" "${BASH_SOURCE[0]}" <(echo "${source_version}") |
  sha256sum | cut -c1-16)"
cache_root="${XDG_CACHE_HOME:-${HOME}/.cache}/gralloc-vm"
cache_dir="${cache_root}/kernel-${key}"
image="${cache_dir}/bzImage"

mkdir -p "${cache_root}"
# One build at a time per cache: a second caller waits, then reuses it.
exec {lock_fd}>"${cache_root}/.lock-${key}"
flock "${lock_fd}"

if [[ -s "${image}" ]]; then
  log "cached ${image}"
  echo "${image}"
  exit 0
fi

work="$(mktemp -d --tmpdir gralloc-vm-kernel.XXXXXX)"
trap 'rm -rf "${work}"' EXIT
src="${work}/linux"
build_log="${work}/build.log"
mkdir -p "${src}"

start_s="${SECONDS}"
log "extracting ${source_tar} (linux-source-6.1 ${source_version})"
tar -xJf "${source_tar}" -C "${src}" --strip-components=1

run_make() {
  if ! make -C "${src}" "$@" >>"${build_log}" 2>&1; then
    log "make $* failed; the end of the log:"
    tail -n 40 "${build_log}" >&2
    exit 1
  fi
}

log "configuring: tinyconfig + $(basename "${fragment}")"
run_make tinyconfig
if ! (cd "${src}" &&
    scripts/kconfig/merge_config.sh -m .config "${fragment}") >>"${build_log}" 2>&1; then
  log "merge_config.sh failed; the end of the log:"
  tail -n 40 "${build_log}" >&2
  exit 1
fi
run_make olddefconfig

# Every option the fragment sets must have the value it asked for; every option
# it turns off must be off. Kconfig silently drops an option whose
# dependencies are unmet, so this is where a broken fragment is caught.
lost=()
while IFS= read -r line; do
  if [[ "${line}" =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
    if ! grep -qxF "${line}" "${src}/.config"; then
      got="$(grep -E "^(# )?${BASH_REMATCH[1]}[= ]" "${src}/.config" || true)"
      lost+=("${line} (got: ${got:-absent})")
    fi
  elif [[ "${line}" =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
    if grep -qE "^${BASH_REMATCH[1]}=" "${src}/.config"; then
      lost+=("${line} (got: $(grep -E "^${BASH_REMATCH[1]}=" "${src}/.config"))")
    fi
  fi
done <"${fragment}"
if ((${#lost[@]} > 0)); then
  log "these fragment options did not survive make olddefconfig:"
  printf '  %s\n' "${lost[@]}" >&2
  exit 1
fi

log "building bzImage with make -j${jobs} (about 10 minutes on 2 cores)"
run_make -j"${jobs}" bzImage

# Publish atomically: a half-copied image must never look like a cache hit.
staging="$(mktemp -d "${cache_root}/.staging.XXXXXX")"
cp "${src}/arch/x86/boot/bzImage" "${src}/.config" "${staging}/"
rm -rf "${cache_dir}"
mv "${staging}" "${cache_dir}"
log "built ${image} in $((SECONDS - start_s)) s"
echo "${image}"
