"""What several resources share: the catalog as served, body fields and parsing, the
engine's answers, and the athlete scope. No resource imports another; each imports this."""
