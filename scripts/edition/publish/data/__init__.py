"""The exchange formats of the edition (``site/data/``): linked data (RDF in Turtle and JSON-LD), CMIF for the
letters, BEACON files of the register pages by external identifier, and a page listing them."""
