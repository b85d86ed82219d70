"""The ARS evaluation indicators I-1…I-16 (issue 6 §2; domain §2.6, PSG-17): each defined once in
``definitions``, computed from a handful of aggregate queries (``evaluation.selectors``)."""
