"""`followup sync`: the transport, the credentials and the sync itself, kept apart."""
