"""``edition lsp``: the edition's checks and registers in the encoder's editor (Language Server Protocol)."""
