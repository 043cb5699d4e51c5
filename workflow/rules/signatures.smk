# signatures stage: see docs/ARCHITECTURE.md
