# smallrna stage: see docs/ARCHITECTURE.md
