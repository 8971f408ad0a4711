"""From attestation to certification: what a salarié's evaluations cover of a titre's blocks.

Read-only for now; each function answers from the database and writes nothing.
"""
