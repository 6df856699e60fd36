"""The built sites the publishing tests read (each built once per run): the test corpus and the edition."""

from tests.support.web import edition_site, site  # noqa: F401 (fixtures)
