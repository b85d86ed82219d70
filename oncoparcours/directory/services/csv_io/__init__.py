"""CSV export and import of the directory (the annual regional survey is a spreadsheet).

The import checks every row first (dry run or not) and reports, per row, what it would do:
create, update (which fields) or nothing. If any row or the file itself is wrong, nothing is
written; otherwise all rows are applied in one transaction. The update key is the
``identifiant`` column (the offer's public id); a row without one creates an offer.

``reading`` turns the file into rows, ``planning`` checks them, ``importing`` writes them;
``report`` is what the import says back; ``export`` writes the CSV out.
"""
