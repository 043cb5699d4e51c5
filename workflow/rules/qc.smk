# qc stage: see docs/ARCHITECTURE.md
