"""Search: one interface with PostgreSQL and Elasticsearch engines behind it (the search issue)."""
