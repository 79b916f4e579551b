"""Taking rows of a large Arrow column in a new order without a third copy of it.

Arrow's own ``take`` on a chunked array first joins all its chunks into one array: a column as
large as a corpus's text is then in memory three times (its chunks, the joined array, the rows
taken). :func:`take_from_chunks` takes a slice of the wanted positions at a time from each chunk
it touches, so the column is held twice at most: as it is, and in its new order.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pyarrow as pa

#: Positions taken together: each slice's rows are gathered chunk by chunk, then put in order.
SLICE_ROWS = 2048


def take_from_chunks(chunks: Sequence[pa.Array], positions: Iterable[int], *,
                     slice_rows: int = SLICE_ROWS) -> pa.ChunkedArray:
    """The values at ``positions`` (0-based over the chunks laid end to end), in that order.

    Inputs: ``chunks``, Arrow arrays of one type (at least one, possibly empty); ``positions``,
    integers in ``[0, total length)``, in any order, repeats allowed. Returns a chunked array of
    the chunks' type, one chunk per ``slice_rows`` positions (no chunk when there is no position).
    Raises ``IndexError`` for a position outside the chunks."""
    if not chunks:
        raise ValueError("take_from_chunks needs at least one chunk (for the type)")
    kind = chunks[0].type
    wanted = np.asarray(list(positions) if not isinstance(positions, np.ndarray) else positions, dtype=np.int64)
    starts = np.cumsum([0] + [len(chunk) for chunk in chunks])
    if len(wanted) and (wanted.min() < 0 or wanted.max() >= starts[-1]):
        raise IndexError(f"a position outside the {int(starts[-1])} values")
    pieces: list[pa.Array] = []
    for lo in range(0, len(wanted), slice_rows):
        want = wanted[lo:lo + slice_rows]
        chunk_of = np.searchsorted(starts, want, side="right") - 1
        by_chunk = np.argsort(chunk_of, kind="stable")
        grouped = pa.concat_arrays([
            chunks[k].take(pa.array(want[by_chunk][chunk_of[by_chunk] == k] - starts[k]))
            for k in np.unique(chunk_of)])
        # grouped[i] is want[by_chunk[i]]: put back in the order asked
        pieces.append(grouped.take(pa.array(np.argsort(by_chunk))))
    return pa.chunked_array(pieces, type=kind)
