"""Signature scoring and miRNA-target integration (issue 6). Format and methods: docs/signatures.md.

Names are loaded lazily (PEP 562): the Snakefile validates the signature and target files at
start-up, and every SLURM job re-reads the Snakefile, so importing scanpy/scipy here would slow
every job down.
"""

from importlib import import_module

_WHERE = {
    "Member": "definitions", "Signature": "definitions", "SignatureError": "definitions",
    "load_signatures": "definitions", "parse_signatures": "definitions",
    "TargetsError": "integration", "integrate": "integration", "load_targets": "integration",
    "matched_contrasts": "integration", "paired_samples": "integration",
    "match_member": "matching", "match_members": "matching", "split_matrix": "matching",
    "scanpy_score": "scoring", "score_signature": "scoring", "singscore": "scoring",
    "camera_like": "stats", "compare_groups": "stats", "contrast_samples": "stats",
    "permutation_p": "stats",
    "members_table": "tables", "scores_table": "tables", "contrast_tests": "tables",
}
__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
