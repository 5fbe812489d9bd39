from __future__ import annotations

import hashlib

from pipeline.common.ids import file_sha256, short_hash, short_id


def test_short_id_is_the_short_hash_of_the_parts_joined_by_a_bar():
    assert short_id("doc", 3, "x") == short_hash("doc|3|x") == hashlib.sha256(b"doc|3|x").hexdigest()[:16]
    assert short_hash(b"bytes") == hashlib.sha256(b"bytes").hexdigest()[:16]
    assert short_id("a", "b") != short_id("a|b", "")


def test_file_sha256_reads_the_whole_file(tmp_path):
    path = tmp_path / "big.bin"
    data = b"x" * (3 << 20) + b"tail"
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()
