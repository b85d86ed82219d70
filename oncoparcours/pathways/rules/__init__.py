"""The PSGAC rules as pure functions: plain values in, failures out, no database.

Every check returns all the failures it finds (each a ``RuleFailure`` whose code is the rule ID
of domain.md §2, e.g. "PSG-03"), so a refusal can list every reason at once. The regulatory
numbers come from ``PsgacParameters`` (versioned configuration), never from literals here.
"""
