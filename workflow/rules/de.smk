# de stage: see docs/ARCHITECTURE.md
