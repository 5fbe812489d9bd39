"""Stage 2, strip boilerplate: each ingested document becomes blocks, kept or removed with a reason.

HTML goes through trafilatura (`html.py`); text dumps through our own block classifier
(`textclean.py`). `stats.py` counts what was kept and removed, per reason.
"""
