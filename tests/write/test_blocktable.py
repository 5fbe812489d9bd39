from __future__ import annotations

import pickle

from pipeline.records import Block
from pipeline.write.blocktable import BlockTable, StrippedBlocks


def test_removed_blocks_are_counted_and_tabled_but_only_kept_ones_stay_as_objects():
    table = BlockTable()
    table.add(
        [
            Block("a", 0, "paragraph", "Calves lift the heel.", kept=True),
            Block("a", 1, "paragraph", "Accept cookies", kept=False, removal_reason="cookie_notice"),
            Block("a", 2, "paragraph", "Sign up now", kept=False, removal_reason="newsletter"),
        ]
    )
    table.add([])
    table.add([Block("b", 0, "heading", "Hamstrings", kept=True, section_path=["Hamstrings"])])
    assert [b.text for b in table.kept] == ["Calves lift the heel.", "Hamstrings"]
    assert (table.n_kept, table.n_removed) == (2, 2)
    assert table.kept_per_doc == {"a": 1, "b": 1} and table.removed_per_doc == {"a": 2}
    assert table.kept_chars_per_doc["a"] == len("Calves lift the heel.")
    arrow = table.table()
    assert arrow.num_rows == 4
    assert arrow.column("removal_reason").to_pylist() == [None, "cookie_notice", "newsletter", None]
    assert arrow.column("section_path").to_pylist()[3] == ["Hamstrings"]


def test_stripped_blocks_add_up_to_the_same_table_as_the_blocks_they_hold():
    blocks = [
        Block("a", 0, "heading", "Calves", kept=True, section_path=["Calves"]),
        Block("a", 1, "paragraph", "Share this", kept=False, removal_reason="share_buttons"),
        Block("b", 0, "paragraph", "Accept cookies", kept=False, removal_reason="cookie_notice"),
    ]
    stripped = StrippedBlocks.of(blocks)
    assert ([b.text for b in stripped.kept], stripped.removed) == (["Calves"], {"a": 1, "b": 1})
    from_objects, from_stripped = BlockTable(), BlockTable()
    from_objects.add(blocks)
    from_stripped.add(pickle.loads(pickle.dumps(stripped)))  # as the cache gives it back
    assert from_stripped.table().equals(from_objects.table())
    assert (from_stripped.kept, from_stripped.removed_per_doc) == (from_objects.kept, from_objects.removed_per_doc)
    assert from_stripped.kept_chars_per_doc == {"a": len("Calves")}


def test_an_empty_table_still_has_the_blocks_schema():
    from pipeline.write.schemas import BLOCKS

    assert BlockTable().table().schema == BLOCKS


def test_the_table_comes_in_document_order_whatever_order_documents_arrived_in():
    table = BlockTable()
    for doc in ("c", "a", "b"):
        table.add([Block(doc, i, "paragraph", f"{doc}{i}", kept=True) for i in range(2)])
    assert table.table().column("text").to_pylist() == ["a0", "a1", "b0", "b1", "c0", "c1"]
