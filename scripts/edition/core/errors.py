"""The project's own exceptions. The command line turns them into messages and exit codes."""


class EditionError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""


class UsageProblem(EditionError):
    """The command was called in a way that cannot work (exit code 2)."""


class InputProblem(EditionError):
    """A file or folder could not be read (exit code 2)."""


class SchemaProblem(EditionError):
    """A schema or stylesheet could not be compiled (exit code 2)."""
