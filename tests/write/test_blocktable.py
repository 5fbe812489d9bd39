from __future__ import annotations

import pickle

from pipeline.records import Block
from pipeline.write.blocktable import BlockTable, StrippedBlocks


def test_removed_blocks_are_counted_and_tabled_and_kept_texts_are_looked_up_by_block():
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
    assert table.texts.get(("a", 0)) == "Calves lift the heel."
    assert table.texts.get(("b", 0)) == "Hamstrings"
    assert table.texts.get(("a", 1)) is None  # removed: never quoted
    assert table.texts.get(("c", 0)) is None
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
    assert from_stripped.removed_per_doc == from_objects.removed_per_doc == {"a": 1, "b": 1}
    assert from_stripped.kept_chars_per_doc == from_objects.kept_chars_per_doc == {"a": len("Calves")}
    assert from_stripped.texts.get(("a", 0)) == "Calves"


def test_kept_blocks_come_back_from_the_rows_as_the_objects_they_were():
    blocks = [
        Block("a", 0, "heading", "Calves", kept=True, section_path=["Calves"], line_start=1, line_end=1),
        Block("a", 1, "paragraph", "Share this", kept=False, removal_reason="share_buttons"),
        Block("a", 2, "list_item", "Soleus raises", kept=True, section_path=["Calves"], line_start=3, line_end=4),
    ]
    restored = pickle.loads(pickle.dumps(StrippedBlocks.of(blocks)))
    assert restored.kept == [blocks[0], blocks[2]]
    assert restored.kept_counts == {"a": 2}


def test_an_empty_table_still_has_the_blocks_schema():
    from pipeline.write.schemas import BLOCKS

    assert BlockTable().table().schema == BLOCKS


def test_the_table_comes_in_document_order_whatever_order_documents_arrived_in():
    table = BlockTable()
    for doc in ("c", "a", "b"):
        table.add([Block(doc, i, "paragraph", f"{doc}{i}", kept=True) for i in range(2)])
    assert table.table().column("text").to_pylist() == ["a0", "a1", "b0", "b1", "c0", "c1"]


def test_a_document_added_again_after_a_lookup_has_all_its_texts():
    table = BlockTable()
    table.add([Block("g", 0, "paragraph", "Calves lift the heel.", kept=True)])
    assert table.texts.get(("g", 1)) is None
    table.add([Block("g", 1, "paragraph", "Soleus raises help.", kept=True)])
    assert (table.texts.get(("g", 0)), table.texts.get(("g", 1))) == ("Calves lift the heel.", "Soleus raises help.")


def test_the_blocks_table_has_one_chunk_per_document_however_its_rows_arrived():
    # Parquet bytes depend on the chunks, and the writer keeps an Arrow table's chunks: a build
    # from the cache or from workers must chunk its blocks as a build that ran every step here.
    from pipeline.write.parquet import to_table

    documents = {
        doc: [Block(doc, i, "paragraph", f"{doc} {i}", kept=i % 2 == 0) for i in range(n)]
        for doc, n in (("c", 3), ("a", 2), ("b", 4))
    }
    direct, served = BlockTable(), BlockTable()
    for blocks in documents.values():
        direct.add(blocks)
        served.add(pickle.loads(pickle.dumps(StrippedBlocks.of(blocks))))  # as the cache or a worker gives it
    layouts = [[len(chunk) for chunk in table.table().column("doc_id").chunks] for table in (direct, served)]
    assert layouts[0] == layouts[1] == [2, 4, 3]
    written = to_table("blocks", served.table())
    assert [len(chunk) for chunk in written.column("text").chunks] == [2, 4, 3]
