"""The annual report of a structure porteuse to the ARS (PSG-17, issue 6 §4): content computed
by a job and frozen, commented by the coordinator, submitted (locked), corrected by a new
version; PDF and XLSX written at submission."""
