# stromir quick start: `make demo` runs the workflow on the bundled test data, `make test` runs
# the test suite. Both install what is missing first (bin/install) and are fast the second time.
CORES ?= 2
SNAKEMAKE := .venv/bin/snakemake

.PHONY: demo test install install-test dry-run lint report clean

demo: install
	@bin/unlock-if-stale
	$(SNAKEMAKE) --cores $(CORES)
	$(SNAKEMAKE) --cores 1 --report results/report.html
	@echo ""
	@echo "stromir: results are in results/ (counts: results/smallrna/counts, results/rnaseq/counts;"
	@echo "  DE: results/de; signatures: results/signatures; MultiQC: results/qc/multiqc_report.html)"
	@echo "stromir: report: results/report.html"

# pytest exits 5 when it collects no test: that is a failure, said plainly.
test: install-test
	.venv/bin/python -m pytest; status=$$?; \
	if [ $$status = 5 ]; then echo "make test: pytest collected no tests" >&2; fi; exit $$status

install:
	@bin/install

install-test:
	@bin/install --test

dry-run: install
	$(SNAKEMAKE) -n --cores $(CORES)

lint: install
	$(SNAKEMAKE) --lint
	.venv/bin/snakefmt --check Snakefile workflow

clean:
	rm -rf results logs .snakemake/incomplete
