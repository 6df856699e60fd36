"""The built sites the publishing tests read (each built once per run): the test corpus and the edition; and
a code fingerprint computed anew around the tests that change code or stylesheets."""

from tests.support.incremental import fresh_fingerprint  # noqa: F401 (fixture)
from tests.support.web import edition_site, site  # noqa: F401 (fixtures)
