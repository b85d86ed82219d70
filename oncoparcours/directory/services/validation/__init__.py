"""An offer's values as people give them (the input vocabulary), checked and turned into model
values. Shared by the services, the change proposals and the CSV import, so one rule lives in
one place.

Every problem is collected in an ``Errors`` under the input field's name; nothing here writes.
``offer.clean_offer`` checks a whole offer, one field group per module (``description``,
``provider``, ``place``, ``contact``); ``vocabulary`` holds the field names, defaults and
change detection, ``lookups`` the reference rows the checks read.
"""
