#!/usr/bin/env bash
# Installs built artifacts into a prefix:
#   install_tree.sh PREFIX VERSION FILE...
# FILEs are the built libraries, binaries, public headers (any path ending in
# include/<relative header path>), *.pc.in templates, *.service units,
# *.sysusers (sysusers.d) and *.rules (udev) files.
# Used by tools/install.sh (with Bazel's outputs) and by dist:install_test
# (with the test's runfiles), so both install exactly the same way.
set -euo pipefail
prefix="$1"
version="$2"
shift 2
mkdir -p "${prefix}/lib/pkgconfig" "${prefix}/include" "${prefix}/bin" \
  "${prefix}/lib/systemd/system" "${prefix}/lib/sysusers.d" \
  "${prefix}/lib/udev/rules.d"
for file in "$@"; do
  case "${file}" in
    */include/*.h)
      relative="${file##*/include/}"
      mkdir -p "${prefix}/include/$(dirname "${relative}")"
      install -m 0644 "${file}" "${prefix}/include/${relative}"
      ;;
    *.so)
      install -m 0755 "${file}" "${prefix}/lib/$(basename "${file}")"
      ;;
    *.pc.in)
      name="$(basename "${file}" .in)"
      sed -e "s|@PREFIX@|${prefix}|g" -e "s|@VERSION@|${version}|g" \
        "${file}" >"${prefix}/lib/pkgconfig/${name}"
      ;;
    *.sysusers)
      install -m 0644 "${file}" \
        "${prefix}/lib/sysusers.d/$(basename "${file}" .sysusers).conf"
      ;;
    *.rules)
      install -m 0644 "${file}" "${prefix}/lib/udev/rules.d/$(basename "${file}")"
      ;;
    *.service)
      sed -e "s|@PREFIX@|${prefix}|g" "${file}" \
        >"${prefix}/lib/systemd/system/$(basename "${file}")"
      ;;
    *)
      install -m 0755 "${file}" "${prefix}/bin/$(basename "${file}")"
      ;;
  esac
done
