"""The OpenSearch engine (for an archive past one machine): the only package that imports the
OpenSearch client. `mapping` holds the index's analysis and mapping, `documents` what a record is
indexed as."""
