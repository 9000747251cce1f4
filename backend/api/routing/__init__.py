"""Routing rules (F4) over GraphQL: thin resolvers over `backend.routing`."""
