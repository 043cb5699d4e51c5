"""Differential expression with pydeseq2: design checks, size factors, tests, tables, plots.

Modules: `design` (contract validation of the `contrasts:` config), `normalize` (pre-filter and
size factors: median of ratios, spike-ins, control features), `deseq` (pydeseq2 per contrast,
VST, result tables), `matrix` (count-matrix reading), `plots`, `anndata_io` and `truth`
(planted-truth evaluation).
"""
