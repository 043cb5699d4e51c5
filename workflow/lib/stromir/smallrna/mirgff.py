"""mirGFF3 (miRTop) output of the isomiRs of one sample."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .annotate import MatureHit


def cigar(read: str, hit: MatureHit, hairpin: str) -> str:
    """miRTop-style CIGAR: runs of matches as <n>M, a mismatching read base as the base itself
    (templated mismatches and non-templated 3' bases alike)."""
    ref = hairpin[hit.pos : hit.pos + hit.templated]
    out = []
    run = 0
    for i, base in enumerate(read):
        if i < hit.templated and base == ref[i]:
            run += 1
            continue
        if run:
            out.append(f"{run}M")
            run = 0
        out.append(base)
    if run:
        out.append(f"{run}M")
    return "".join(out)


def write_mirgff3(
    handle,
    sample: str,
    isomirs: Iterable[tuple],
    hairpins: dict[str, str],
    database: str = "miRBasev22",
    uid: Callable[[str], str] | None = None,
) -> int:
    """Write the unambiguously assigned isomiRs (seq, feature, variant, count, hit) as mirGFF3 1.x.

    ``uid`` maps a read sequence to miRTop's UID (mirtop.mirna.realign.make_id when available).
    Ambiguously assigned sequences and (with ``uid``) reads containing N are left out.
    Returns the number of records.
    """
    handle.write("## mirGFF3. VERSION 1.1\n")
    handle.write(f"## source-ontology: {database} doi:10.25504/fairsharing.hmgte8\n")
    handle.write("## TOOLS: stromir\n")
    handle.write(f"## COLDATA: {sample}\n")
    n = 0
    for seq, feature, variant, count, hit in sorted(isomirs, key=lambda r: (r[4].ref, r[4].pos, r[0]) if r[4] else ("", 0, r[0])):
        if hit is None or (uid is not None and "N" in seq):
            continue  # ambiguous assignment, or an N that miRTop UIDs cannot encode
        kind = "ref_miRNA" if variant == "NA" else "isomiR"
        attrs = []
        if uid is not None:
            attrs.append(f"UID={uid(seq)}")
        attrs += [
            f"Read={seq}",
            f"Name={feature}",
            f"Parent={hit.ref}",
            f"Variant={variant}",
            f"Cigar={cigar(seq, hit, hairpins[hit.ref])}",
            f"Expression={count}",
            "Filter=Pass",
            "Hits=1",
        ]
        start = hit.pos + 1
        end = hit.pos + len(seq)
        handle.write(
            f"{hit.ref}\t{database}\t{kind}\t{start}\t{end}\t.\t+\t.\t{'; '.join(attrs)}\n"
        )
        n += 1
    return n
