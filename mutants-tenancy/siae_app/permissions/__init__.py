"""Who may do what (``policy``: roles → permissions) and which rows they see (``scopes``)."""
