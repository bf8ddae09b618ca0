"""A segment's postings of its scored fields as arrays, written beside the segment by the
bulk writer and read through a memory map.

Whoosh keeps a term's postings in blocks of 128, each a pickled tuple of document
numbers, weights and the words' positions, deflated. Reading a term back inflates and
unpickles every block, positions included (about 40 µs a block at 10k documents): most
of what a search costs the first time it meets a word (bench/README.md, "The first
sight of a word"). These files hold the same document numbers and weights (float32, as
Whoosh stores them), so a term's postings are two slices of mapped files, shared by the
processes of a host through the page cache.

Files, named after the segment so that Whoosh deletes them with it
(whoosh.index.clean_files):

  <segment>.pa_keys.npy     the terms, b"<field>\\x00<term>", sorted ('S' dtype)
  <segment>.pa_offsets.npy  int64, one more than the keys: term i's postings are
                            [offsets[i], offsets[i + 1])
  <segment>.pa_ids.npy      uint32 document numbers within the segment, ascending per term
  <segment>.pa_weights.npy  float32 weights

A segment without them (written by Whoosh's own writer, or merged by it) is read from
its blocks as before.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np

PARTS = ("keys", "offsets", "ids", "weights")
SEPARATOR = b"\x00"


def scored_fields(schema) -> frozenset[str]:
    """The fields whose postings are written as arrays: those a search scores."""
    return frozenset(name for name, field in schema.items() if field.scorable)


def file_names(segment_id: str) -> dict[str, str]:
    return {part: f"{segment_id}.pa_{part}.npy" for part in PARTS}


def _key(fieldname: str, text: bytes) -> bytes:
    return fieldname.encode() + SEPARATOR + text


@dataclass
class PostingsArraysWriter:
    """Collects a segment's terms in the order they are written (by field, then term)."""

    fields: frozenset[str]
    keys: list[bytes] = field(default_factory=list)
    ids: list[list[int]] = field(default_factory=list)
    weights: list[list[float]] = field(default_factory=list)

    def add(self, fieldname: str, text: bytes, docs: list[int], weights: list[float]) -> None:
        if fieldname in self.fields:
            self.keys.append(_key(fieldname, text))
            self.ids.append(docs)
            self.weights.append(weights)

    def write(self, folder: str, segment_id: str) -> None:
        """Write the four files, each under its name only once complete; nothing for a
        segment without postings in these fields (it is read from its blocks)."""
        if not self.keys:
            return
        order = sorted(range(len(self.keys)), key=self.keys.__getitem__)
        lengths = np.fromiter((len(self.ids[i]) for i in order), dtype=np.int64,
                              count=len(order))
        offsets = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        arrays = {
            "keys": np.array([self.keys[i] for i in order], dtype=np.bytes_),
            "offsets": offsets,
            "ids": np.fromiter(chain.from_iterable(self.ids[i] for i in order),
                               dtype=np.uint32, count=int(offsets[-1])),
            "weights": np.fromiter(chain.from_iterable(self.weights[i] for i in order),
                                   dtype=np.float32, count=int(offsets[-1])),
        }
        for part, name in file_names(segment_id).items():
            path = Path(folder) / name
            partial = partial_path(path)
            with open(partial, "wb") as out:
                np.save(out, arrays[part], allow_pickle=False)
            os.replace(partial, path)


def partial_path(path: Path) -> Path:
    """Where a file is written before it is renamed. Named after the segment too, so that
    what a crash leaves is deleted with the segment, which never reached a TOC
    (whoosh.index.clean_files; it skips names that start with a dot)."""
    return path.with_name(f"{path.name}.partial")


@dataclass(frozen=True)
class PostingsArrays:
    """One segment's postings arrays, mapped read-only."""

    keys: np.ndarray
    offsets: np.ndarray
    ids: np.ndarray
    weights: np.ndarray
    fields: frozenset[str]

    def postings(self, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, weights) of a term; empty when the segment lacks it."""
        key = _key(fieldname, text)
        at = int(np.searchsorted(self.keys, key))
        if at >= len(self.keys) or self.keys[at] != key:
            return self.ids[:0], self.weights[:0]
        start, stop = int(self.offsets[at]), int(self.offsets[at + 1])
        return self.ids[start:stop], self.weights[start:stop]


def open_arrays(folder: str, segment_id: str, fields: frozenset[str]
                ) -> PostingsArrays | None:
    """The segment's postings arrays, or None when it has none (or not all four files).

    A commit that merges the segment away deletes them, also while they are being
    opened: then None too (the segment's postings are read from Whoosh's blocks).
    """
    paths = {part: Path(folder) / name for part, name in file_names(segment_id).items()}
    # Plain arrays over the mapping (np.asarray keeps it open through .base): slicing a
    # np.memmap makes a memmap object per slice, a fifth of a term's lookup.
    try:
        loaded = {part: np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))
                  for part, path in paths.items()}
    except FileNotFoundError:
        return None
    return PostingsArrays(**loaded, fields=fields)
