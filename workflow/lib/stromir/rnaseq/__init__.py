"""Bulk RNA-seq logic: strandedness inference, input checks, aligner parameters, QC and counts."""
