"""The directory's HTML pages, by audience: public search and offer pages, editors' pages,
providers' proposals, CSV import and export, coverage."""
