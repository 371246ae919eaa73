"""`make bench`: Toolsuite's API against the seed's FastAPI stack (issue 6)."""
