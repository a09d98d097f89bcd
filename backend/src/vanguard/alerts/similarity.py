"""Text similarity for Chinese complaints, with nothing downloaded: character n-gram shingles of the
normalised text, exact Jaccard, and MinHash + LSH (datasketch) to find candidate pairs among many texts
without comparing every pair. Pure functions; the service feeds them rows."""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

from datasketch import MinHash, MinHashLSH

from vanguard.core import policy


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), lower case, and only letters, digits and CJK
    characters kept: punctuation and spaces say nothing about what a complaint is about."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if ch.isalnum())


def shingles(text: str, sizes: Sequence[int] = policy.ALERTS_NGRAM_SIZES) -> frozenset[str]:
    """The set of character n-grams of the normalised text, for each n in `sizes`; a text shorter than
    the smallest n is its own single shingle."""
    norm = normalise(text)
    out = {norm[i : i + n] for n in sizes for i in range(len(norm) - n + 1)}
    if not out and norm:
        out.add(norm)
    return frozenset(out)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def near_duplicate_groups(
    texts: Iterable[tuple[int, str]],
    *,
    threshold: float = policy.ALERTS_DUPLICATE_JACCARD,
    num_perm: int = policy.ALERTS_MINHASH_PERMUTATIONS,
) -> list[list[int]]:
    """Groups (two or more ids, ascending; groups ordered by their first id) of texts whose shingle sets
    are linked by a chain of pairs with Jaccard ≥ `threshold`. LSH proposes the candidate pairs; each is
    confirmed by the exact Jaccard before union-find joins it."""
    ids: list[int] = []
    sets: list[frozenset[str]] = []
    for key, text in texts:
        s = shingles(text)
        if s:
            ids.append(key)
            sets.append(s)
    if len(ids) < 2:
        return []
    # CRC-32 of each shingle (fast, deterministic); MinHash's own permutations do the mixing.
    hashes = MinHash.bulk([[sh.encode() for sh in s] for s in sets], num_perm=num_perm, hashfunc=zlib.crc32)
    # LSH tuned below the threshold, so borderline pairs are still proposed (then confirmed).
    lsh: Any = MinHashLSH(threshold=threshold * 0.8, num_perm=num_perm)
    uf = _UnionFind()
    for i, h in enumerate(hashes):
        for j in lsh.query(h):
            if jaccard(sets[i], sets[j]) >= threshold:
                uf.union(ids[i], ids[j])
        lsh.insert(i, h)
    groups: dict[int, list[int]] = {}
    for key in ids:
        if key in uf.parent:
            groups.setdefault(uf.find(key), []).append(key)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])
