"""What a structure reports to its funders, computed from what its teams record.

- ``calendar``: months, working days, the share of a year a period covers.
- ``annexes``: the annexes financières of the convention (ETP, period, targets).
- ``paid_hours``: the hours paid per contract and month (the contract's default, or what the
  structure entered with a motif) and the ETP they consume.
- ``exits``: which sorties count (the minimal stay) and in which category.
- ``indicators``: the figures of a year (the annual report's JSON keys).
- ``followup``: the monthly follow-up of an annex (one line per contract) and what is missing.
"""
