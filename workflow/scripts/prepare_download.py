"""Download one pinned reference file, print its SHA-256 and check it against config.

The file is written under a temporary name and renamed only after the checksum passed, so a
failed or corrupt download never looks complete.
"""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import os
import shutil
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

from stromir import references  # noqa: E402

url = snakemake.params.url
out = Path(snakemake.output.file)
tmp = out.with_name(out.name + ".part")
out.parent.mkdir(parents=True, exist_ok=True)
print(f"downloading {url}", file=sys.stderr)
try:
    with urllib.request.urlopen(url, timeout=300) as response, open(tmp, "wb") as handle:
        shutil.copyfileobj(response, handle)
except OSError as error:
    tmp.unlink(missing_ok=True)
    errors.fail(f"cannot download {url}: {error}; check the network or set "
                f"references: urls: {snakemake.params.key} to a mirror")
try:
    digest = references.verify_checksum(
        tmp, snakemake.params.sha256, key=f"references: checksums: {snakemake.params.key}"
    )
except references.ReferenceDataError as error:
    tmp.unlink(missing_ok=True)
    errors.fail(error)
print(f"sha256 {digest}  {url}", file=sys.stderr)
if not snakemake.params.sha256:
    print(
        f"WARNING: no checksum configured; add `{snakemake.params.key}: {digest}` under "
        "references: checksums to pin this file",
        file=sys.stderr,
    )
os.replace(tmp, out)
