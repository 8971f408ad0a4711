"""The life of personal data: the structure's durations (``retention``), the purge (``purge``)."""
