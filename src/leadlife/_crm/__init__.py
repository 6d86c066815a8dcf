"""Moving books in and out of the CRMs people use: mappings as data, CSV import and export."""
