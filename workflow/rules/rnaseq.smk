# rnaseq stage: see docs/ARCHITECTURE.md
