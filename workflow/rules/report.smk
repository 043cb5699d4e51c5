# report stage: see docs/ARCHITECTURE.md
