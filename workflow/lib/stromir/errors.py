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


def fail(message: object) -> None:
    """Print the one-line error to the job's log and to the console, then exit with status 1.

    Rule scripts point sys.stderr at their log file; sys.__stderr__ is still the console
    Snakemake shows, so the user sees the line without opening the log.
    """
    line = f"stromir: error: {' '.join(str(message).split())}"
    print(line, file=sys.stderr, flush=True)
    if sys.__stderr__ is not None and sys.stderr is not sys.__stderr__:
        print(line, file=sys.__stderr__, flush=True)
    raise SystemExit(1)


def run_main(main: Callable[[], object]) -> None:
    """Run a rule script's main(); turn InputError into the one-line error and exit 1."""
    try:
        main()
    except InputError as error:
        fail(str(error))
