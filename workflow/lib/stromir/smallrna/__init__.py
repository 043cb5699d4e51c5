"""Small-RNA quantification: protocols, UMIs, collapsing, hierarchical annotation, merging, QC.

Every function here is pure (inputs in, values out) or does one clearly named file operation, so
the rule scripts in workflow/scripts/smallrna_*.py stay thin and every step is unit-tested.
"""


class SmallRnaInputError(ValueError):
    """Bad small-RNA input; the message is one line that names the file or key and the fix."""
