import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from helpers.chunked import take_from_chunks


def _chunks(texts: list[str | None], sizes: list[int]) -> list[pa.Array]:
    out, at = [], 0
    for size in sizes:
        out.append(pa.array(texts[at:at + size], type=pa.large_string()))
        at += size
    return out


TEXTS = ["Lakeport Herald", None, "", "Valley Post", "ridge", "a" * 50, "ß", "x"]


@pytest.mark.parametrize("sizes", [[8], [3, 0, 5], [1] * 8, [0, 8]])
@pytest.mark.parametrize("positions", [[], [0], [7, 6, 5, 4, 3, 2, 1, 0], [3, 3, 1, 7, 0], list(range(8))])
@pytest.mark.parametrize("slice_rows", [1, 2, 3, 2048])
def test_taken_in_slices_equals_arrows_take_of_the_joined_column(sizes, positions, slice_rows):
    chunks = _chunks(TEXTS, sizes)
    got = take_from_chunks(chunks, positions, slice_rows=slice_rows)
    expected = pa.chunked_array(chunks, type=pa.large_string()).take(pa.array(positions, type=pa.int64()))
    assert got.type == pa.large_string()
    assert got.to_pylist() == expected.to_pylist() == [TEXTS[p] for p in positions]
    assert all(len(c) <= slice_rows for c in got.chunks)


def test_positions_outside_the_chunks_are_refused():
    with pytest.raises(IndexError):
        take_from_chunks(_chunks(TEXTS, [4, 4]), [8])
    with pytest.raises(IndexError):
        take_from_chunks(_chunks(TEXTS, [4, 4]), np.array([-1]))
    with pytest.raises(ValueError):
        take_from_chunks([], [])


@pytest.mark.parametrize("dtype", ["str", "int64", object])
def test_a_series_taken_from_its_chunks_is_the_series_taken(dtype):
    from helpers.run.engine import _taken

    values = {"str": ["b", None, "a", "c"], "int64": [3, 1, 2, 0], object: ["b", None, "a", "c"]}[dtype]
    pieces = [pd.Series(values[:1], dtype=dtype), pd.Series(values[1:], dtype=dtype)]
    series = pd.concat(pieces, ignore_index=True)
    for at in (np.array([3, 0, 2, 1]), np.array([], dtype=np.int64), np.array([1, 1])):
        got, expected = _taken(series, at), series.take(at)
        assert got.dtype == expected.dtype
        pd.testing.assert_extension_array_equal(pd.array(got.array), pd.array(expected.array))
