"""The salarié's own space: who may open it (``access``), the session of one phone
(``cookie``) and what it shows (``content``)."""
