"""Signature scoring and miRNA-target integration (issue 6). Format and methods: docs/signatures.md."""

from .definitions import Member, Signature, SignatureError, load_signatures, parse_signatures
from .integration import TargetsError, integrate, load_targets, matched_contrasts, paired_samples
from .matching import match_member, match_members, split_matrix
from .scoring import scanpy_score, score_signature, singscore
from .stats import camera_like, compare_groups, contrast_samples, permutation_p
from .tables import members_table, scores_table, contrast_tests

__all__ = [
    "Member", "Signature", "SignatureError", "TargetsError", "camera_like", "compare_groups",
    "contrast_samples", "integrate", "load_signatures", "load_targets", "match_member",
    "match_members", "matched_contrasts", "members_table", "paired_samples", "parse_signatures",
    "permutation_p", "scanpy_score", "score_signature", "scores_table", "singscore", "split_matrix",
    "contrast_tests",
]
