"""One-line errors for rule scripts.

A job that meets bad input prints exactly one line, `stromir: error: <culprit>: <problem>; <fix>`,
to its log and stderr, and exits non-zero; Snakemake then deletes the job's outputs, so nothing is
left looking complete.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


class InputError(ValueError):
    """Bad user input: the message names the file, sample, column or key, and the fix."""


def fail(message: str, stream=None) -> None:
    """Print the one-line error and exit with status 1."""
    line = " ".join(str(message).split())
    print(f"stromir: error: {line}", file=stream or sys.stderr, flush=True)
    raise SystemExit(1)


def run_main(main: Callable[[], object]) -> None:
    """Run a rule script's main(); turn InputError into the one-line error and exit 1."""
    try:
        main()
    except InputError as error:
        fail(str(error))
