"""Library-preparation protocols: 3' adapter, 5'/3' clips and UMI layout per kit.

Defaults follow nf-core/smrnaseq's protocol profiles (see docs/smallrna.md). The 5' clip is
applied by fastp before adapter removal; the 3' clip is applied after adapter removal (NEXTflex
4N: the 4 random bases sit between the insert and the adapter), in the collapse step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import SmallRnaInputError

TRUSEQ_SMALLRNA = "TGGAATTCTCGGGTGCCAAGG"
QIASEQ_ADAPTER = "AACTGTAGGCACCATCAAT"


@dataclass(frozen=True)
class Protocol:
    name: str
    adapter: str  # 3' adapter sequence, "auto" (detect), or "" (none known: custom)
    clip_5p: int
    clip_3p: int
    umi: bool = False
    poly_a: bool = False  # strip the 3' poly(A) run after adapter trimming (CATS)


PROTOCOLS = {
    "illumina": Protocol("illumina", TRUSEQ_SMALLRNA, 0, 0),
    "nextflex_v3": Protocol("nextflex_v3", TRUSEQ_SMALLRNA, 4, 4),
    "nextflex_v4": Protocol("nextflex_v4", TRUSEQ_SMALLRNA, 0, 0),
    "qiaseq": Protocol("qiaseq", QIASEQ_ADAPTER, 0, 0, umi=True),
    # CATS: 3 template-switch nt, insert, poly(A), adapter. fastp removes the adapter; the exact
    # poly(A) strip happens in the collapse step (fastp's mismatch-tolerant match of an A-run
    # adapter also eats insert bases: "GA" + A-run loses the G)
    "cats": Protocol("cats", "GATCGGAAGAGCACACGTCTG", 3, 0, poly_a=True),
    "custom": Protocol("custom", "", 0, 0),
}

_ADAPTER_RE = re.compile(r"^[ACGTN]+$")


def _clip(value, key: str, where: str) -> int | None:
    if value is None or (isinstance(value, float) and value != value) or str(value).strip() == "":
        return None
    try:
        number = int(float(str(value)))
    except ValueError:
        raise SmallRnaInputError(f"{where}: {key} {value!r} is not a number; give a length in nt") from None
    if number < 0 or number > 50:
        raise SmallRnaInputError(f"{where}: {key} {number} is out of range; give 0-50 nt")
    return number


def resolve_protocol(
    protocol: str, adapter: str = "", clip_5p=None, clip_3p=None, where: str = "units.tsv"
) -> Protocol:
    """The effective protocol of one unit: kit defaults, overridden by explicit unit columns.

    ``adapter`` may be a sequence (U is read as T), ``auto`` or empty (= kit default).
    """
    if protocol not in PROTOCOLS:
        raise SmallRnaInputError(
            f"{where}: unknown protocol {protocol!r}; use one of {', '.join(PROTOCOLS)}"
        )
    base = PROTOCOLS[protocol]
    adapter = (adapter or "").strip()
    if adapter.lower() == "auto":
        adapter = "auto"
    elif adapter:
        adapter = adapter.upper().replace("U", "T")
        if not _ADAPTER_RE.match(adapter):
            raise SmallRnaInputError(
                f"{where}: adapter {adapter!r} is not a DNA sequence; give ACGT letters or 'auto'"
            )
    else:
        adapter = base.adapter
    if not adapter:
        raise SmallRnaInputError(
            f"{where}: protocol {protocol} needs an adapter; give the 3' adapter sequence or 'auto'"
        )
    c5 = _clip(clip_5p, "clip_5p", where)
    c3 = _clip(clip_3p, "clip_3p", where)
    return Protocol(
        protocol,
        adapter,
        base.clip_5p if c5 is None else c5,
        base.clip_3p if c3 is None else c3,
        base.umi,
        base.poly_a,
    )
