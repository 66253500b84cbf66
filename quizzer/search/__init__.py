"""The browser's query language (modelled on Anki's): parsed in ``query``, compiled to portable SQL in ``sql``."""
