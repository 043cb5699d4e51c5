"""One-page summary per contrast (static HTML, no scripts) and the summary table of all contrasts."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

SUMMARY_COLUMNS = ["assay", "contrast", "test", "reference", "n_test", "n_reference",
                   "features_tested", "significant_up", "significant_down", "signatures_tested",
                   "signatures_matching", "signatures_significant_matching"]


def de_counts(de: pd.DataFrame, alpha: float) -> dict:
    padj = pd.to_numeric(de["padj"], errors="coerce")
    lfc = pd.to_numeric(de["log2FoldChange"], errors="coerce")
    significant = padj < alpha
    return {"features_tested": int(padj.notna().sum()),
            "significant_up": int((significant & (lfc > 0)).sum()),
            "significant_down": int((significant & (lfc < 0)).sum())}


def summary_row(contrast: dict, test: list, reference: list, de: pd.DataFrame, tests: pd.DataFrame,
                alpha: float) -> dict:
    rows = tests[(tests["assay"] == contrast["assay"]) & (tests["contrast"] == contrast["name"])]
    scorable = rows[rows["scorable"].astype(str).str.lower() == "true"]
    matches = scorable["direction_matches"].astype(str).str.lower() == "true"
    significant = pd.to_numeric(scorable["singscore_welch_p"], errors="coerce") < alpha
    row = {"assay": contrast["assay"], "contrast": contrast["name"], "test": contrast["test"],
           "reference": contrast["reference"], "n_test": len(test), "n_reference": len(reference),
           "signatures_tested": len(scorable), "signatures_matching": int(matches.sum()),
           "signatures_significant_matching": int((matches & significant).sum())}
    row.update(de_counts(de, alpha))
    return row


def _table(frame: pd.DataFrame, empty: str) -> str:
    if frame is None or frame.empty:
        return f"<p><em>{html.escape(empty)}</em></p>"
    return frame.to_html(index=False, na_rep="NA", float_format=lambda x: f"{x:.3g}", border=0,
                         classes="t", escape=True)


def render_contrast_page(contrast: dict, test: list, reference: list, de: pd.DataFrame,
                         tests: pd.DataFrame, integration: pd.DataFrame, qc: pd.DataFrame | None,
                         alpha: float, top: int = 10) -> str:
    """Self-contained HTML page (inline CSS, no JavaScript) summarising one contrast."""
    counts = de_counts(de, alpha)
    name = html.escape(f"{contrast['assay']}: {contrast['name']}")
    top_table = de.assign(padj=pd.to_numeric(de["padj"], errors="coerce")).dropna(subset=["padj"])
    top_table = top_table.sort_values("padj").head(top)
    top_table = top_table[[c for c in ("feature", "feature_name", "baseMean", "log2FoldChange", "padj")
                           if c in top_table.columns]]
    rows = tests[(tests["assay"] == contrast["assay"]) & (tests["contrast"] == contrast["name"])]
    signature_cols = ["signature", "n_present", "n_members", "missing_members", "expected_direction",
                      "observed_direction", "direction_matches", "verdict", "singscore_difference",
                      "singscore_welch_p", "singscore_mannwhitney_p", "camera_p", "permutation_p"]
    signature_table = rows[[c for c in signature_cols if c in rows.columns]]
    column = "smallrna_contrast" if contrast["assay"] == "smallrna" else "rnaseq_contrast"
    links = integration[integration[column] == contrast["name"]] if len(integration) else integration
    links = links[[c for c in ("mirna", "target", "mirna_log2FoldChange", "target_log2FoldChange",
                               "anticorrelated", "paired_spearman_r", "n_paired_samples", "note")
                   if c in links.columns]]
    qc_table = None
    if qc is not None and "sample" in qc.columns:
        qc_table = qc[qc["sample"].isin(test + reference)]
    filt = html.escape(str(contrast.get("filter") or "none"))
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>stromir summary: {name}</title>",
        "<style>body{font-family:sans-serif;margin:1.5em;max-width:70em}"
        "table.t{border-collapse:collapse;font-size:0.85em;margin-bottom:1em}"
        "table.t td,table.t th{border:1px solid #ccc;padding:2px 6px}h2{margin-top:1.2em}</style>",
        "</head><body>",
        f"<h1>Contrast summary: {name}</h1>",
        f"<p><b>{html.escape(str(contrast['test']))}</b> ({len(test)} samples: "
        f"{html.escape(', '.join(test))}) vs <b>{html.escape(str(contrast['reference']))}</b> "
        f"({len(reference)} samples: {html.escape(', '.join(reference))}); factor "
        f"<code>{html.escape(str(contrast['factor']))}</code>, filter <code>{filt}</code>.</p>",
        "<h2>Differential expression</h2>",
        f"<p>{counts['features_tested']} features tested; at padj &lt; {alpha}: "
        f"{counts['significant_up']} up, {counts['significant_down']} down.</p>",
        _table(top_table, "no feature with an adjusted p value"),
        "<h2>Signatures</h2>",
        _table(signature_table, "no signature defined for this assay"),
        "<h2>miRNA-target integration</h2>",
        _table(links, "no matched contrast in the other assay, or no interaction"),
        "<h2>Sample QC</h2>",
        _table(qc_table, "no QC summary for this assay"),
        "</body></html>",
    ]
    return "\n".join(parts)


def finite(value) -> bool:
    try:
        return bool(np.isfinite(float(value)))
    except (TypeError, ValueError):
        return False
