"""Source addresses and splits for `corpus/real`.

An item's split follows from its source alone, so every item paraphrased from one page (or one
GitHub repository or gist) lands in the same split, and nobody picks which messages are tested:

    split = "test" if sha256(normalised source_url) falls in the lowest 42% else "train"

`normalise` is the same normalisation as ../shared/tools/check_sources.py (scheme, "www.",
query, fragment and trailing slash dropped; GitHub and gist addresses cut to the repository).

    python corpus/tools/sources.py URL [URL ...]     # print the split of each address

It also says RESERVED for an address that ../shared/reserved-sources.txt keeps for blind
evaluation (when that file is there): such a source must not be used.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from urllib.parse import urlsplit

TEST_SHARE = 42  # percent of the hash space that goes to the test split


def normalise(url: str) -> str:
    parts = urlsplit(url.strip() if "://" in url else "https://" + url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    segs = [s for s in parts.path.split("/") if s]
    if host in ("github.com", "raw.githubusercontent.com", "gist.github.com"):
        segs = segs[:2]
        host = "github.com" if host != "gist.github.com" else host
    return (host + "/" + "/".join(segs)).lower().rstrip("/")


def split_for(url: str) -> str:
    h = int(hashlib.sha256(normalise(url).encode()).hexdigest()[:12], 16)
    return "test" if h % 100 < TEST_SHARE else "train"


def reserved_digests() -> set[str]:
    """Hashes of reserved sources, from the shared folder beside the repository (if present)."""
    path = Path(__file__).resolve().parents[3] / "shared" / "reserved-sources.txt"
    if not path.is_file():
        return set()
    return {ln.split()[0] for ln in path.read_text().splitlines() if ln.strip() and not ln.startswith("#")}


def digest(url: str) -> str:
    return hashlib.sha256(normalise(url).encode()).hexdigest()[:20]


if __name__ == "__main__":
    reserved = reserved_digests()
    for arg in sys.argv[1:]:
        flag = "RESERVED (do not use)" if digest(arg) in reserved else split_for(arg)
        print(flag, normalise(arg))
