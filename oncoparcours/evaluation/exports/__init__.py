"""The pseudonymised evaluation export (issue 6 §5; domain §8.6, MR-004).

Pure parts, no database: ``pseudonym`` (keyed hash), ``vocabulary`` (age bands, cancer site
groups, quarters), ``rows`` (one source pathway → one row without direct identifier),
``kanon`` (k-anonymity by generalisation then suppression), ``columns`` (the data dictionary)
and ``files`` (CSV and zip). ``source`` reads the other apps (read-only) and ``build`` runs it
all in chunks for the background job. See docs/pseudonymised-export.md.
"""
