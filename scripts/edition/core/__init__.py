"""Core: what every stage shares. The one XML parser (xmlio), the corpus model and pointer resolution
(corpus), findings and their formats (report), the one Saxon processor (saxon), worker processes (workers),
the reading of a text (textual), code fingerprints (fingerprint), resources and the exceptions. Imports no
other stage."""
