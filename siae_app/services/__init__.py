"""Domain operations: plain functions that flush and never commit (the request commits)."""


class ServiceError(ValueError):
    """A business rule refused the operation; ``message`` is shown to the user in French."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
