"""The public repository of the process (OGP): documents, their storage and the mesa records."""
