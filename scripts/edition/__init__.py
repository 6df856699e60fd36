"""Toolchain of the digital edition of documents of the international communist and workers' movement.

The package validates TEI P5 documents (RELAX NG, Schematron, corpus checks) and publishes them (web, plain
text, print) with XSLT 3.0 through saxonche. ``edition.cli`` is the command line; the modules do the work.
"""

__version__ = "0.1.0"
