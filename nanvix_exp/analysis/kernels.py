"""The kernel variants as the report shows them: their names in the kernel's own order, and their plot style.

The names are read from the kernel's own definition, never written here; the
first variant is the reference build the others are compared with.
"""

from __future__ import annotations

PALETTE = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown")
"""Line colours of the variants, in their order."""


def kernel_names() -> tuple[str, ...]:
    """Names of the kernel variants (``kernel.name`` values), the reference build first."""
    from nanvix_exp.kernel.spec import Variant

    return tuple(variant.value for variant in Variant)


KERNEL_STYLE = {name: (PALETTE[i % len(PALETTE)], f"kernel {name}") for i, name in enumerate(kernel_names())}
"""(colour, legend label) of each kernel variant."""
