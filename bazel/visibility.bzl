"""Who may depend on the allocator's and the mapper's code.

The allocator (allocator/) and the mapper (mapper/) are two sides of the
handle: they share only hal/, so a process that maps buffers never links the
negotiation, the heaps or the service, and the allocator never links the
mapper. Their production targets are visible to the tools, tests, benchmarks
and the dist package, and never to each other. Tests that need the other
side (a mapper test laying out buffers, a service test mapping them) go
through the testonly aliases, which only testonly targets can use.

The public ABI targets (//allocator:client, //mapper:mapper and its shared
library) are visible to everyone, so tools/check_layering.sh asks Bazel that
no production target on one side depends on the other.
"""

_SHARED = [
    "//bench:__subpackages__",
    "//dist:__subpackages__",
    "//tests:__subpackages__",
    "//tools:__subpackages__",
]

ALLOCATOR_USERS = ["//allocator:__subpackages__"] + _SHARED

MAPPER_USERS = ["//mapper:__subpackages__"] + _SHARED
