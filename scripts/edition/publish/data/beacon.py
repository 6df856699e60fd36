"""BEACON (placeholder until written)."""


def kinds(source):
    return []


def beacon(source, base, kind):
    raise NotImplementedError
