"""Stage 1, ingest: discover the files under the raw folder, read and decode them (`read.py`)."""
