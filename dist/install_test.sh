#!/usr/bin/env bash
# Installs the built artifacts into a temporary prefix with install_tree.sh,
# builds a C program against it with plain gcc and pkg-config (no Bazel),
# starts the installed service and runs the program against it (allocate
# through the service, lock through the mapper), then in-process too. gcc and
# pkg-config are installed by tools/setup.sh.
set -euo pipefail
runfiles="${TEST_SRCDIR}/gralloc"
prefix="${TEST_TMPDIR}/prefix"

inputs=(
  "${runfiles}/dist/libgralloc_allocator.so"
  "${runfiles}/mapper/libgralloc_mapper.so"
  "${runfiles}/allocator/service/gralloc_allocatord"
  "${runfiles}/allocator/service/gralloc-allocatord.service"
  "${runfiles}/allocator/service/gralloc-allocatord.sysusers"
  "${runfiles}/allocator/service/60-gralloc-allocatord.rules"
  "${runfiles}/tools/gralloctl/gralloctl"
  "${runfiles}/dist/gralloc-allocator.pc.in"
  "${runfiles}/dist/gralloc-mapper.pc.in"
  "${runfiles}/hal/include/cutils/native_handle.h"
  "${runfiles}/hal/include/android/rect.h"
  "${runfiles}/hal/include/android/hardware/graphics/mapper/IMapper.h"
  "${runfiles}/hal/include/gralloc/allocator.h"
)
bash "${runfiles}/dist/install_tree.sh" "${prefix}" 0.1 "${inputs[@]}"

export PKG_CONFIG_PATH="${prefix}/lib/pkgconfig"
flags="$(pkg-config --cflags --libs gralloc-mapper gralloc-allocator)"
echo "pkg-config: ${flags}"
# Under `--config=asan`/`tsan` the libraries carry a sanitizer runtime,
# which must also be the program's first library.
# (ldd's output is captured first: `ldd | grep -q` under pipefail fails
# whenever grep exits before ldd has written everything.)
sanitize=()
needed="$(ldd "${prefix}/lib/libgralloc_allocator.so")"
if [[ "${needed}" == *libasan* ]]; then
  sanitize=(-fsanitize=address,undefined)
elif [[ "${needed}" == *libtsan* ]]; then
  sanitize=(-fsanitize=thread)
fi
# shellcheck disable=SC2086
gcc -std=c11 -Wall -Wextra -Werror ${sanitize[@]+"${sanitize[@]}"} -o "${TEST_TMPDIR}/program" \
  "${runfiles}/dist/install_test_program.c" ${flags}
# Through the installed service. A socket path must be short.
socket_dir="$(mktemp -d /tmp/gralloc-install-test.XXXXXX)"
service_pid=""
trap 'kill -TERM "${service_pid}" 2>/dev/null || true; rm -rf "${socket_dir}"' EXIT
"${prefix}/bin/gralloc_allocatord" --socket="${socket_dir}/a.sock" &
service_pid=$!
for _ in $(seq 1 200); do
  [[ -S "${socket_dir}/a.sock" ]] && break
  sleep 0.05
done
# The program dlopens the mapper where the allocator says it is: the
# service names the installed one; in-process the allocator library finds
# it beside itself.
mapper="$(realpath "${prefix}/lib/libgralloc_mapper.so")"
"${TEST_TMPDIR}/program" "${socket_dir}/a.sock" "${mapper}"
# And in-process.
"${TEST_TMPDIR}/program" "" "${mapper}"
grep -q "ExecStart=${prefix}/bin/gralloc_allocatord .*--mapper-library=${prefix}/lib/libgralloc_mapper.so" \
  "${prefix}/lib/systemd/system/gralloc-allocatord.service"
# The unit runs the service as the user the sysusers.d file creates, with
# the group the udev rule gives the heaps to.
grep -q "^User=gralloc-allocatord$" \
  "${prefix}/lib/systemd/system/gralloc-allocatord.service"
grep -q "^u gralloc-allocatord " "${prefix}/lib/sysusers.d/gralloc-allocatord.conf"
grep -q 'SUBSYSTEM=="dma_heap", GROUP="gralloc-allocatord"' \
  "${prefix}/lib/udev/rules.d/60-gralloc-allocatord.rules"
kill -TERM "${service_pid}"
wait "${service_pid}"
