"""The web edition: the site model (model), the page flow (render), record mentions written by Python
(mentions), standalone TEI downloads (standalone)."""
