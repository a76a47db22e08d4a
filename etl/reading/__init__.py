"""Reading: a report file (月报, .xlsx or .csv) → a checked `ParsedFile`, without any database."""
